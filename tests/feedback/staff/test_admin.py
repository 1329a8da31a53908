"""Staff administration in the browser: admins list staff, change roles and teams, and
deactivate or reactivate accounts; every change is audited."""

from __future__ import annotations

import json

import pytest

from feedback import db
from feedback.audit.models import AuditEvent
from feedback.staff.models import User
from tests.feedback.staff import Browser


@pytest.fixture
def admin_browser(app, make_user):
    admin = make_user("admin", teams=())
    browser = Browser(app)
    assert browser.sign_in(admin).status_code == 302
    return admin, browser


def _events(app, action):
    with app.app_context():
        return [
            (e.actor, e.target, json.loads(e.detail))
            for e in db.session().query(AuditEvent).filter_by(action=action)
        ]


def _user(app, user_id) -> User:
    with app.app_context():
        user = db.session().get(User, user_id)
        return user.active, user.role, sorted(t.code for t in user.teams)


def test_the_staff_list_shows_everyone(app, admin_browser, make_user):
    admin, browser = admin_browser
    member = make_user("manager", teams=("north", "south"))
    text = browser.get("/admin/staff").get_data(as_text=True)
    assert member.email in text and "Manager" in text and "North team, South team" in text
    assert "Active" in text
    assert 'href="/admin/staff"' in text  # in the navigation
    assert f"/admin/staff/{admin.id}/access" not in text  # no deactivating oneself
    assert f"/admin/staff/{member.id}/access" in text


def test_deactivate_after_confirming_then_reactivate(app, admin_browser, make_user):
    admin, browser = admin_browser
    member = make_user("practitioner")
    theirs = Browser(app)
    theirs.sign_in(member)
    page = browser.get(f"/admin/staff/{member.id}/access").get_data(as_text=True)
    assert f"Deactivate {member.name}?" in page
    no = browser.post(f"/admin/staff/{member.id}/access", {"confirm": "no"})
    assert no.status_code == 302 and _user(app, member.id)[0] is True
    yes = browser.post(f"/admin/staff/{member.id}/access", {"confirm": "yes"})
    assert yes.status_code == 302
    assert _user(app, member.id)[0] is False
    assert "/sign-in" in theirs.get("/cases").location  # signed out at once
    assert "Deactivated" in browser.get("/admin/staff").get_data(as_text=True)
    assert theirs.sign_in(member).status_code == 200  # and cannot sign in

    assert "Reactivate" in browser.get(f"/admin/staff/{member.id}/access").get_data(as_text=True)
    browser.post(f"/admin/staff/{member.id}/access", {"confirm": "yes"})
    assert _user(app, member.id)[0] is True
    assert theirs.sign_in(member).status_code == 302
    for action in ("staff-deactivated", "staff-reactivated"):
        assert [e[:2] for e in _events(app, action)] == [(admin.email, f"staff {member.id}")]


def test_confirmation_needs_an_answer(admin_browser, make_user):
    _, browser = admin_browser
    member = make_user("practitioner")
    response = browser.post(f"/admin/staff/{member.id}/access", {})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and "Choose yes or no" in text


def test_an_admin_cannot_deactivate_themselves(app, admin_browser):
    admin, browser = admin_browser
    response = browser.post(f"/admin/staff/{admin.id}/access", {"confirm": "yes"})
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    assert _user(app, admin.id)[0] is True
    assert browser.get("/admin/staff").status_code == 200


def test_change_role_and_teams(app, session, admin_browser, make_user, make_team):
    admin, browser = admin_browser
    member = make_user("practitioner", teams=("north",))
    south = make_team("south")
    session.commit()
    page = browser.get(f"/admin/staff/{member.id}").get_data(as_text=True)
    assert "Change the role or teams" in page and 'value="practitioner" checked' in page
    response = browser.post(
        f"/admin/staff/{member.id}", {"role": "manager", "teams": [str(south.id)]}
    )
    assert response.status_code == 302
    assert _user(app, member.id)[1:] == ("manager", ["south"])
    [(actor, target, detail)] = _events(app, "staff-role-changed")
    assert (actor, target) == (admin.email, f"staff {member.id}")
    assert detail["before"] == {"role": "practitioner", "teams": ["north"]}
    assert detail["after"] == {"role": "manager", "teams": ["south"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a role"),
        ({"role": "overlord"}, "Not a valid choice"),
        ({"role": "practitioner"}, "Practitioners and managers belong to at least one team"),
        ({"role": "manager", "teams": ["999"]}, "not a valid choice"),
        ({"role": "manager", "teams": ["north"]}, "could not be coerced"),
    ],
)
def test_bad_input_gives_the_form_back(app, admin_browser, make_user, data, message):
    _, browser = admin_browser
    member = make_user("practitioner", teams=("north",))
    response = browser.post(f"/admin/staff/{member.id}", data)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and message.lower() in text.lower()
    assert _user(app, member.id)[1:] == ("practitioner", ["north"])
    assert _events(app, "staff-role-changed") == []


def test_an_admin_cannot_change_their_own_role(app, admin_browser):
    admin, browser = admin_browser
    response = browser.post(f"/admin/staff/{admin.id}", {"role": "practitioner", "teams": []})
    assert response.status_code == 400
    assert "You cannot change your own role" in response.get_data(as_text=True)


def test_unknown_staff_is_a_404(admin_browser):
    _, browser = admin_browser
    assert browser.get("/admin/staff/9999").status_code == 404
    assert browser.post("/admin/staff/9999/access", {"confirm": "yes"}).status_code == 404
