"""The duty manager rota: admins put a manager of the team on each day of the week, and
an alert goes to the day's duty manager; a day with nobody goes to the standing duty
manager, else to every manager of the team."""

from __future__ import annotations

import json
from datetime import date

import time_machine
from sqlalchemy import select

from feedback.alerts import services
from feedback.alerts.models import OutboxMessage, TeamDutyDay
from feedback.audit.models import AuditEvent
from tests.feedback.staff import Browser

MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)


def _admin(app, team_staff) -> Browser:
    browser = Browser(app)
    assert browser.sign_in(team_staff["admin"]).status_code == 302
    return browser


def _team_id(team_staff) -> int:
    return team_staff["manager"].teams[0].id


def test_an_admin_sets_the_rota_and_alerts_follow_it(app, session, team_staff, check_in, make_case):
    browser = _admin(app, team_staff)
    team_id = _team_id(team_staff)
    manager, second = team_staff["manager"], team_staff["second_manager"]
    page = browser.get(f"/admin/teams/{team_id}/rota").get_data(as_text=True)
    assert "Monday" in page and "Sunday" in page and second.name in page
    response = browser.post(
        f"/admin/teams/{team_id}/rota", {"day_0": str(second.id), "day_1": str(manager.id)}
    )
    assert response.status_code == 302
    assert "Mon: " in browser.get("/admin/teams").get_data(as_text=True)
    session.expire_all()
    assert services.duty_manager(session, team_id, MONDAY).id == second.id
    assert services.duty_manager(session, team_id, TUESDAY).id == manager.id
    # Wednesday is nobody's: every manager of the team is told.
    assert services.duty_manager(session, team_id, date(2026, 12, 2)) is None
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "duty-rota-set"))
    assert json.loads(event.detail)["after"] == {"Monday": second.email, "Tuesday": manager.email}

    with time_machine.travel("2026-11-30 10:00:00+00:00", tick=True):
        check_in(case=make_case(practitioner=team_staff["practitioner"]))
    session.expire_all()
    told = {m.recipient_id for m in session.scalars(select(OutboxMessage))}
    assert told == {team_staff["practitioner"].id, second.id}


def test_the_rota_wins_over_the_standing_duty_manager_on_its_days(app, session, team_staff):
    team_id = _team_id(team_staff)
    manager, second = team_staff["manager"], team_staff["second_manager"]
    services.set_duty_manager(session, "north", manager.email)
    session.add(TeamDutyDay(team_id=team_id, weekday=0, user_id=second.id))
    session.commit()
    assert services.duty_manager(session, team_id, MONDAY).id == second.id
    assert services.duty_manager(session, team_id, TUESDAY).id == manager.id
    # Someone deactivated on the rota is nobody that day.
    second.active = False
    session.commit()
    assert services.duty_manager(session, team_id, MONDAY).id == manager.id


def test_an_empty_rota_is_kept_and_says_what_happens(app, session, team_staff):
    browser = _admin(app, team_staff)
    team_id = _team_id(team_staff)
    browser.post(f"/admin/teams/{team_id}/rota", {"day_3": str(team_staff["manager"].id)})
    response = browser.post(f"/admin/teams/{team_id}/rota", {f"day_{d}": "" for d in range(7)})
    assert response.status_code == 302
    assert "No rota" in browser.get("/admin/teams").get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(TeamDutyDay)) is None


def test_only_the_teams_managers_go_on_the_rota(app, session, team_staff, make_user):
    browser = _admin(app, team_staff)
    team_id = _team_id(team_staff)
    browser.post(f"/admin/teams/{team_id}/rota", {"day_4": str(team_staff["manager"].id)})
    other = make_user("manager", teams=("south",))
    for value in (str(team_staff["practitioner"].id), str(other.id), "999999", "²", "1e30"):
        response = browser.post(
            f"/admin/teams/{team_id}/rota", {"day_2": value, "day_4": str(team_staff["manager"].id)}
        )
        assert response.status_code == 400, value
        assert "Choose a manager" in response.get_data(as_text=True)
    # Nothing was lost: Friday's manager is still on, and nobody is on Wednesday.
    session.expire_all()
    assert [(r.weekday, r.user_id) for r in session.scalars(select(TeamDutyDay))] == [
        (4, team_staff["manager"].id)
    ]
