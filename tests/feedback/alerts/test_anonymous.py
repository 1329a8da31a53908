"""An alert from anonymous feedback reaches the team that sent the link, and no further."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from feedback.alerts import services
from feedback.alerts.models import Alert, OutboxMessage
from feedback.invitations.models import Invitation
from feedback.responses.models import Response
from tests.conftest import utcnow

DANGER = "they are keeping me in a flat and wont let me leave"


@pytest.fixture
def anonymous(app, make_invitation, make_case, team_staff):
    """A browser answering anonymous feedback from a link the north team sent."""

    def start(browser=None):
        case = make_case(practitioner=team_staff["practitioner"])
        issued = make_invitation(case=case, questionnaire=("service-feedback", 1))
        browser = browser or app.test_client()
        browser.get(f"/r/{issued.token}")
        browser.post("/check-in/questions/easy-to-talk", data={"answer": "ok"})
        browser.post("/check-in/questions/trust-service", data={"answer": "no"})
        return browser, issued

    return start


def test_alert_belongs_to_the_inviting_team_and_to_no_one_else(
    session, anonymous, team_staff, runner
):
    duty = team_staff["second_manager"]
    runner.invoke(args=["alerts", "set-duty", "--team", "north", "--email", duty.email])
    browser, issued = anonymous()
    response = browser.post("/check-in/questions/going-well", data={"answer": DANGER})
    assert response.location.endswith("/check-in/thank-you")

    alert = session.scalar(select(Alert))
    assert alert.team_id == issued.invitation.case.team_id
    assert alert.anonymous and alert.level == "danger-now"
    assert alert.case_id is None and alert.response_id is None
    # The time is the moment it was raised, not the day the anonymous answer keeps.
    assert alert.raised_at.time().isoformat() != "00:00:00"
    assert abs(alert.raised_at - utcnow()) < timedelta(minutes=5)
    # ...while the link keeps only the day it was opened, so that exact time matches it not.
    assert issued.invitation.opened_at.time().isoformat() == "00:00:00"
    # Told at once: the team's duty manager, nobody else (no worker can follow it up).
    told = {m.recipient_id for m in session.scalars(select(OutboxMessage))}
    assert told == {duty.id}
    message = session.scalar(select(OutboxMessage))
    assert message.subject == "Safeguarding alert: danger now, act straight away"
    assert "anonymous feedback sent by your team" in message.body
    assert DANGER not in message.body
    # Nothing on the alert leads back to the response or the link: its key is not one
    # that any stored value of them carries.
    draft = session.scalar(select(Response))
    invitation = session.get(Invitation, issued.invitation.id)
    stored = {a.viewer_hash for a in draft.answers} | {
        invitation.token_hash,
        invitation.code_hash,
        str(draft.id),
    }
    assert alert.draft_key and alert.draft_key not in stored


def test_managers_of_the_team_can_open_it_and_others_cannot(
    client, auth, session, anonymous, team_staff, make_user
):
    browser, _issued = anonymous()
    browser.post("/check-in/questions/going-well", data={"answer": DANGER})
    alert = session.scalar(select(Alert))
    for user in (team_staff["manager"], team_staff["admin"]):
        auth.sign_in(user)
        page = client.get(f"/alerts/{alert.id}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert DANGER in text and "Danger now" in text
        assert "Anonymous feedback" in text and "North team" in text
        assert f"/alerts/{alert.id}" in client.get("/alerts").get_data(as_text=True)
        auth.sign_out()
    for user in (make_user("manager", teams=("south",)), team_staff["practitioner"]):
        auth.sign_in(user)
        assert client.get(f"/alerts/{alert.id}").status_code == 404
        auth.sign_out()


def test_the_same_words_saved_twice_and_sent_raise_one_alert(session, anonymous, team_staff):
    browser, _issued = anonymous()
    browser.post("/check-in/questions/going-well", data={"answer": DANGER})
    browser.post("/check-in/questions/going-well", data={"answer": DANGER})
    browser.post("/check-in/questions/could-be-better", data={"answer": "my stepdad hits me"})
    assert browser.post("/check-in/check", data={}).status_code == 302
    session.expire_all()
    assert session.scalar(select(func.count(Alert.id))) == 1
    alert = session.scalar(select(Alert))
    assert [t["text"] for t in alert.texts] == [DANGER, "my stepdad hits me"]
    assert session.scalar(select(Response)).status == "submitted"


def test_two_young_people_make_two_alerts(session, anonymous, team_staff):
    for _ in range(2):
        browser, _issued = anonymous()
        browser.post("/check-in/questions/going-well", data={"answer": DANGER})
    assert session.scalar(select(func.count(Alert.id))) == 2


def test_anonymous_help_page_is_honest_that_nobody_can_come(anonymous, team_staff):
    browser, _issued = anonymous()
    response = browser.post("/check-in/questions/going-well", data={"answer": DANGER})
    page = browser.get(response.location).get_data(as_text=True)
    assert "We do not know who you are, so nobody can come to you." in page
    assert "your worker" not in page.lower()
    assert 'href="tel:08001111"' in page and 'href="sms:85258?body=SHOUT"' in page
    assert "If you stop, the rest of your answers will not be sent." in page
    stopped = browser.get("/check-in/stop").get_data(as_text=True)
    assert "What you wrote has been passed on to a manager." in stopped


def test_danger_now_escalates_after_15_minutes_worrying_after_2_hours(
    session, check_in, anonymous, team_staff
):
    browser, _issued = anonymous()
    browser.post("/check-in/questions/going-well", data={"answer": DANGER})
    check_in()  # a named check-in with a worrying disclosure
    session.expire_all()
    danger, worrying = sorted(session.scalars(select(Alert)), key=lambda a: a.level)
    assert (danger.level, worrying.level) == ("danger-now", "worrying")
    start = max(danger.raised_at, worrying.raised_at)
    assert services.escalate_overdue(session, start + timedelta(minutes=14)) == []
    assert services.escalate_overdue(session, start + timedelta(minutes=16)) == [danger]
    assert services.escalate_overdue(session, start + timedelta(minutes=119)) == [danger]
    later = services.escalate_overdue(session, start + timedelta(minutes=121))
    assert worrying in later
    escalated = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.alert_id == danger.id)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert "within 15 minutes" in escalated.body
    # The team's managers were all told at first; escalation reaches an admin.
    assert escalated.recipient_id == team_staff["admin"].id


def test_escalation_times_are_settings(app, session, anonymous, team_staff):
    app.config["ALERT_ESCALATE_DANGER_NOW_MINUTES"] = 5
    browser, _issued = anonymous()
    browser.post("/check-in/questions/going-well", data={"answer": DANGER})
    with app.app_context():
        alert = session.scalar(select(Alert))
        assert services.escalate_overdue(session, alert.raised_at + timedelta(minutes=6)) == [alert]
