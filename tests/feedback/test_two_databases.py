"""The analytical store in a database of its own (ANALYTICS_DATABASE_URL).

A request that writes to both commits the store first. If the store's commit fails,
nothing is kept anywhere; if the app's fails after the store's, sending again writes the
same occasion once, because the store replaces an occasion by its response's reference.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, inspect, select

from feedback import db
from feedback.invitations.models import Invitation
from feedback.responses.models import Response
from outcomes.store import Occasion, Person, PersonMonth, ScoreCell, pseudonymise
from tests.conftest import POSTGRES_URL
from tests.feedback.checkin.answers import GOOD_ANSWERS, answer_all

APART = pytest.mark.parametrize(
    "databases", ["sqlite-split"] + (["postgresql"] if POSTGRES_URL else []), indirect=True
)


class CommitFails(Exception):
    pass


def failing_commits(engine):
    def refuse(_connection):
        raise CommitFails

    event.listen(engine, "commit", refuse)
    return lambda: event.remove(engine, "commit", refuse)


def counts(session) -> dict[str, int]:
    """What each database kept. The requests share the test's session (one app context),
    so what a failed request left in it is rolled back first, as its teardown would."""
    session.rollback()
    return {
        "sent": session.scalar(
            select(func.count(Response.id)).where(Response.status == "submitted")
        ),
        "used": session.scalar(
            select(func.count(Invitation.id)).where(Invitation.used_at.is_not(None))
        ),
        "occasions": session.scalar(select(func.count(Occasion.id))),
        "people": session.scalar(select(func.count(Person.id))),
        "person-months": session.scalar(select(func.count()).select_from(PersonMonth)),
        "safety people": session.scalar(
            select(func.coalesce(func.sum(ScoreCell.people), 0)).where(
                ScoreCell.domain == "safety",
                ScoreCell.period_type == "month",
                ScoreCell.kind == "checkin",
                ScoreCell.strand == "*",
            )
        ),
    }


SENT_ONCE = {
    "sent": 1,
    "used": 1,
    "occasions": 1,
    "people": 1,
    "person-months": 2,
    "safety people": 1,
}


def start_check_in(app, make_invitation):
    browser = app.test_client()
    browser.get(f"/r/{make_invitation().token}")
    answer_all(browser, GOOD_ANSWERS)
    return browser


@APART
def test_each_part_of_the_schema_is_in_its_own_database(app):
    with app.app_context():
        app_tables = set(inspect(db.engine()).get_table_names())
        store_tables = set(inspect(db.store_engine()).get_table_names())
    assert "outcomes_occasion" in store_tables and "outcomes_occasion" not in app_tables
    assert "case_record" in app_tables and "case_record" not in store_tables


@APART
def test_a_failed_store_commit_keeps_nothing_anywhere(app, session, make_invitation):
    browser = start_check_in(app, make_invitation)
    restore = failing_commits(app.extensions["store_engine"])
    try:
        with pytest.raises(CommitFails):
            browser.post("/check-in/check", data={"quote_consent": "no"})
    finally:
        restore()
    assert counts(session) == dict.fromkeys(SENT_ONCE, 0)
    # The young person sends again, and it is all there once.
    assert browser.post("/check-in/check", data={"quote_consent": "no"}).status_code == 302
    assert counts(session) == SENT_ONCE


@APART
# The failure is raised before the driver's commit, which SQLAlchemy then warns about
# when the failed transaction is rolled back.
@pytest.mark.filterwarnings("ignore:transaction already deassociated:sqlalchemy.exc.SAWarning")
def test_a_failed_app_commit_after_the_store_committed_repeats_harmlessly(
    app, session, make_invitation
):
    browser = start_check_in(app, make_invitation)
    restore = failing_commits(app.extensions["db_engine"])
    try:
        with pytest.raises(CommitFails):
            browser.post("/check-in/check", data={"quote_consent": "no"})
    finally:
        restore()
    # The store kept its part; the response is still a draft the young person can send.
    assert counts(session) == {**SENT_ONCE, "sent": 0, "used": 0}
    assert browser.post("/check-in/check", data={"quote_consent": "no"}).status_code == 302
    assert counts(session) == SENT_ONCE


@APART
def test_erasure_and_rebuilding_work_across_both_databases(
    app, runner, session, make_case, make_invitation
):
    for reference in ("CS-GONE", "CS-KEPT"):
        browser = app.test_client()
        browser.get(f"/r/{make_invitation(case=make_case(reference=reference)).token}")
        answer_all(browser, GOOD_ANSWERS)
        assert browser.post("/check-in/check", data={"quote_consent": "no"}).status_code == 302
    result = runner.invoke(args=["outcomes", "rebuild-summaries"])
    assert result.exit_code == 0, result.output
    assert "Young people and families in the store: 2" in result.output

    result = runner.invoke(args=["erase-case", "CS-GONE", "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 set(s) of measurements" in result.output
    session.expire_all()
    key = app.config["PSEUDONYM_KEY"].encode()
    assert session.scalars(select(Occasion.pseudonym)).all() == [pseudonymise(key, "CS-KEPT")]
    assert session.scalar(select(func.count(Person.id))) == 1

    result = runner.invoke(args=["retention", "purge", "--apply"])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(func.count(Occasion.id))) == 1  # measurements are kept


def test_one_sqlite_file_named_twice_is_one_database(tmp_path):
    from feedback import create_app

    path = tmp_path / "one.sqlite"
    app = create_app(
        {
            "APP_ENV": "development",
            "DATABASE_URL": f"sqlite:///{path}",
            "ANALYTICS_DATABASE_URL": f"sqlite:///{tmp_path}/../{tmp_path.name}/one.sqlite",
        }
    )
    # Two connections to one file would wait on each other's write lock.
    assert app.extensions["store_engine"] is app.extensions["db_engine"]
    db.dispose(app)
    assert not db.same_database(f"sqlite:///{path}", f"sqlite:///{tmp_path / 'two.sqlite'}")
