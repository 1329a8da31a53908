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


def test_a_page_with_a_body_has_the_policy_and_an_empty_redirect_goes_without(client):
    page = client.get("/start")
    redirect = client.get("/check-in")  # no link opened yet: back to the start
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert redirect.status_code == 302 and redirect.get_data() == b""
    # What protects a drawn page is on the page, and not on a redirect, which is never
    # drawn (nor its empty body typed); what governs the next request stays.
    for drawn_only in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Permissions-Policy",
        "Content-Type",
    ):
        assert drawn_only in page.headers and drawn_only not in redirect.headers
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert redirect.headers["Referrer-Policy"] == page.headers["Referrer-Policy"] == "no-referrer"
    assert redirect.headers["Cache-Control"] == page.headers["Cache-Control"] == "no-store"


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
    app = create_app(
        {
            **app_config,
            "APP_ENV": "staging",
            "SESSION_COOKIE_SECURE": True,
            "PASSWORD_HASHING": "rfc-9106-low-memory",
        }
    )
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


GOOD_SECRET = "Vq3kR9-xT2mWb7_LpZ4nYc8HsD1fJe6G"  # 32 characters, all different
GOOD_PSEUDONYM = "a8Kd2Qx7-Lm4Rt9_Zp3Wv6Nc1Hy5Bf0Js"


@pytest.fixture
def live_env(monkeypatch, tmp_path):
    """A live set-up's environment, with good keys; tests spoil one thing each."""
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("PSEUDONYM_KEY", GOOD_PSEUDONYM)
    return {"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"}


def test_production_refuses_default_secrets(monkeypatch, live_env):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is the development default"):
        create_app(live_env)
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.delenv("PSEUDONYM_KEY", raising=False)
    with pytest.raises(ConfigError, match="PSEUDONYM_KEY is the development default"):
        create_app(live_env)


@pytest.mark.parametrize("app_env", [None, "", "staging", "Development", "dev", "test"])
def test_anything_but_development_or_testing_needs_real_secrets(monkeypatch, live_env, app_env):
    if app_env is None:
        monkeypatch.delenv("APP_ENV")
    else:
        monkeypatch.setenv("APP_ENV", app_env)
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(live_env)


@pytest.mark.parametrize("app_env", ["development", "testing"])
def test_development_and_testing_may_use_the_default_secrets(monkeypatch, live_env, app_env):
    monkeypatch.setenv("APP_ENV", app_env)
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.delenv("PSEUDONYM_KEY")
    app = create_app({**live_env, "PASSWORD_HASHING": "rfc-9106-low-memory"})
    assert app.config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("SECRET_KEY", "Vq3kR9-xT2mWb7_LpZ4", "is shorter than 32 bytes"),
        ("PSEUDONYM_KEY", "a8Kd2Qx7-Lm4Rt9", "is shorter than 32 bytes"),
        ("SECRET_KEY", "s" * 64, "has fewer than 10 different characters"),
        ("PSEUDONYM_KEY", "abcabcabc" * 8, "has fewer than 10 different characters"),
        ("SECRET_KEY", "dev-only-pseudonym-key-change-me", "is the development default"),
        ("PSEUDONYM_KEY", "dev-only-secret-key-change-me", "is the development default"),
    ],
)
def test_production_refuses_weak_secrets(monkeypatch, live_env, name, value, problem):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"{name} {problem}"):
        create_app(live_env)


def test_production_refuses_the_same_key_twice(monkeypatch, live_env):
    monkeypatch.setenv("PSEUDONYM_KEY", GOOD_SECRET)
    with pytest.raises(ConfigError, match="SECRET_KEY and PSEUDONYM_KEY are the same"):
        create_app(live_env)


@pytest.mark.parametrize("app_env", ["production", "staging", "development"])
def test_only_the_test_suite_may_hash_passwords_cheaply(app_config, app_env):
    with pytest.raises(ConfigError, match="PASSWORD_HASHING"):
        create_app(
            {
                **app_config,
                "APP_ENV": app_env,
                "PASSWORD_HASHING": "cheapest",
                "SECRET_KEY": "s" * 40,
                "PSEUDONYM_KEY": "p" * 40,
            }
        )
    with pytest.raises(ConfigError, match="PASSWORD_HASHING"):
        create_app({**app_config, "PASSWORD_HASHING": "md5"})


def test_live_password_hashes_use_the_rfc_9106_profile(app, session, make_user):
    from argon2 import extract_parameters, profiles

    live = create_app(
        {**app.config, "APP_ENV": "staging", "PASSWORD_HASHING": "rfc-9106-low-memory"}
    )
    with live.app_context():
        from feedback.staff.services import hash_password

        assert extract_parameters(hash_password("x" * 20)) == profiles.RFC_9106_LOW_MEMORY
    cheap = make_user().password_hash  # the suite's own
    assert extract_parameters(cheap) == profiles.CHEAPEST


def test_production_starts_with_real_secrets(live_env):
    app = create_app(live_env)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == GOOD_SECRET
    response = app.test_client().get("/sign-in")
    assert response.status_code == 200
    hsts = response.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


def test_no_hsts_in_development(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers


@pytest.mark.parametrize("value", ["-1", "two", "1.5"])
def test_trusted_proxies_must_be_a_count(app_config, value):
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        create_app({**app_config, "TRUSTED_PROXIES": value})


def _limited_app(app_config, proxies):
    return create_app(
        {
            **app_config,
            "RATELIMIT_ENABLED": True,
            "SIGN_IN_LIMIT": "2 per minute",
            "TRUSTED_PROXIES": proxies,
        }
    )


def _sign_in_from(client, forwarded_for):
    return client.post(
        "/sign-in",
        data={"email": "a@example.org", "password": "x"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    ).status_code


def test_behind_a_trusted_proxy_limits_key_on_the_client_address(app_config):
    client = _limited_app(app_config, 1).test_client()
    assert [_sign_in_from(client, "203.0.113.7") for _ in range(3)] == [200, 200, 429]
    # Another client behind the same proxy is not slowed by the first.
    assert _sign_in_from(client, "198.51.100.9") == 200
    # A client cannot choose its address: only the proxy's last hop counts.
    assert _sign_in_from(client, "198.51.100.1, 203.0.113.7") == 429


def test_without_trusted_proxies_forwarded_headers_are_ignored(app_config):
    client = _limited_app(app_config, 0).test_client()
    codes = [_sign_in_from(client, f"203.0.113.{n}") for n in range(3)]
    assert codes == [200, 200, 429]  # every request is the proxy's own address


def test_unknown_page_is_a_kind_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
