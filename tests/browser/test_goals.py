"""A young person's goals in a real browser, by keyboard, on a small phone screen."""

from __future__ import annotations

import pytest

from tests.browser.journeys import (
    ANSWERS,
    case_id,
    check_accessible,
    fill_answer,
    press_and_wait,
    tab_to,
)

pytestmark = pytest.mark.browser

SUBMIT = "button.govuk-button:not(.govuk-exit-this-page__button)"


def answer_everything(page) -> None:
    page.get_by_role("button", name="Start").click()
    for _question_id, kind, value in ANSWERS:
        fill_answer(page, kind, value)
        page.get_by_role("button", name="Save and continue").click()
    assert page.locator("h1").inner_text() == "Check your answers"


def send_answers(page) -> None:
    page.locator("input[name=quote_consent][value=no]").check()
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.inner_text("h1")


def test_set_then_rate_goals_by_keyboard(live_server, phone):
    checked: list[str] = []

    # First check-in: no goals yet, so three optional boxes.
    page = phone().new_page()
    page.goto(live_server.invite("CS-GOALS"))
    answer_everything(page)
    page.goto(f"{live_server.url}/check-in/goals")
    assert page.locator("h1").inner_text() == "Your goals"
    assert "You do not have to set any" in page.inner_text("main")
    check_accessible(page, checked)

    # Too long: the error summary says so, and nothing is lost.
    page.locator("#goal_1").fill("x" * 201)
    page.get_by_role("button", name="Save my goals").click()
    assert "200 characters or fewer" in page.inner_text(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check_accessible(page, checked)

    page.locator("#goal_1").fill("")
    tab_to(page, "#goal_1")
    page.keyboard.type("Go to college 3 days a week")
    tab_to(page, "#goal_2")
    page.keyboard.type("Sort things out with my mum")
    tab_to(page, SUBMIT)
    press_and_wait(page, "Enter")
    assert page.locator("h1").inner_text() == "Check your answers"
    send_answers(page)

    # Next check-in: the goals are there to rate, 0 to 10.
    page = phone().new_page()
    page.goto(live_server.invite("CS-GOALS"))
    answer_everything(page)
    page.goto(f"{live_server.url}/check-in/goals")
    assert "Goal 1: Go to college 3 days a week" in page.inner_text("main")
    check_accessible(page, checked)

    page.get_by_role("button", name="Save and go back to your answers").click()
    summary = page.locator(".govuk-error-summary")
    assert "Choose a number from 0 to 10" in summary.inner_text()
    check_accessible(page, checked)

    first_goal = page.locator("fieldset").nth(0).locator("input[type=radio]").first
    name = first_goal.get_attribute("name")
    tab_to(page, f"input[name={name}]")
    for _ in range(12):
        if page.evaluate("() => document.activeElement.value") == "7":
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    assert page.locator(f"input[name={name}][value='7']").is_checked()

    second_name = (
        page.locator("fieldset").nth(1).locator("input[type=radio]").first.get_attribute("name")
    )
    tab_to(page, f"input[name={second_name}]")
    for _ in range(14):
        if page.evaluate("() => document.activeElement.value") == "rather-not-say":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.locator(f"input[name={second_name}][value='rather-not-say']").is_checked()

    tab_to(page, SUBMIT)
    press_and_wait(page, "Enter")
    assert page.locator("h1").inner_text() == "Check your answers"

    page.goto(f"{live_server.url}/check-in/goals")
    assert page.locator(f"input[name={name}][value='7']").is_checked()
    assert len(checked) == 4


def test_worker_sees_the_journey_chart_and_table_with_no_axe_violations(live_server, phone):
    for _ in range(2):
        page = phone().new_page()
        page.goto(live_server.invite("CS-JOURNEY"))
        answer_everything(page)
        send_answers(page)

    page = phone().new_page()
    page.goto(f"{live_server.url}/sign-in")
    page.fill("#email", "browser@example.org")
    page.fill("#password", "a long password!")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/cases")
    page.goto(f"{live_server.url}/cases/{case_id(live_server, 'CS-JOURNEY')}")
    chart = page.get_by_role("img", name="JB's domain scores over time")
    assert chart.is_visible()
    assert "Safety" in page.inner_text("#journey-table")
    assert "Distance travelled" in page.inner_text("main")
    check_accessible(page, [])
    page.get_by_role("link", name="Record case facts").click()
    page.get_by_role("button", name="Save case facts").click()
    assert "Enter the number of missing episodes" in page.inner_text(".govuk-error-summary")
    check_accessible(page, [])
