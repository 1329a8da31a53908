"""Asking to speak to a manager: the pages, what is kept, and what is refused kindly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.alerts.models import Alert, OutboxMessage
from feedback.audit.models import AuditEvent
from feedback.talk.models import TalkRequest
from tests.conftest import utcnow
from tests.feedback.staff import Browser
from tests.feedback.talk.conftest import WORRYING

pytestmark = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)


def only_request(session) -> TalkRequest:
    session.expire_all()
    (talk,) = session.scalars(select(TalkRequest)).all()
    return talk


def test_a_request_is_kept_with_its_case_and_a_due_time(session, ask):
    browser, case = ask()
    talk = only_request(session)
    assert (talk.case_id, talk.team_id, talk.anonymous) == (case.id, case.team_id, False)
    assert (talk.about, talk.contact, talk.phone) == ("could-be-better", "phone", "+447911123456")
    assert talk.good_time == "evening" and talk.state == "new"
    assert talk.due_at > talk.created_at
    page = browser.get("/talk/sent").get_data(as_text=True)
    assert f"by the end of {talk.due_at:%A %-d %B}" in page
    # The number and the words are kept with the request only.
    details = " ".join(session.scalars(select(AuditEvent.detail)))
    assert "7911" not in details and "visits" not in details
    assert "+447911123456" not in str(browser.client.get_cookie("session"))


def test_passing_it_on_keeps_the_team_and_the_day_only(session, ask):
    _browser, case = ask(contact="none")
    talk = only_request(session)
    assert talk.anonymous and talk.case_id is None and talk.team_id == case.team_id
    assert talk.id < 0
    assert (talk.created_at.hour, talk.created_at.minute, talk.created_at.second) == (0, 0, 0)
    assert talk.good_time is None and talk.phone is None


def test_from_anonymous_feedback_the_request_names_no_case(session, ask):
    ask(contact="text", questionnaire=("service-feedback", 1))
    talk = only_request(session)
    assert talk.anonymous and talk.case_id is None and talk.phone == "+447911123456"


def test_a_worrying_message_raises_an_alert_for_the_duty_manager_not_the_worker(
    session, ask, team_staff
):
    browser, _case = ask(message=WORRYING)
    talk = only_request(session)
    alert = session.get(Alert, talk.alert_id)
    assert alert is not None and alert.level in ("worrying", "danger-now")
    assert alert.case_id is None and alert.team_id == talk.team_id
    told = {m.recipient_id for m in session.scalars(select(OutboxMessage))}
    assert team_staff["manager"].id in told and team_staff["practitioner"].id not in told
    assert "worries us" in browser.get("/talk/sent").get_data(as_text=True)


def test_an_everyday_message_raises_no_alert(session, ask):
    ask(message="The activities are good")
    assert only_request(session).alert_id is None
    assert session.scalars(select(Alert)).all() == []


def test_nothing_chosen_is_asked_again_kindly(app, make_invitation):
    browser = Browser(app)
    browser.get(f"/talk/r/{make_invitation().token}")
    response = browser.post("/talk/about", {})
    assert response.status_code == 400
    assert "Choose what you want to talk about" in response.get_data(as_text=True)
    # A later page cannot be reached with an earlier one empty.
    assert browser.get("/talk/message").location.endswith("/talk/about")
    response = browser.post("/talk/message", {"message": "hello"})
    assert response.location.endswith("/talk/about")


def test_a_missing_phone_number_is_asked_for(app, make_invitation):
    browser = Browser(app)
    browser.get(f"/talk/r/{make_invitation().token}")
    browser.post("/talk/about", {"about": "going-well"})
    response = browser.post("/talk/contact", {"contact": "phone", "phone": ""})
    assert response.status_code == 400
    assert "Enter the phone number we can use" in response.get_data(as_text=True)
    response = browser.post("/talk/contact", {"contact": "phone", "phone": "12"})
    assert "Enter a UK phone number" in response.get_data(as_text=True)


def test_an_overlong_message_is_kept_in_the_box_and_nothing_sent(session, app, make_invitation):
    browser = Browser(app)
    browser.get(f"/talk/r/{make_invitation().token}")
    browser.post("/talk/about", {"about": "going-well"})
    browser.post("/talk/contact", {"contact": "none"})
    words = "really good " * 200
    response = browser.post("/talk/message", {"message": words})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "2,000 characters or fewer" in page and words.strip() in page
    assert session.scalars(select(TalkRequest)).all() == []


def test_a_code_used_recently_still_works_and_one_long_gone_does_not(session, app, make_invitation):
    recent = make_invitation(now=utcnow() - timedelta(days=60), days=14)
    browser = Browser(app)
    response = browser.post("/talk", {"code": recent.code})
    assert response.status_code == 302 and response.location.endswith("/talk/about")

    old = make_invitation(now=utcnow() - timedelta(days=200), days=14)
    response = Browser(app).post("/talk", {"code": old.code})
    assert response.status_code == 400
    assert "too old to use here" in response.get_data(as_text=True)
    response = Browser(app).get(f"/talk/r/{old.token}")
    assert response.status_code == 410
    assert "too old to use" in response.get_data(as_text=True)


def test_from_a_check_in_page_the_link_goes_straight_to_the_first_question(app, make_invitation):
    browser = Browser(app)
    browser.get(f"/r/{make_invitation().token}")
    page = browser.get("/check-in/questions/feel-safe").get_data(as_text=True)
    assert page.count('href="/talk"') == 1
    assert browser.get("/talk").location.endswith("/talk/about")
    # Not on the first page.
    assert 'href="/talk"' not in browser.get("/check-in").get_data(as_text=True)
