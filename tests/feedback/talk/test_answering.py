"""Managers answer requests: contact, outcome, sharing, the overdue rule, the report."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from feedback.alerts.models import OutboxMessage
from feedback.alerts.services import set_duty_manager
from feedback.audit.models import AuditEvent
from feedback.talk import services
from feedback.talk.models import TalkRequest
from tests.feedback.staff import Browser

pytestmark = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)


def only_request(session) -> TalkRequest:
    session.expire_all()
    (talk,) = session.scalars(select(TalkRequest)).all()
    return talk


def signed_in(app, user) -> Browser:
    browser = Browser(app)
    assert browser.sign_in(user).status_code == 302
    return browser


def actions(session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_manager_marks_contacted_then_resolved_and_each_step_is_audited(
    app, session, ask, team_staff
):
    ask()
    talk = only_request(session)
    manager = signed_in(app, team_staff["manager"])
    page = manager.get("/requests").get_data(as_text=True)
    assert f"Request {talk.id}" in page
    assert "+447911123456" in manager.get(f"/requests/{talk.id}").get_data(as_text=True)

    # Resolving before contact, or without an outcome, is refused with the words kept.
    response = manager.post(f"/requests/{talk.id}/contacted", {"note": ""})
    assert response.status_code == 400 and "Enter what was done" in response.get_data(as_text=True)
    assert manager.post(f"/requests/{talk.id}/contacted", {"note": "Rang her"}).status_code == 302
    response = manager.post(f"/requests/{talk.id}/resolve", {"note": "  "})
    assert response.status_code == 400 and "Enter the outcome" in response.get_data(as_text=True)
    response = manager.post(f"/requests/{talk.id}/resolve", {"note": "x" * 6000})
    assert response.status_code == 400 and "x" * 6000 in response.get_data(as_text=True)
    assert manager.post(f"/requests/{talk.id}/resolve", {"note": "Visits moved"}).status_code == 302
    talk = only_request(session)
    assert (talk.state, talk.contact_note, talk.outcome) == ("resolved", "Rang her", "Visits moved")
    assert {"talk-requested", "talk-viewed", "talk-contacted", "talk-resolved"} <= set(
        actions(session)
    )


def test_a_practitioner_sees_a_request_about_their_work_only_once_shared(
    app, session, ask, team_staff
):
    ask(contact="worker")
    talk = only_request(session)
    worker = signed_in(app, team_staff["practitioner"])
    assert worker.get(f"/requests/{talk.id}").status_code == 404
    assert f"Request {talk.id}" not in worker.get("/requests").get_data(as_text=True)
    assert worker.post(f"/requests/{talk.id}/share").status_code == 403

    manager = signed_in(app, team_staff["manager"])
    assert manager.post(f"/requests/{talk.id}/share").status_code == 302
    assert worker.get(f"/requests/{talk.id}").status_code == 200
    assert f"Request {talk.id}" in worker.get("/requests").get_data(as_text=True)
    # The worker may read it, not answer it.
    assert worker.post(f"/requests/{talk.id}/contacted", {"note": "x"}).status_code == 403
    assert "talk-shared" in actions(session)


def test_a_request_not_through_the_worker_cannot_be_shared(app, session, ask, team_staff):
    ask(contact="phone")
    talk = only_request(session)
    manager = signed_in(app, team_staff["manager"])
    response = manager.post(f"/requests/{talk.id}/share")
    assert response.status_code == 400
    assert only_request(session).shared_with_id is None


def test_another_teams_manager_cannot_see_it(app, session, ask, make_user):
    ask()
    talk = only_request(session)
    other = signed_in(app, make_user("manager", teams=("south",)))
    assert other.get(f"/requests/{talk.id}").status_code == 404


# Thursday 24 December 2026 at 3pm: Christmas Day (Friday), the weekend and Boxing Day
# observed (Monday 28th) are not working days, so first contact is due Tuesday at 3pm.
ASKED = datetime(2026, 12, 24, 15, 0)
DUE = datetime(2026, 12, 29, 15, 0)


def test_the_standard_is_a_setting(app):
    app.config["TALK_CONTACT_WITHIN_WORKING_DAYS"] = 3
    with app.app_context():
        assert services.due_by(ASKED) == datetime(2026, 12, 31, 15, 0)


def test_overdue_requests_go_to_the_duty_manager_once(app, session, ask, make_user, team_staff):
    duty = make_user("manager")
    set_duty_manager(session, "north", duty.email)
    session.commit()
    with time_machine.travel(ASKED.replace(tzinfo=UTC), tick=False):
        ask()
    talk = only_request(session)
    assert talk.due_at == DUE
    runner = app.test_cli_runner()
    with time_machine.travel(datetime(2026, 12, 28, 23, 0, tzinfo=UTC), tick=False):
        assert "0 overdue" in runner.invoke(args=["talk", "overdue"]).output
    with time_machine.travel(datetime(2026, 12, 29, 15, 1, tzinfo=UTC), tick=False):
        assert "1 overdue" in runner.invoke(args=["talk", "overdue"]).output
        assert "0 overdue" in runner.invoke(args=["talk", "overdue"]).output
        manager = signed_in(app, team_staff["manager"])
        assert "Overdue" in manager.get("/requests").get_data(as_text=True)
    session.expire_all()
    messages = list(session.scalars(select(OutboxMessage)))
    assert [m.recipient_id for m in messages] == [duty.id]
    assert "+44" not in messages[0].body and "visits" not in messages[0].body
    assert "talk-overdue" in actions(session)


def test_the_monthly_report_counts_requests_and_lists_notes(app, session, ask, team_staff):
    with time_machine.travel(datetime(2026, 11, 10, 10, 0, tzinfo=UTC), tick=False):
        for _ in range(12):
            ask(about="could-be-better")
        services.publish_note(
            session,
            team_staff["manager"],
            team_id=None,
            you_said="Visits were at bad times",
            we_did="Workers now offer evening visits",
            today=date(2026, 11, 10),
            now=datetime(2026, 11, 10, 10, 0),
        )
        session.commit()
    from feedback.dashboard.services.report import _section_table

    tables = [
        _section_table(i, s, session, date(2026, 11, 1), date(2026, 12, 1), None)
        for i, s in enumerate(app.config["REPORT_SECTIONS"])
        if s in services.REPORT_SECTIONS
    ]
    about = dict(tables[0].rows)
    assert about["Something that could be better"] == "10"
    assert about["Something that is going well"] == "c"
    contact = dict(tables[1].rows)
    assert contact["Not contacted yet"] == "10"
    notes = dict(tables[3].rows)
    assert notes["10 November 2026"].startswith("You said: Visits were at bad times")


def test_without_a_duty_manager_every_manager_of_the_team_is_told(app, session, ask, team_staff):
    with time_machine.travel(ASKED.replace(tzinfo=UTC), tick=False):
        ask()
    with time_machine.travel(DUE.replace(tzinfo=UTC), tick=False):
        assert "1 overdue" in app.test_cli_runner().invoke(args=["talk", "overdue"]).output
    session.expire_all()
    told = [m.recipient_id for m in session.scalars(select(OutboxMessage))]
    assert told == [team_staff["manager"].id]
