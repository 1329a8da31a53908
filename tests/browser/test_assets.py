"""The young people's stylesheet and script, trimmed for a phone's first 14 KB
(scripts/build-assets.mjs), still lay out every page: with JavaScript off every option
and button of every question fits on a 320 x 568 screen, and each file is fetched once."""

from __future__ import annotations

import pytest

from outcomes.questionnaires import get_questionnaire
from tests.browser.checks import out_of_view

pytestmark = pytest.mark.browser


def test_with_javascript_off_every_question_still_fits_a_small_phone(live_server, phone):
    questionnaire = get_questionnaire("checkin")
    page = phone(javascript=False).new_page()
    page.goto(live_server.invite("CS-ASSETS-NOJS"))
    assert "js-enabled" not in (page.get_attribute("body", "class") or "")
    problems = {}
    for question in questionnaire.questions:
        page.goto(f"{live_server.url}/check-in/questions/{question.id}")
        hidden = out_of_view(page)
        if hidden:
            problems[question.id] = hidden
    assert problems == {}
    # Styled by the young people's own stylesheet: the main button in the brand colour,
    # the top bar's way out in view.
    button = page.locator("main .govuk-button").first
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.locator(".govuk-exit-this-page__button").is_visible()
    sheets = page.evaluate("() => [...document.styleSheets].map(s => s.href)")
    assert len(sheets) == 1 and "/static/css/young-person." in sheets[0]


def test_each_file_is_fetched_once_then_comes_from_the_cache(live_server, phone):
    page = phone().new_page()
    fetched: list[str] = []
    page.on("response", lambda response: fetched.append(response.url))
    page.goto(live_server.invite("CS-ASSETS-CACHE"))
    files = [url for url in fetched if "/static/" in url]
    assert {url.rsplit(".", 1)[-1] for url in files} >= {"css", "js"}
    assert page.evaluate("() => document.body.classList.contains('js-enabled')")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/check-in/questions/*")
    # Hashed names cached for a year: nothing is asked of the server again, but for
    # "Read this to me", which question pages alone load; from the next page, nothing.
    timings_js = (
        "() => performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('/static/')).map(e => [e.name, e.transferSize])"
    )
    timings = page.evaluate(timings_js)
    fresh = [name.split("/static/")[1].split(".")[0] for name, size in timings if size]
    assert timings and fresh == ["js/read-aloud"], timings
    page.locator("input[name=answer]").first.check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/check-in/questions/trusted-adult")
    timings = page.evaluate(timings_js)
    assert timings and all(size == 0 for _name, size in timings), timings


def test_the_staff_header_and_sign_out_are_styled(live_server, browser):
    """The staff stylesheet keeps the classes the generic header makes from its namespace,
    and "Sign out" reads as a link with GOV.UK's focus style."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    try:
        page = context.new_page()
        live_server.sign_in(page, live_server.staff("manager", "assets.manager@example.org"))
        header = page.locator(".govuk-generic-header")
        assert header.evaluate("h => getComputedStyle(h).backgroundColor") == "rgb(16, 97, 101)"
        sign_out = page.get_by_role("button", name="Sign out")
        style = "b => [getComputedStyle(b).borderTopStyle, getComputedStyle(b).color]"
        assert sign_out.evaluate(style) == ["none", "rgb(16, 97, 101)"]
        sign_out.focus()
        focused = "b => getComputedStyle(b).backgroundColor"
        assert sign_out.evaluate(focused) == "rgb(255, 221, 0)"
    finally:
        context.close()
