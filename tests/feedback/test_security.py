"""Headers, cookies and configuration that keep young people's use private."""

from __future__ import annotations

import pytest

from feedback import create_app
from feedback.config import ConfigError


def test_csp_allows_only_this_origin_and_uses_nonces(client):
    csp = client.get("/start").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "'nonce-" in csp
    assert "http" not in csp.replace("'self'", "")


def test_nonce_changes_per_response_and_matches_inline_script(client):
    first = client.get("/start")
    second = client.get("/start")
    nonce = first.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in first.get_data(as_text=True)
    assert nonce not in second.headers["Content-Security-Policy"]


def test_young_person_pages_leave_no_trace(client):
    response = client.get("/start")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    title = response.get_data(as_text=True).split("<title>")[1].split("</title>")[0]
    for word in ("exploitation", "safeguarding", "abuse", "youth voice"):
        assert word not in title.lower()


def test_young_person_pages_load_nothing_from_other_sites(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    for path in ("/check-in", "/check-in/questions/feel-safe", "/help", "/start"):
        html = client.get(path).get_data(as_text=True)
        for attribute in ('src="http', "src='http", 'href="http'):
            assert attribute not in html, path


def test_session_cookie_flags(app_config, make_user):
    app = create_app({**app_config, "APP_ENV": "staging", "SESSION_COOKIE_SECURE": True,
                      "PASSWORD_HASHING": "rfc-9106-low-memory"})
    client = app.test_client()
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": "wrong"})
    response = client.post(
        "/sign-in", data={"email": user.email, "password": "correct horse battery staple"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires" not in cookie  # a session cookie: gone when the browser closes


def test_csrf_is_required_on_posts(app_config, make_invitation):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    response = app.test_client().post("/start", data={"code": "ABCD-EFGH"})
    assert response.status_code == 400
    assert "Your page timed out" in response.get_data(as_text=True)


def test_production_refuses_default_secrets(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"})


@pytest.mark.parametrize("app_env", ["production", "staging", "development"])
def test_only_the_test_suite_may_hash_passwords_cheaply(app_config, app_env):
    with pytest.raises(ConfigError, match="PASSWORD_HASHING"):
        create_app({**app_config, "APP_ENV": app_env, "PASSWORD_HASHING": "cheapest",
                    "SECRET_KEY": "s" * 40, "PSEUDONYM_KEY": "p" * 40})
    with pytest.raises(ConfigError, match="PASSWORD_HASHING"):
        create_app({**app_config, "PASSWORD_HASHING": "md5"})


def test_live_password_hashes_use_the_rfc_9106_profile(app, session, make_user):
    from argon2 import extract_parameters, profiles

    live = create_app({**app.config, "APP_ENV": "staging",
                       "PASSWORD_HASHING": "rfc-9106-low-memory"})
    with live.app_context():
        from feedback.staff.services import hash_password

        assert extract_parameters(hash_password("x" * 20)) == profiles.RFC_9106_LOW_MEMORY
    cheap = make_user().password_hash  # the suite's own
    assert extract_parameters(cheap) == profiles.CHEAPEST


def test_production_starts_with_real_secrets(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PSEUDONYM_KEY", "p" * 40)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_unknown_page_is_a_kind_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
