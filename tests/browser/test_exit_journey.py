"""The young person's exit interview on a 320 x 568 phone, with axe on every page."""

from __future__ import annotations

import pytest

from outcomes.questionnaires import get_questionnaire
from tests.browser.checks import check_young_page

pytestmark = pytest.mark.browser

EXIT = get_questionnaire("exit-young-person")
ANSWERS = {
    "listened-to": "certainly-true",
    "treated-well": "partly-true",
    "helped": "certainly-true",
    "easy-to-reach": "dont-know",
    "things-better": "certainly-true",
    "would-recommend": "not-true",
    "really-good": "Being listened to",
    "could-be-better": "More time",
    "anything-else": "",
    "who-with": "with-worker",
}


def test_whole_exit_interview_on_a_small_phone(live_server, phone):
    page = phone().new_page()
    page.goto(live_server.invite("CS-EXIT-BROWSER", questionnaire=EXIT.code))
    assert page.viewport_size == {"width": 320, "height": 568}
    check_young_page(page)
    page.get_by_role("button", name="Start").click()
    for question in EXIT.questions:
        page.wait_for_url(f"**/check-in/questions/{question.id}")
        check_young_page(page)
        value = ANSWERS[question.id]
        if question.kind.is_free_text:
            page.locator("textarea[name=answer]").fill(value)
        else:
            page.locator(f"input[name=answer][value='{value}']").check()
        page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/check-in/check")
    check_young_page(page)
    assert "Partly true" in page.inner_text(".govuk-summary-list")
    assert "goals" not in page.inner_text("main").lower()
    page.locator("input[name=quote_consent][value=no]").check()
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.inner_text("h1")
    check_young_page(page)
