"""A young person's whole check-in in a real browser, on a small phone screen."""

from __future__ import annotations

import pytest

from tests.browser.checks import check_accessible as check_axe
from tests.browser.checks import check_young_page

pytestmark = pytest.mark.browser

ANSWERS = [
    ("feel-safe", "radio", "safe"),
    ("trusted-adult", "radio", "yes"),
    ("listened-to", "radio", "mostly"),
    ("school", "radio", "rather-not-say"),
    ("feelings", "radio", "ok"),
    ("home", "radio", "good"),
    ("stayed-away", "radio", "no"),
    ("future", "radio", "really-good"),
    ("what-helped", "checkbox", ["talking", "activities"]),
    ("anything-else", "text", "My worker listens to me and the activities are good"),
]


def check_accessible(page, seen: list):
    """axe on every page; on a young person's page also 44-pixel controls and neutral
    words."""
    if page.locator("body.app-young").count():
        check_young_page(page)
    else:
        check_axe(page)
    seen.append(page.url)


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching selector has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def answer_by_keyboard(page, kind: str, value) -> None:
    if kind == "radio":
        tab_to(page, "input[name=answer]")
        for _ in range(12):
            if page.evaluate("() => document.activeElement.value") == value:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        assert page.locator(f"input[name=answer][value='{value}']").is_checked()
    elif kind == "checkbox":
        for option in value:
            tab_to(page, f"input[name=answer][value='{option}']")
            page.keyboard.press("Space")
    else:
        tab_to(page, "textarea[name=answer]")
        page.keyboard.type(value)
    tab_to(
        page, "button.govuk-button:not(.govuk-button--secondary):not(.govuk-exit-this-page__button)"
    )
    press_and_wait(page, "Enter")


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def watch_requests(page, base: str) -> list[str]:
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else elsewhere.append(r.url))
    return elsewhere


def test_whole_check_in_by_keyboard_on_a_phone(live_server, phone):
    context = phone()
    page = context.new_page()
    elsewhere = watch_requests(page, live_server.url)
    checked: list[str] = []

    page.goto(live_server.invite("CS-KEYBOARD"))
    assert page.locator("h1").inner_text() == "Before you start"
    assert (
        page.get_by_role("button", name="Leave this site").is_visible()
        or page.get_by_role("link", name="Leave this site").is_visible()
    )
    check_accessible(page, checked)
    tab_to(page, "a.govuk-button--start")
    press_and_wait(page, "Enter")

    for position, (question_id, kind, value) in enumerate(ANSWERS, start=1):
        assert page.url.endswith(f"/check-in/questions/{question_id}")
        assert f"Question {position} of {len(ANSWERS)}" in page.inner_text("#progress")
        check_accessible(page, checked)
        answer_by_keyboard(page, kind, value)

    assert page.locator("h1").inner_text() == "Check your answers"
    check_accessible(page, checked)
    tab_to(page, "input[name=quote_consent][value=yes]")
    page.keyboard.press("Space")
    tab_to(page, "button.govuk-button:not(.govuk-exit-this-page__button)")
    press_and_wait(page, "Enter")
    assert "Thank you" in page.inner_text("h1")
    check_accessible(page, checked)

    assert elsewhere == []
    assert len(checked) == len(ANSWERS) + 3


def test_closing_the_page_and_reopening_the_link_resumes_without_revealing(live_server, phone):
    link = live_server.invite("CS-RESUME")
    first = phone()
    page = first.new_page()
    page.goto(link)
    page.get_by_role("button", name="Start").click()
    for _question_id, kind, value in ANSWERS[:3]:
        answer_by_keyboard(page, kind, value)
    first.close()  # the tab (and browser) closed mid-way

    page = phone().new_page()
    page.goto(link)
    assert page.locator("h1").inner_text() == "Welcome back"
    page.get_by_role("button", name="Carry on").click()
    page.wait_for_url("**/check-in/questions/school")  # nothing is lost
    page.get_by_role("link", name="Back").click()
    page.wait_for_url("**/check-in/questions/listened-to")
    # A new session carries on, but is not shown what the other one answered.
    assert page.locator("input[name=answer]:checked").count() == 0
    assert "You answered this question before" in page.inner_text("main")
    page.get_by_role("link", name="Keep the answer I gave").click()
    page.wait_for_url("**/check-in/questions/school")


def test_whole_check_in_with_javascript_off(live_server, phone):
    # axe-core needs JavaScript, so accessibility is checked in the journey above.
    page = phone(javascript=False).new_page()
    elsewhere = watch_requests(page, live_server.url)
    page.goto(live_server.invite("CS-NOJS"))
    page.get_by_role("button", name="Start").click()
    for question_id, kind, value in ANSWERS:
        page.wait_for_url(f"**/check-in/questions/{question_id}")
        if kind == "radio":
            page.locator(f"input[name=answer][value='{value}']").check()
        elif kind == "checkbox":
            for option in value:
                page.locator(f"input[name=answer][value='{option}']").check()
        else:
            page.locator("textarea[name=answer]").fill(value)
        page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Change Is there an adult you trust and can talk to?").click()
    page.locator("input[name=answer][value=not-sure]").check()
    page.get_by_role("button", name="Save and go back to your answers").click()
    assert "Not sure" in page.inner_text(".govuk-summary-list")
    page.locator("input[name=quote_consent][value=no]").check()
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.inner_text("h1")
    assert elsewhere == []


def test_errors_are_shown_in_the_error_summary_and_lose_nothing(live_server, phone):
    page = phone().new_page()
    page.goto(live_server.invite("CS-ERRORS"))
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for(state="visible")  # after the page with the error has loaded
    assert "Choose an answer" in summary.inner_text()
    assert page.title().startswith("Error:")
    check_accessible(page, [])


def test_used_link_is_kind_and_leave_this_site_forgets_the_session(live_server, phone):
    page = phone().new_page()
    link = live_server.invite("CS-LEAVE")
    page.goto(link)
    page.get_by_role("button", name="Start").click()
    exit_button = page.locator(".govuk-exit-this-page__button")
    with page.expect_navigation():
        exit_button.click()
    assert page.url.rstrip("/") == live_server.url
    # The question page was replaced in the history; going back shows no answers.
    page.go_back()
    assert "Question 1 of" not in page.content()
    page.goto(f"{live_server.url}/check-in")
    assert page.url.endswith("/start")  # nothing of the check-in is left in this browser
    check_accessible(page, [])


def test_code_entry_page(live_server, phone):
    page = phone().new_page()
    page.goto(f"{live_server.url}/start")
    check_accessible(page, [])
    page.fill("#code", "ABCD-OOOO")
    page.get_by_role("button", name="Continue").click()
    assert "do not use the letters O, I or L" in page.inner_text(".govuk-error-summary")
    check_accessible(page, [])


def test_help_page(live_server, phone):
    page = phone().new_page()
    page.goto(f"{live_server.url}/start")
    page.get_by_role("link", name="I need help now").click()
    assert "0800 1111" in page.inner_text("main")
    check_accessible(page, [])


def test_anonymous_feedback_by_keyboard(live_server, phone):
    page = phone().new_page()
    elsewhere = watch_requests(page, live_server.url)
    checked: list[str] = []
    page.goto(live_server.invite("CS-ANON", questionnaire="service-feedback"))
    assert "Nobody will know these answers are yours" in page.inner_text("main")
    check_accessible(page, checked)
    tab_to(page, "a.govuk-button--start")
    press_and_wait(page, "Enter")
    for kind, value in [
        ("radio", "easy"),
        ("radio", "yes"),
        ("text", "Good activities"),
        ("text", "Quicker replies"),
    ]:
        check_accessible(page, checked)
        answer_by_keyboard(page, kind, value)
    assert page.locator("h1").inner_text() == "Check your answers"
    assert "Can we use your words" not in page.inner_text("main")
    check_accessible(page, checked)
    tab_to(page, "button.govuk-button:not(.govuk-exit-this-page__button)")
    press_and_wait(page, "Enter")
    assert "Thank you" in page.inner_text("h1")
    assert elsewhere == []
