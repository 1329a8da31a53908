"""A young person's check-in and a parent's exit interview in each shipped language, in a
real browser on a 320 x 568 phone: axe on every page, right to left for Urdu and Arabic,
no sideways scrolling, and the page's own words in the language chosen.

Screenshots of every page are saved under test-results/screenshots/<language>/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.checks import check_young_page
from tests.browser.journeys import ANSWERS, fill_answer

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

# Words of each language's pages, from its catalogue: the welcome page's heading, the
# progress line of the first of 10 questions, and the thank-you panel.
WORDS = {
    "ur": ("rtl", "شروع کرنے سے پہلے", "سوال 1 از 10", "شکریہ"),
    "ar": ("rtl", "قبل أن تبدأ", "السؤال 1 من 10", "شكرًا لك"),
    "pl": ("ltr", "Zanim zaczniesz", "Pytanie 1 z 10", "Dziękujemy"),
    "ro": ("ltr", "Înainte să începi", "Întrebarea 1 din 10", "Mulțumim"),
}
PRIMARY = "main form button.govuk-button:not(.govuk-button--secondary)"


class Pages:
    """Checks each page as the journey reaches it, and saves its screenshot."""

    def __init__(self, page, code: str, journey: str):
        self.page, self.code, self.journey = page, code, journey
        self.count = 0
        self.folder = SCREENSHOTS / code
        self.folder.mkdir(parents=True, exist_ok=True)

    def check(self, name: str) -> None:
        page = self.page
        direction = WORDS[self.code][0]
        assert page.get_attribute("html", "lang") == self.code, page.url
        assert page.get_attribute("html", "dir") == direction, page.url
        width = page.viewport_size["width"]
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, (
            f"{page.url}: scrolls sideways"
        )
        # The way to change language is on every page, and has a name in this language.
        assert page.locator(".app-topbar__language").count() == 1
        check_young_page(page)
        self.count += 1
        page.screenshot(
            path=str(self.folder / f"{self.journey}-{self.count:02d}-{name}.png"), full_page=True
        )


def choose_language(page, code: str) -> None:
    page.locator(".app-topbar__language").click()
    page.wait_for_url("**/language?**")
    page.locator(f"a[hreflang={code}]").click()


@pytest.mark.parametrize("code", sorted(WORDS))
def test_a_whole_check_in_in_each_language(live_server, phone, code):
    direction, before_you_start, first_question, thank_you = WORDS[code]
    page = phone().new_page()
    pages = Pages(page, code, "check-in")
    page.goto(live_server.invite(f"CS-LANG-{code.upper()}"))
    assert page.get_attribute("html", "lang") == "en"

    page.locator(".app-topbar__language").click()
    page.wait_for_url("**/language?**")
    links = page.locator("main a[hreflang]")
    assert links.count() == 5
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_attribute("lang") == link.get_attribute("hreflang")
        assert link.get_attribute("dir") in ("ltr", "rtl")
    page.locator(f"a[hreflang={code}]").click()
    page.wait_for_url("**/check-in")  # back where the young person was
    assert page.locator("h1").inner_text() == before_you_start
    pages.check("welcome")

    page.locator("a.govuk-button--start").click()
    for position, (question_id, kind, value) in enumerate(ANSWERS, start=1):
        page.wait_for_url(f"**/check-in/questions/{question_id}")
        if position == 1:
            assert page.inner_text("#progress") == first_question
            page.goto(page.url)  # the choice is kept: no ?lang= needed
        pages.check(question_id)
        fill_answer(page, kind, value)
        page.locator(PRIMARY).click()

    page.wait_for_url("**/check-in/check")
    pages.check("check")
    page.locator("input[name=quote_consent][value=yes]").check()
    page.locator(PRIMARY).click()
    page.wait_for_url("**/check-in/done")
    assert thank_you in page.inner_text(".govuk-panel")
    pages.check("done")

    choose_language(page, "en")
    page.wait_for_url("**/check-in/done")
    assert page.get_attribute("html", "dir") == "ltr"
    assert "Thank you" in page.inner_text(".govuk-panel")


@pytest.mark.parametrize("code", sorted(WORDS))
def test_a_parents_exit_interview_in_each_language(live_server, phone, code):
    direction, before_you_start, _first, thank_you = WORDS[code]
    page = phone().new_page()
    pages = Pages(page, code, "family-exit")
    page.goto(live_server.invite(f"CS-FAMILY-{code.upper()}", questionnaire="exit-family"))
    choose_language(page, code)
    page.wait_for_url("**/check-in")
    assert page.locator("h1").inner_text() == before_you_start
    pages.check("welcome")

    page.locator("a.govuk-button--start").click()
    page.wait_for_url("**/check-in/questions/**")
    while "/check-in/questions/" in page.url:
        question_id = page.url.rsplit("/", 1)[-1]
        pages.check(question_id)
        radios = page.locator("input[type=radio][name=answer]")
        if radios.count():
            radios.first.check()
        elif page.locator("input[type=checkbox][name=answer]").count():
            page.locator("input[type=checkbox][name=answer]").first.check()
        else:
            page.locator("textarea[name=answer]").fill("The worker always called back")
        with page.expect_navigation():
            page.locator(PRIMARY).click()

    page.wait_for_url("**/check-in/check")
    pages.check("check")
    if page.locator("input[name=quote_consent]").count():
        page.locator("input[name=quote_consent][value=no]").check()
    page.locator(PRIMARY).click()
    page.wait_for_url("**/check-in/done")
    assert thank_you in page.inner_text(".govuk-panel")
    pages.check("done")
