"""A young person's browser keeps nothing after they leave."""

from __future__ import annotations

from tests.feedback.checkin.answers import GOOD_ANSWERS


def session_cookies(response):
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]


def test_young_person_pages_set_no_persistent_cookie(client, make_invitation):
    responses = [client.get(f"/r/{make_invitation().token}"), client.get("/check-in")]
    responses.append(
        client.post("/check-in/questions/feel-safe", data={"answer": GOOD_ANSWERS["feel-safe"]})
    )
    responses.append(
        client.post("/check-in/questions/anything-else", data={"answer": "my stepdad hits me"})
    )
    responses.append(client.get("/check-in/questions/trusted-adult"))
    cookies = [c for r in responses for c in r.headers.getlist("Set-Cookie")]
    assert cookies, "the check-in should hold its place in a session cookie"
    for cookie in cookies:
        attributes = cookie.lower()
        if "max-age=0" in attributes:
            # A deletion (Flask-Login clearing a remember-me cookie): it removes, not keeps.
            assert "1970" in attributes, cookie
            continue
        assert cookie.startswith("session="), cookie
        assert "expires=" not in attributes and "max-age=" not in attributes, cookie
        assert "httponly" in attributes
    assert any(c.startswith("session=") for c in cookies)


def test_leave_clears_the_session_and_the_site_data(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    response = client.get("/leave")
    assert response.status_code == 303
    assert '"cookies"' in response.headers["Clear-Site-Data"]
    # The cookie is deleted (expired in the past), not left behind.
    deleted = session_cookies(response)
    assert deleted and "1970" in deleted[0]
    assert client.get("/check-in").location.endswith("/start")
