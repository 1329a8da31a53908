"""Helpers for the privacy tests."""

from __future__ import annotations

from tests.feedback.checkin.answers import GOOD_ANSWERS, answer_all

DISCLOSURE = "My stepdad hits me"


def send_check_in(app, make_invitation, case, text):
    browser = app.test_client()
    browser.get(f"/r/{make_invitation(case=case).token}")
    answer_all(browser, {**GOOD_ANSWERS, "anything-else": text})
    assert browser.post("/check-in/check", data={"quote_consent": "no"}).status_code == 302
