"""Who may see an alert, the steps to close it, and escalation by the clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.alerts import services
from feedback.alerts.models import Alert, OutboxMessage
from feedback.audit.models import AuditEvent
from tests.feedback.alerts.conftest import DISCLOSURE


@pytest.fixture
def alert(session, check_in, make_case, team_staff):
    check_in(case=make_case(practitioner=team_staff["practitioner"]))
    session.expire_all()
    return session.scalar(select(Alert))


def test_alert_page_shows_words_and_reference_to_those_allowed(
    client, auth, session, alert, team_staff
):
    for role in ("practitioner", "manager", "admin"):
        auth.sign_in(team_staff[role])
        page = client.get(f"/alerts/{alert.id}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200, role
        assert DISCLOSURE in text and alert.case.reference in text
        listing = client.get("/alerts").get_data(as_text=True)
        assert f"/alerts/{alert.id}" in listing and DISCLOSURE not in listing
        auth.sign_out()
    viewed = session.scalars(select(AuditEvent).where(AuditEvent.action == "alert-viewed")).all()
    assert len(viewed) == 3


def test_others_cannot_see_the_alert(client, auth, alert, make_user):
    outsiders = [
        make_user("practitioner"),  # same team, not their case
        make_user("manager", teams=("south",)),
        make_user("practitioner", teams=("south",)),
    ]
    for user in outsiders:
        auth.sign_in(user)
        assert client.get(f"/alerts/{alert.id}").status_code == 404
        assert client.post(f"/alerts/{alert.id}/acknowledge").status_code == 404
        assert f"/alerts/{alert.id}" not in client.get("/alerts").get_data(as_text=True)
        auth.sign_out()
    assert client.get(f"/alerts/{alert.id}").status_code == 302  # to sign in


def test_steps_from_new_to_closed_are_audited(client, auth, session, alert, team_staff):
    auth.sign_in(team_staff["manager"])
    assert client.post(f"/alerts/{alert.id}/acknowledge").status_code == 302
    missing = client.post(f"/alerts/{alert.id}/action", data={"note": ""})
    assert missing.status_code == 400
    assert "Enter what was done about this alert" in missing.get_data(as_text=True)
    assert "There is a problem" in missing.get_data(as_text=True)
    blank = client.post(f"/alerts/{alert.id}/action", data={"note": "   "})
    assert blank.status_code == 400
    assert (
        client.post(
            f"/alerts/{alert.id}/action",
            data={"note": "Spoke to the worker; strategy meeting today"},
        ).status_code
        == 302
    )
    assert client.post(f"/alerts/{alert.id}/close").status_code == 302
    session.expire_all()
    alert = session.get(Alert, alert.id)
    assert alert.state == "closed"
    assert alert.action_note.startswith("Spoke to the worker")
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    for step in ("alert-acknowledged", "alert-action-taken", "alert-closed"):
        assert step in actions
    note_rows = session.scalars(select(AuditEvent.detail)).all()
    assert not any("strategy meeting" in d for d in note_rows)


def test_steps_out_of_order_are_refused_kindly(client, auth, session, alert, team_staff):
    auth.sign_in(team_staff["practitioner"])
    response = client.post(f"/alerts/{alert.id}/action", data={"note": "done"})
    assert response.status_code == 400
    assert "Acknowledge the alert first" in response.get_data(as_text=True)
    client.post(f"/alerts/{alert.id}/acknowledge")
    again = client.post(f"/alerts/{alert.id}/acknowledge", follow_redirects=True)
    assert "already been acknowledged" in again.get_data(as_text=True)
    client.post(f"/alerts/{alert.id}/action", data={"note": "Visited at home"})
    # Closing is for managers.
    client.post(f"/alerts/{alert.id}/close")
    session.expire_all()
    assert session.get(Alert, alert.id).state == "action-taken"


def test_unacknowledged_alert_escalates_by_the_clock(session, alert, team_staff, make_user):
    raised = alert.raised_at
    before = {m.id for m in session.scalars(select(OutboxMessage))}
    assert services.escalate_overdue(session, raised + timedelta(minutes=119)) == []

    # Every manager of the team was told at first, so it goes to an admin.
    escalated = services.escalate_overdue(session, raised + timedelta(minutes=121))
    assert [a.id for a in escalated] == [alert.id]
    new = [m for m in session.scalars(select(OutboxMessage)) if m.id not in before]
    assert [m.recipient_id for m in new] == [team_staff["admin"].id]
    assert "not been acknowledged" in new[0].body and DISCLOSURE not in new[0].body
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "alert-escalated"))
    # Not again straight away.
    assert services.escalate_overdue(session, raised + timedelta(minutes=150)) == []


def test_escalation_goes_to_another_manager_when_a_duty_manager_was_told(
    session, check_in, make_case, team_staff
):
    services.set_duty_manager(session, "north", team_staff["manager"].email)
    session.commit()
    check_in(case=make_case(practitioner=team_staff["practitioner"]))
    session.expire_all()
    alert = session.scalar(select(Alert))
    services.escalate_overdue(session, alert.raised_at + timedelta(hours=3))
    latest = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert latest.recipient_id == team_staff["second_manager"].id


def test_acknowledged_alert_does_not_escalate(session, alert, team_staff):
    services.acknowledge(session, alert, team_staff["manager"], alert.raised_at)
    assert services.escalate_overdue(session, alert.raised_at + timedelta(days=1)) == []


def test_escalate_command(runner, session, alert):
    alert.raised_at -= timedelta(hours=3)
    session.commit()
    result = runner.invoke(args=["alerts", "escalate"])
    assert result.exit_code == 0, result.output
    assert "Escalated 1 alert(s)." in result.output
