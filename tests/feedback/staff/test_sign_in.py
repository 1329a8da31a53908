from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from feedback import create_app
from tests.conftest import PASSWORD


def test_sign_in_and_out(client, auth, make_user):
    user = make_user("practitioner")
    response = auth.sign_in(user)
    assert response.status_code == 302
    assert client.get("/cases").status_code == 200
    auth.sign_out()
    assert client.get("/cases").status_code == 302


def test_wrong_password_says_so_without_saying_which(client, make_user):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "The email address or password is not right" in response.get_data(as_text=True)
    unknown = client.post("/sign-in", data={"email": "nobody@example.org", "password": "x"})
    assert "The email address or password is not right" in unknown.get_data(as_text=True)


def test_empty_sign_in_shows_error_summary(client):
    text = client.post("/sign-in", data={}).get_data(as_text=True)
    assert "There is a problem" in text
    assert "Enter your email address" in text


# A browser reads "/\host" as "//host": another site, as much as an address with a scheme.
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_next_only_goes_to_this_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/sign-in", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.location == "/staff"


def test_passwords_are_stored_as_argon2(make_user):
    assert make_user().password_hash.startswith("$argon2id$")


def test_sign_in_attempts_are_limited(app_config, make_user):
    app = create_app({**app_config, "RATELIMIT_ENABLED": True, "SIGN_IN_LIMIT": "3 per minute"})
    client = app.test_client()
    codes = [
        client.post("/sign-in", data={"email": "a@example.org", "password": "x"}).status_code
        for _ in range(4)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_practitioner_pages_refuse_other_roles_where_needed(client, auth, make_user, role):
    auth.sign_in(make_user(role, teams=("north",) if role != "admin" else ()))
    assert client.get("/cases/new").status_code == 403


def _limited(app_config, **config):
    return create_app(
        {
            **app_config,
            "RATELIMIT_ENABLED": True,
            "SIGN_IN_LIMIT": "100 per minute",
            "SIGN_IN_ACCOUNT_LIMIT": "3 per minute; 5 per hour",
            **config,
        }
    )


def _try(client, email, password="wrong", address="203.0.113.1"):  # noqa: S107
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_failures_against_one_account_from_many_addresses_are_slowed(app_config, make_user):
    user = make_user()
    client = _limited(app_config).test_client()
    codes = [_try(client, user.email, address=f"198.51.100.{n}").status_code for n in range(1, 5)]
    assert codes == [200, 200, 200, 429]
    # The email as typed on another phone is the same account.
    assert _try(client, f"  {user.email.upper()} ", address="192.0.2.9").status_code == 429
    # Even the right password waits: the limit is checked before the password.
    assert _try(client, user.email, PASSWORD, address="192.0.2.10").status_code == 429
    # Another account is not slowed, from the very same addresses.
    other = make_user()
    assert _try(client, other.email, PASSWORD, address="198.51.100.1").status_code == 302


def test_sign_ins_that_work_do_not_count_against_the_account(app_config, make_user):
    user = make_user()
    app = _limited(app_config)
    for n in range(5):
        assert _try(app.test_client(), user.email, PASSWORD, f"192.0.2.{n}").status_code == 302


def test_the_account_is_slowed_not_locked_out(app_config, make_user):
    user = make_user()
    client = _limited(app_config).test_client()
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        for n in range(3):
            _try(client, user.email, address=f"198.51.100.{n}")
        refused = _try(client, user.email, PASSWORD)
        assert refused.status_code == 429
        assert "Try again in 1 minute." in refused.get_data(as_text=True)
        assert 0 < int(refused.headers["Retry-After"]) <= 60
    # The short window has run out: the real user signs in.
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert _try(client, user.email, PASSWORD).status_code == 302


def test_the_page_says_when_the_longer_window_lets_them_try_again(app_config, make_user):
    user = make_user()
    client = _limited(app_config).test_client()
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    with time_machine.travel(start, tick=False):
        for n in range(3):
            assert _try(client, user.email, address=f"198.51.100.{n}").status_code == 200
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        for n in range(2):
            assert _try(client, user.email, address=f"198.51.100.{n}").status_code == 200
        # 5 failures in the hour: the minute's window is open, the hour's is not.
        refused = _try(client, user.email, PASSWORD)
        assert refused.status_code == 429
        text = refused.get_data(as_text=True)
        assert "Try again in 59 minutes." in text
        assert 3600 - 62 <= int(refused.headers["Retry-After"]) <= 3600 - 60
    with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
        assert _try(client, user.email, PASSWORD).status_code == 302
