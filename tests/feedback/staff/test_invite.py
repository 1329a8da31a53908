"""Inviting a member of staff by email, and an admin's password reset: a one-time link
to set a password goes through the outbox; it works once, expires, and only its hash
is kept."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from feedback import db
from feedback.alerts.models import OutboxMessage
from feedback.audit.models import AuditEvent
from feedback.staff.models import PasswordLink, User
from tests.conftest import PASSWORD, utcnow
from tests.feedback.staff import Browser

NEW_PASSWORD = "paper lantern river stone"


@pytest.fixture
def admin_browser(app, session, make_user, make_team):
    admin = make_user("admin", teams=())
    make_team("north")
    session.commit()
    browser = Browser(app)
    assert browser.sign_in(admin).status_code == 302
    return admin, browser


def _north(app) -> int:
    from feedback.staff.services import find_team

    with app.app_context():
        return find_team(db.session(), "north").id


def _invite(browser, app, email="new.worker@example.org", role="practitioner", **extra):
    data = {"name": "Nia Worker", "email": email, "role": role, "teams": [_north(app)]}
    return browser.post("/admin/staff/invite", {**data, **extra})


def _message_link(app, email) -> tuple[str, OutboxMessage]:
    with app.app_context():
        session = db.session()
        user = session.scalar(select(User).where(User.email == email))
        message = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient_id == user.id)
            .order_by(OutboxMessage.id.desc())
        ).first()
        session.expunge(message)
    return re.search(r"http://localhost(/set-password/\S+)", message.body).group(1), message


def _set(browser, path, password=NEW_PASSWORD, confirm=None):
    return browser.post(path, {"password": password, "confirm": confirm or password})


@pytest.mark.parametrize(
    ("role", "opening"),
    [
        ("practitioner", "has given you a practitioner account on Youth Voice."),
        ("manager", "has given you a manager account on Youth Voice."),
        ("admin", "has given you an admin account on Youth Voice."),
    ],
)
def test_the_invitation_names_the_role_in_a_sentence_of_its_own(app, admin_browser, role, opening):
    _admin, browser = admin_browser
    assert _invite(browser, app, email=f"new.{role}@example.org", role=role).status_code == 302
    _path, message = _message_link(app, f"new.{role}@example.org")
    assert message.body.split("\n", 1)[0].endswith(opening), message.body


def test_an_invited_member_of_staff_sets_a_password_with_the_link(app, admin_browser):
    admin, browser = admin_browser
    assert "Invite a member of staff" in browser.get("/admin/staff").get_data(as_text=True)
    response = _invite(browser, app)
    assert response.status_code == 302
    assert "new.worker@example.org" in browser.get("/admin/staff").get_data(as_text=True)
    path, message = _message_link(app, "new.worker@example.org")
    assert message.subject == "Set your password for Youth Voice"
    assert "works once, for 72 hours" in message.body
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        session = db.session()
        user = session.scalar(select(User).where(User.email == "new.worker@example.org"))
        assert user.password_hash == "" and [t.code for t in user.teams] == ["north"]
        link = session.scalar(select(PasswordLink))
        # Only the hash of the token is kept.
        assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in link.token_hash
        assert link.expires_at - link.created_at == timedelta(hours=72)
        invited = session.scalar(select(AuditEvent).where(AuditEvent.action == "staff-invited"))
        assert invited.actor == admin.email
        assert json.loads(invited.detail)["email"] == "new.worker@example.org"
        user_id = user.id

    newcomer = Browser(app)
    # No password works before the link is used, not even an empty one.
    for guess in ("", PASSWORD, NEW_PASSWORD):
        no = newcomer.post("/sign-in", {"email": "new.worker@example.org", "password": guess})
        assert no.status_code in (200, 400)
    page = newcomer.get(path).get_data(as_text=True)
    assert "Set your password" in page and "new.worker@example.org" in page
    assert _set(newcomer, path).location.endswith("/sign-in")
    signed = newcomer.post(
        "/sign-in", {"email": "new.worker@example.org", "password": NEW_PASSWORD}
    )
    assert signed.status_code == 302 and signed.location.endswith("/staff")
    with app.app_context():
        assert db.session().get(User, user_id).has_password


def test_the_password_rules_hold_and_nothing_is_used_up(app, admin_browser):
    _admin, browser = admin_browser
    _invite(browser, app)
    path, _message = _message_link(app, "new.worker@example.org")
    newcomer = Browser(app)
    short = _set(newcomer, path, "too short")
    assert short.status_code == 400
    assert "at least 12 characters" in short.get_data(as_text=True)
    different = _set(newcomer, path, NEW_PASSWORD, NEW_PASSWORD + "!")
    assert different.status_code == 400
    assert "not the same" in different.get_data(as_text=True)
    long = _set(newcomer, path, "x" * 201)
    assert long.status_code == 400 and "200 characters or fewer" in long.get_data(as_text=True)
    # The link still works after all that.
    assert _set(newcomer, path).status_code == 302


def test_a_link_works_once(app, admin_browser):
    _admin, browser = admin_browser
    _invite(browser, app)
    path, _message = _message_link(app, "new.worker@example.org")
    assert _set(Browser(app), path).status_code == 302
    again = Browser(app).get(path)
    assert again.status_code == 410
    assert "has been used already" in again.get_data(as_text=True)
    reused = _set(Browser(app), path, "another long password here")
    assert reused.status_code == 410
    # The password set first still stands.
    assert (
        Browser(app)
        .post("/sign-in", {"email": "new.worker@example.org", "password": NEW_PASSWORD})
        .location.endswith("/staff")
    )


def test_a_link_expires(app, admin_browser):
    _admin, browser = admin_browser
    _invite(browser, app)
    path, _message = _message_link(app, "new.worker@example.org")
    with time_machine.travel(utcnow() + timedelta(hours=72, minutes=1), tick=False):
        late = Browser(app).get(path)
        assert late.status_code == 410 and "has expired" in late.get_data(as_text=True)
        assert _set(Browser(app), path).status_code == 410


@pytest.mark.parametrize("token", ["nonsense", "x" * 300, "%C2%B2"])
def test_a_wrong_link_says_so(app, token):
    response = Browser(app).get(f"/set-password/{token}")
    assert response.status_code == 404
    assert "does not work" in response.get_data(as_text=True)


def test_inviting_someone_already_there_or_with_nothing_typed_is_refused(
    app, admin_browser, make_user
):
    _admin, browser = admin_browser
    existing = make_user("practitioner")
    again = _invite(browser, app, email=existing.email.upper())
    assert again.status_code == 400
    assert "There is already a user with the email" in again.get_data(as_text=True)
    empty = browser.post("/admin/staff/invite", {})
    assert empty.status_code == 400
    page = empty.get_data(as_text=True)
    assert "Enter their full name" in page and "Enter their email address" in page
    no_team = browser.post(
        "/admin/staff/invite",
        {"name": "Nia", "email": "nia@example.org", "role": "manager"},
    )
    assert no_team.status_code == 400 and "at least one team" in no_team.get_data(as_text=True)
    with app.app_context():
        assert db.session().scalar(select(OutboxMessage)) is None


def test_an_admin_resets_a_password(app, admin_browser, make_user):
    admin, browser = admin_browser
    worker = make_user("practitioner")
    theirs = Browser(app)
    theirs.sign_in(worker)
    page = browser.get(f"/admin/staff/{worker.id}/reset-password").get_data(as_text=True)
    assert "password stops working at once" in page
    assert (
        browser.post(f"/admin/staff/{worker.id}/reset-password", {"confirm": "yes"}).status_code
        == 302
    )
    # Signed out, and the old password no longer works.
    assert theirs.get("/account/sessions").status_code == 302
    assert theirs.sign_in(worker).status_code == 200
    path, message = _message_link(app, worker.email)
    assert message.subject == "Set a new password for Youth Voice"
    assert _set(Browser(app), path).status_code == 302
    assert (
        Browser(app).post("/sign-in", {"email": worker.email, "password": NEW_PASSWORD}).status_code
        == 302
    )
    with app.app_context():
        actions = set(db.session().scalars(select(AuditEvent.action)))
        assert {"staff-password-reset", "staff-reset-link-used"} <= actions


def test_a_new_link_replaces_the_old_one(app, admin_browser):
    _admin, browser = admin_browser
    _invite(browser, app)
    first, _message = _message_link(app, "new.worker@example.org")
    with app.app_context():
        user_id = db.session().scalar(select(User.id).where(User.email == "new.worker@example.org"))
    browser.post(f"/admin/staff/{user_id}/reset-password", {"confirm": "yes"})
    second, _message = _message_link(app, "new.worker@example.org")
    assert first != second
    assert Browser(app).get(first).status_code == 404
    assert Browser(app).get(second).status_code == 200
