"""When the database cannot be reached, young people and staff get a kind page (503,
with Retry-After), never a stack trace, and nothing already saved is lost."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from feedback.responses.models import Response
from tests.feedback.checkin.answers import GOOD_ANSWERS


@contextmanager
def database_down(app, writes_only=False):
    """Every statement (or every write) fails as a lost database connection does: a
    DBAPI error raised where the statement runs, which SQLAlchemy wraps as it would."""
    engine = app.extensions["db_engine"]

    def fail(_connection, _cursor, statement, *_args):
        if not writes_only or statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise sqlite3.OperationalError("server closed the connection unexpectedly")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


# The failure raised is SQLite's own error type: these run on SQLite only.
pytestmark = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)


def test_an_answer_that_cannot_be_saved_gets_a_kind_page_and_earlier_answers_stay(
    app, client, session, make_invitation
):
    issued = make_invitation()
    client.get(f"/r/{issued.token}")
    first = client.post("/check-in/questions/feel-safe", data={"answer": GOOD_ANSWERS["feel-safe"]})
    assert first.status_code == 302

    with database_down(app, writes_only=True):
        page = client.post(
            "/check-in/questions/trusted-adult", data={"answer": GOOD_ANSWERS["trusted-adult"]}
        )
    text = page.get_data(as_text=True)
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "10"
    assert "Sorry, we could not save that" in text
    assert "We could not save what you just sent. Please try again in a minute." in text
    assert "Anything you had already saved is still saved." in text
    assert "Leave this site" in text  # a young person's page, with its way out
    assert "Traceback" not in text and "OperationalError" not in text
    assert page.headers["Cache-Control"] == "no-store"

    # The first answer is still there; the second was not half kept.
    session.expire_all()
    (response,) = session.query(Response).all()
    assert set(response.answer_map()) == {"feel-safe"}

    # Trying again once the database is back works, and carries on from where it was.
    again = client.post(
        "/check-in/questions/trusted-adult", data={"answer": GOOD_ANSWERS["trusted-adult"]}
    )
    assert again.status_code == 302
    session.expire_all()
    assert set(session.query(Response).one().answer_map()) == {"feel-safe", "trusted-adult"}


def test_a_page_that_cannot_be_read_says_so_kindly(app, client, make_invitation):
    issued = make_invitation()
    client.get(f"/r/{issued.token}")
    with database_down(app):
        page = client.get("/check-in")
    text = page.get_data(as_text=True)
    assert page.status_code == 503
    assert "Sorry, this page is not working" in text
    assert "This page is not working just now. Please try again in a minute." in text
    assert "Traceback" not in text


def test_staff_pages_say_so_too_without_asking_the_database_who_is_signed_in(
    app, client, auth, make_user
):
    user = make_user(role="practitioner")
    assert auth.sign_in(user).status_code == 302
    with database_down(app):
        page = client.get("/cases")
    text = page.get_data(as_text=True)
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "10"
    assert "Sorry, this page is not working" in text
    assert "Leave this site" not in text  # the staff layout
    assert "Traceback" not in text
