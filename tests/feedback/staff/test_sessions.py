"""Signing out, deactivation and a new password end every session of the account."""

from __future__ import annotations

from feedback import db
from feedback.staff import services
from feedback.staff.models import User
from tests.conftest import PASSWORD
from tests.feedback.staff import Browser


def _two_browsers(app, user):
    first, second = Browser(app), Browser(app)
    for browser in (first, second):
        assert browser.sign_in(user).status_code == 302
        assert browser.get("/cases").status_code == 200
    return first, second


def _signed_out(browser) -> bool:
    response = browser.get("/cases")
    return response.status_code == 302 and "/sign-in" in response.location


def test_signing_out_in_one_browser_signs_out_the_others(app, make_user):
    first, second = _two_browsers(app, make_user("practitioner"))
    first.sign_out()
    assert _signed_out(first)
    assert _signed_out(second)


def test_signing_out_ends_only_that_accounts_sessions(app, make_user):
    first, _ = _two_browsers(app, make_user("practitioner"))
    colleague = Browser(app)
    colleague.sign_in(make_user("practitioner"))
    first.sign_out()
    assert colleague.get("/cases").status_code == 200


def test_your_sessions_page_signs_out_everywhere(app, make_user):
    first, second = _two_browsers(app, make_user("practitioner"))
    page = first.get("/account/sessions")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Sign out everywhere" in text and "You signed in on this browser at" in text
    assert 'href="/account/sessions"' in first.get("/cases").get_data(as_text=True)  # in the nav
    response = first.post("/account/sessions/sign-out")
    assert response.status_code == 302 and "/sign-in" in response.location
    assert _signed_out(first)
    assert _signed_out(second)


def test_sign_out_everywhere_needs_the_csrf_token(app_config, make_user):
    from feedback import create_app

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = Browser(app)
    user = make_user("practitioner")
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/sign-in", {"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert client.post("/account/sessions/sign-out").status_code == 400
    assert client.get("/cases").status_code == 200


def test_a_deactivated_user_is_signed_out_and_cannot_sign_in(app, session, make_user):
    user = make_user("practitioner")
    admin = make_user("admin", teams=())
    first, second = _two_browsers(app, user)
    services.set_active(session, user, False, by=admin)
    session.commit()
    assert _signed_out(first) and _signed_out(second)
    response = first.sign_in(user)
    assert response.status_code == 200
    assert "The email address or password is not right" in response.get_data(as_text=True)


def test_a_new_password_ends_every_session(app, session, make_user):
    user = make_user("practitioner")
    first, _ = _two_browsers(app, user)
    services.set_password(session, user, "a brand new long password", by=None)
    session.commit()
    assert _signed_out(first)
    assert first.sign_in(user, password="a brand new long password").status_code == 302


def test_a_session_from_before_versions_is_signed_out(app, make_user):
    user = make_user("practitioner")
    browser = Browser(app)
    browser.sign_in(user)
    with browser.client.session_transaction() as kept:
        kept["_user_id"] = str(user.id)  # as sessions were kept before revision 0008
    assert _signed_out(browser)
    with app.app_context():
        assert db.session().get(User, user.id).session_version == 0


def test_users_set_password_ends_every_session(app, runner, make_user):
    user = make_user("practitioner")
    first, _ = _two_browsers(app, user)
    result = runner.invoke(
        args=["users", "set-password", "--email", user.email.upper(), "--password", "x" * 8]
    )
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    assert not _signed_out(first)
    result = runner.invoke(
        args=["users", "set-password", "--email", user.email, "--password", "another long one"]
    )
    assert result.exit_code == 0, result.output
    assert _signed_out(first)
    assert first.sign_in(user, password="another long one").status_code == 302
    nobody = runner.invoke(
        args=["users", "set-password", "--email", "no@x.org", "--password", "y" * 20]
    )
    assert nobody.exit_code != 0 and "no staff account" in nobody.output
