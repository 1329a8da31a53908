from __future__ import annotations

import pytest

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


def test_next_only_goes_to_this_site(client, make_user):
    user = make_user()
    response = client.post(
        "/sign-in?next=https://evil.example/", data={"email": user.email, "password": PASSWORD}
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
