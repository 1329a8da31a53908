"""Teams in the browser: admins add, rename and retire them. A retired team takes no new
cases and is left out of pickers; its cases and history stay."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from feedback import db
from feedback.audit.models import AuditEvent
from feedback.cases.services import CaseDetails, CaseError, open_case
from feedback.staff.models import Team
from tests.conftest import utcnow
from tests.feedback.staff import Browser


@pytest.fixture
def admin(app, make_user):
    browser = Browser(app)
    assert browser.sign_in(make_user("admin", teams=())).status_code == 302
    return browser


def _team(app, code) -> Team:
    with app.app_context():
        team = db.session().scalar(select(Team).where(Team.code == code))
        if team is not None:
            db.session().expunge(team)
        return team


def test_an_admin_adds_and_renames_a_team(app, admin):
    assert admin.post("/admin/teams/new", {"name": "East team", "code": "east"}).status_code == 302
    team = _team(app, "east")
    assert team.name == "East team"
    assert "East team" in admin.get("/admin/teams").get_data(as_text=True)
    renamed = admin.post(f"/admin/teams/{team.id}", {"name": "  East   and coast "})
    assert renamed.status_code == 302
    assert _team(app, "east").name == "East and coast"
    with app.app_context():
        actions = [
            (e.action, json.loads(e.detail))
            for e in db.session().scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith("team-")
        ]
    assert actions == [
        ("team-created", {"name": "East team"}),
        ("team-renamed", {"before": "East team", "after": "East and coast"}),
    ]


def test_a_team_name_or_code_that_exists_is_refused(app, admin, make_user):
    make_user("practitioner", teams=("north",))
    same_name = admin.post("/admin/teams/new", {"name": "north TEAM", "code": "north-2"})
    assert same_name.status_code == 400
    assert "There is already a team called North team" in same_name.get_data(as_text=True)
    same_code = admin.post("/admin/teams/new", {"name": "Another", "code": "north"})
    assert same_code.status_code == 400
    assert "already a team with the code north" in same_code.get_data(as_text=True)
    bad_code = admin.post("/admin/teams/new", {"name": "Another", "code": "Not a code!"})
    assert bad_code.status_code == 400 and "lower-case letters" in bad_code.get_data(as_text=True)
    admin.post("/admin/teams/new", {"name": "South team", "code": "south"})
    south = _team(app, "south")
    clash = admin.post(f"/admin/teams/{south.id}", {"name": "North team"})
    assert clash.status_code == 400
    assert _team(app, "south").name == "South team"
    long = admin.post(f"/admin/teams/{south.id}", {"name": "x" * 101})
    assert long.status_code == 400 and "100 characters or fewer" in long.get_data(as_text=True)
    # Renaming to its own name in other letters is no clash.
    assert admin.post(f"/admin/teams/{south.id}", {"name": "SOUTH team"}).status_code == 302


def test_a_retired_team_takes_no_new_cases_and_leaves_the_pickers(
    app, admin, session, make_user, make_case
):
    worker = make_user("practitioner", teams=("north", "south"))
    case = make_case(practitioner=worker, team=worker.teams[0])
    north = _team(app, "north")
    page = admin.get(f"/admin/teams/{north.id}/retire").get_data(as_text=True)
    assert "will take no new cases" in page
    assert admin.post(f"/admin/teams/{north.id}/retire", {}).status_code == 400
    assert admin.post(f"/admin/teams/{north.id}/retire", {"confirm": "yes"}).status_code == 302
    assert _team(app, "north").retired_at is not None
    # Its history stays: the team is still in the list.
    assert "Retired" in admin.get("/admin/teams").get_data(as_text=True)

    theirs = Browser(app)
    theirs.sign_in(worker)
    new_case = theirs.get("/cases/new").get_data(as_text=True)
    assert "South team" in new_case and "North team" not in new_case
    assert "North team" not in admin.get("/admin/staff/invite").get_data(as_text=True)
    # And its case.
    assert theirs.get(f"/cases/{case.id}").status_code == 200
    session.expire_all()
    with pytest.raises(CaseError, match="retired"):
        open_case(
            session,
            CaseDetails("CS-NEW", "AB", date(2010, 1, 1), north.id, ("missing",)),
            worker,
            utcnow(),
        )
    session.rollback()
    # Brought back, it takes cases again.
    assert admin.post(f"/admin/teams/{north.id}/retire", {"confirm": "yes"}).status_code == 302
    assert "North team" in theirs.get("/cases/new").get_data(as_text=True)
