"""What a young person's pages cost the server in SQL statements: a few a page, and the
same on the last question as on the first, however many answers are saved by then.

Each page reads the link with its case and its draft with the draft's answers in one
statement. The service's settings (its name, the help lines) are a second on the first
page that shows them; the process keeps them a few seconds (SETTINGS_KEPT_SECONDS), so
later pages cost the one. Saving an answer adds the upsert, which returns the row it
left, and the draft's time of change."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.feedback.checkin.answers import CHECKIN, GOOD_ANSWERS

pytestmark = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)

# Statements a page may cost (read the link and its draft; the first page read the
# settings too; saving adds two writes; the link's first opening makes the draft and
# marks the link opened).
FIRST_OPENING = 4
FIRST_PAGE = 2
PAGE = 1
SAVE = 3


@contextmanager
def counted(app):
    statements: list[str] = []
    engine = app.extensions["db_engine"]

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_each_page_of_a_check_in_costs_a_few_statements_however_far_through(
    app, client, make_invitation
):
    issued = make_invitation()
    with counted(app) as statements:
        assert client.get(f"/r/{issued.token}").status_code == 302
    assert len(statements) <= FIRST_OPENING, statements
    with counted(app) as statements:
        assert client.get("/check-in").status_code == 200
    assert len(statements) <= FIRST_PAGE, statements

    shown, saved = [], []
    for question in CHECKIN.questions:
        path = f"/check-in/questions/{question.id}"
        with counted(app) as statements:
            assert client.get(path).status_code == 200
        shown.append(len(statements))
        with counted(app) as statements:
            posted = client.post(path, data={"answer": GOOD_ANSWERS[question.id]})
            assert posted.status_code == 302
        saved.append(len(statements))
    assert max(shown) <= PAGE and max(saved) <= SAVE, (shown, saved)
    # Flat: the tenth question costs what the first did.
    assert len(set(shown)) == 1 and len(set(saved)) == 1, (shown, saved)

    with counted(app) as statements:
        assert client.get("/check-in/check").status_code == 200
    assert len(statements) <= PAGE, statements
