"""Sign-in codes: managers and admins type a TOTP code after their password, set it up
at their first sign-in before reaching anything else, and keep one-time recovery codes;
a code never works twice; tries are limited per account; an admin can reset them."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from feedback import create_app, db
from feedback.audit.models import AuditEvent
from feedback.staff.mfa import step_at
from feedback.staff.models import RecoveryCode, User
from tests.conftest import PASSWORD, next_code, utcnow
from tests.feedback.staff import Browser


def _user(app, user_id) -> User:
    with app.app_context():
        user = db.session().get(User, user_id)
        db.session().expunge(user)
        return user


def _password(browser, user):
    return browser.post("/sign-in", {"email": user.email, "password": PASSWORD})


def _signed_in(browser) -> bool:
    return browser.get("/account/sessions").status_code == 200


def _code_now(app, user_id, offset=0) -> str:
    secret = _user(app, user_id).mfa_secret
    return pyotp.TOTP(secret).generate_otp(step_at(utcnow()) + offset)


def test_a_manager_types_a_code_after_the_password(app, make_user):
    manager = make_user("manager")
    browser = Browser(app)
    response = _password(browser, manager)
    assert response.status_code == 302 and response.location.endswith("/sign-in/code")
    # The password alone reaches nothing.
    assert not _signed_in(browser)
    assert "Enter your sign-in code" in browser.get("/sign-in/code").get_data(as_text=True)
    done = browser.post(
        "/sign-in/code", {"code": pyotp.TOTP(_user(app, manager.id).mfa_secret).now()}
    )
    assert done.status_code == 302 and done.location.endswith("/staff")
    assert _signed_in(browser)


def test_a_wrong_code_is_refused_kindly(app, make_user):
    manager = make_user("manager")
    browser = Browser(app)
    _password(browser, manager)
    for wrong in ("000000", "12345", "abcdef", "²²²²²²", "9" * 41, ""):
        response = browser.post("/sign-in/code", {"code": wrong})
        assert response.status_code == 400
        assert "error-summary" in response.get_data(as_text=True)
    assert not _signed_in(browser)


def test_a_code_works_once(app, make_user):
    manager = make_user("manager")
    code = _code_now(app, manager.id)
    first = Browser(app)
    _password(first, manager)
    assert first.post("/sign-in/code", {"code": code}).status_code == 302
    # The same code again, straight away, on another browser: someone who saw it typed.
    second = Browser(app)
    _password(second, manager)
    again = second.post("/sign-in/code", {"code": code})
    assert again.status_code == 400
    assert "used already" in again.get_data(as_text=True)
    assert not _signed_in(second)
    # And so is a code for an earlier step than the last one used.
    assert second.post("/sign-in/code", {"code": _code_now(app, manager.id, -1)}).status_code == 400
    # The next step's code works (the app shows it within 30 seconds).
    assert second.post("/sign-in/code", {"code": _code_now(app, manager.id, +1)}).status_code == 302


def test_codes_from_too_long_ago_or_ahead_are_refused(app, make_user):
    manager = make_user("manager")
    browser = Browser(app)
    _password(browser, manager)
    for offset in (-3, -2, 2, 3):
        assert (
            browser.post("/sign-in/code", {"code": _code_now(app, manager.id, offset)}).status_code
            == 400
        )


def test_the_second_step_waits_ten_minutes_at_most(app, make_user):
    manager = make_user("manager")
    browser = Browser(app)
    _password(browser, manager)
    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        code = _code_now(app, manager.id)
        response = browser.post("/sign-in/code", {"code": code})
    assert response.status_code == 302 and response.location.endswith("/sign-in")
    assert not _signed_in(browser)


def test_a_manager_without_codes_sets_them_up_before_anything_else(app, make_user):
    manager = make_user("manager", enrol=False)
    browser = Browser(app)
    response = _password(browser, manager)
    assert response.location.endswith("/sign-in/set-up-codes")
    assert not _signed_in(browser)
    assert browser.get("/dashboard").status_code == 302
    page = browser.get("/sign-in/set-up-codes").get_data(as_text=True)
    secret = _user(app, manager.id).mfa_secret
    # A QR code drawn inline (no image to fetch, no script) and the key to type.
    main = page.split("<main")[1].split("</main>")[0]
    assert re.search(r'<svg [^>]*role="img"', main) and "<script" not in main and "<img" not in main
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    # Reloading shows the same key: the app may have it already.
    assert _user(app, manager.id).mfa_secret == secret
    browser.get("/sign-in/set-up-codes")
    assert _user(app, manager.id).mfa_secret == secret

    wrong = browser.post("/sign-in/set-up-codes", {"code": "123456"})
    assert wrong.status_code == 400 and "not right" in wrong.get_data(as_text=True)
    assert _user(app, manager.id).mfa_enrolled_at is None

    done = browser.post("/sign-in/set-up-codes", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert _signed_in(browser)
    with app.app_context():
        stored = {r.code_hash for r in db.session().scalars(select(RecoveryCode))}
        assert stored == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}
        assert not any(c in str(stored) for c in codes)
        assert db.session().scalar(select(AuditEvent).where(AuditEvent.action == "mfa-enrolled"))
    # Shown once: the account page counts them and never shows them again.
    page = browser.get("/account/sign-in-codes").get_data(as_text=True)
    assert "You have 10 recovery codes left" in page and codes[0] not in page


def test_a_recovery_code_works_once(app, make_user):
    manager = make_user("manager", enrol=False)
    browser = Browser(app)
    _password(browser, manager)
    browser.get("/sign-in/set-up-codes")
    done = browser.post(
        "/sign-in/set-up-codes", {"code": pyotp.TOTP(_user(app, manager.id).mfa_secret).now()}
    )
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.get_data(as_text=True))
    browser.sign_out()

    _password(browser, manager)
    # Typed as people type: capitals, spaces instead of hyphens.
    typed = codes[3].upper().replace("-", " ")
    assert browser.post("/sign-in/code", {"code": typed}).status_code == 302
    browser.sign_out()
    _password(browser, manager)
    assert browser.post("/sign-in/code", {"code": codes[3]}).status_code == 400
    assert browser.post("/sign-in/code", {"code": codes[4]}).status_code == 302
    assert "You have 8 recovery codes left" in browser.get("/account/sign-in-codes").get_data(
        as_text=True
    )


def test_practitioners_may_set_up_codes_and_then_need_them(app, make_user):
    worker = make_user("practitioner")
    browser = Browser(app)
    assert _password(browser, worker).location.endswith("/staff")
    page = browser.get("/account/sign-in-codes").get_data(as_text=True)
    assert "Set up sign-in codes" in page
    done = browser.post(
        "/account/sign-in-codes", {"code": pyotp.TOTP(_user(app, worker.id).mfa_secret).now()}
    )
    assert "Your recovery codes" in done.get_data(as_text=True)
    browser.sign_out()
    assert _password(browser, worker).location.endswith("/sign-in/code")


def test_a_setting_makes_practitioners_need_codes(app_config, make_user):
    worker = make_user("practitioner")
    app = create_app({**app_config, "MFA_REQUIRED_FOR_PRACTITIONERS": True})
    try:
        assert _password(Browser(app), worker).location.endswith("/sign-in/set-up-codes")
    finally:
        db.dispose(app)


def test_wrong_codes_are_limited_per_account(app_config, make_user):
    manager = make_user("manager")
    app = create_app(
        {**app_config, "RATELIMIT_ENABLED": True, "SIGN_IN_ACCOUNT_LIMIT": "3 per minute"}
    )
    try:
        statuses = []
        # From a new browser (and address) each time: the limit is the account's.
        for n in range(4):
            browser = Browser(app)
            browser.open(
                "/sign-in",
                "POST",
                data={"email": manager.email, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
            )
            statuses.append(
                browser.open(
                    "/sign-in/code",
                    "POST",
                    data={"code": "000000"},
                    environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
                ).status_code
            )
        assert statuses == [400, 400, 400, 429]
        # Even the right code waits until the window has passed.
        right = browser.post("/sign-in/code", {"code": next_code(app, manager.id)})
        assert right.status_code == 429
    finally:
        db.dispose(app)


def test_an_admin_resets_someones_codes(app, make_user):
    admin = make_user("admin", teams=())
    manager = make_user("manager")
    theirs = Browser(app)
    assert theirs.sign_in(manager).status_code == 302
    browser = Browser(app)
    browser.sign_in(admin)
    assert "Reset sign-in codes" in browser.get("/admin/staff").get_data(as_text=True)
    page = browser.get(f"/admin/staff/{manager.id}/reset-sign-in-codes").get_data(as_text=True)
    assert f"Reset {manager.name}&#39;s sign-in codes?" in page
    assert browser.post(f"/admin/staff/{manager.id}/reset-sign-in-codes", {}).status_code == 400
    done = browser.post(f"/admin/staff/{manager.id}/reset-sign-in-codes", {"confirm": "yes"})
    assert done.status_code == 302
    after = _user(app, manager.id)
    assert after.mfa_secret is None and after.mfa_enrolled_at is None
    assert not _signed_in(theirs)
    assert _password(Browser(app), manager).location.endswith("/sign-in/set-up-codes")
    with app.app_context():
        event = db.session().scalar(select(AuditEvent).where(AuditEvent.action == "mfa-reset"))
        assert event.actor == admin.email and json.loads(event.detail)["email"] == manager.email
        assert db.session().scalar(select(RecoveryCode)) is None


def test_becoming_a_manager_without_codes_signs_out_to_set_them_up(app, make_user):
    admin = make_user("admin", teams=())
    worker = make_user("practitioner")
    theirs = Browser(app)
    theirs.sign_in(worker)
    browser = Browser(app)
    browser.sign_in(admin)
    browser.post(f"/admin/staff/{worker.id}", {"role": "manager", "teams": [worker.teams[0].id]})
    assert _user(app, worker.id).role == "manager"
    assert not _signed_in(theirs)
    assert _password(theirs, worker).location.endswith("/sign-in/set-up-codes")


@pytest.mark.parametrize("path", ["/sign-in/code", "/sign-in/set-up-codes"])
def test_the_second_step_without_a_password_starts_again(client, path):
    response = client.post(path, data={"code": "123456"})
    assert response.status_code == 302 and response.location.endswith("/sign-in")


def test_the_command_line_resets_codes_when_no_admin_can(app, runner, make_user):
    admin = make_user("admin", teams=())
    result = runner.invoke(args=["users", "reset-codes", "--email", admin.email.upper()])
    assert result.exit_code == 0, result.output
    assert _user(app, admin.id).mfa_secret is None
    assert _password(Browser(app), admin).location.endswith("/sign-in/set-up-codes")
    missing = runner.invoke(args=["users", "reset-codes", "--email", "nobody@example.org"])
    assert missing.exit_code != 0 and "no staff account" in missing.output
