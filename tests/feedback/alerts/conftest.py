from __future__ import annotations

import pytest

from tests.feedback.checkin.answers import GOOD_ANSWERS

DISCLOSURE = "My stepdad hits me when he is drunk"


@pytest.fixture
def team_staff(make_user):
    """A practitioner, two managers and an admin for the north team."""
    return {
        "practitioner": make_user("practitioner"),
        "manager": make_user("manager"),
        "second_manager": make_user("manager"),
        "admin": make_user("admin", teams=()),
    }


@pytest.fixture
def check_in(app, make_invitation, make_case):
    """Drive a young person's check-in: answers (with the given free text), optionally sent."""

    def run(text=DISCLOSURE, case=None, submit=True, browser=None):
        browser = browser or app.test_client()
        browser.get(f"/r/{make_invitation(case=case).token}")
        for question_id, value in {**GOOD_ANSWERS, "anything-else": text}.items():
            response = browser.post(f"/check-in/questions/{question_id}", data={"answer": value})
            assert response.status_code == 302, (question_id, response.data[:300])
        if submit:
            assert browser.post("/check-in/check", data={"quote_consent": "no"}).status_code == 302
        return browser

    return run
