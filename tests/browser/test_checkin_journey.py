"""A young person's whole check-in in a real browser, on a small phone screen."""

from __future__ import annotations

import pytest

from tests.browser.journeys import (
    ANSWERS,
    answer_by_keyboard,
    check_accessible,
    fill_answer,
    press_and_wait,
    tab_to,
    watch_requests,
)

pytestmark = pytest.mark.browser


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
        fill_answer(page, kind, value)
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
