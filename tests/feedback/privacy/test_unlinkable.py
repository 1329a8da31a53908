"""Attacks on the case records and the analytical store, rebuilt from what someone with a
copy of the databases has: every row of every table, but not the pseudonym key.

Each attack worked before the store kept days and random keys, and before anonymous
answers did the same; the pseudonym key is used below only to mark the attacker's
guesses right or wrong.

Days are the one thing the store shares with the records by design: an occasion keeps
the day its response was sent, and an anonymous response keeps the day of its times.
Values are compared at their own precision, so a day never equals a moment.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DatabaseError

from feedback import db
from feedback.invitations.models import Invitation
from feedback.invitations.services import issue_invitation
from feedback.responses import services as responses
from feedback.responses.models import Answer, Response
from outcomes.questionnaires import RATHER_NOT_SAY, get_questionnaire
from outcomes.store import Occasion, ScoreCell, pseudonymise
from outcomes.summary import ALL
from tests.conftest import once_the_month_has_ended, utcnow
from tests.feedback.checkin.answers import GOOD_ANSWERS

FEEDBACK_ANSWERS = {
    "easy-to-talk": "easy",
    "trust-service": "yes",
    "going-well": "The activities are good and my worker listens",
    "could-be-better": "Less waiting for replies",
}


def send(app, session, case, when: datetime, questionnaire: str = "checkin") -> Response:
    """One response sent through the services, as the young person's pages send it."""
    issued = issue_invitation(
        session,
        case,
        secret=app.config["SECRET_KEY"],
        questionnaire_code=questionnaire,
        questionnaire_version=1,
        created_by_id=None,
        now=when,
        days=14,
    )
    definition = get_questionnaire(questionnaire, 1)
    if definition.anonymous:
        response = responses.start_or_resume_anonymous(session, issued.invitation, None, when)
        answers = FEEDBACK_ANSWERS
    else:
        response = responses.start_or_resume(session, issued.invitation, when)
        answers = GOOD_ANSWERS
    for question in definition.questions:
        responses.save_answer(session, response, question, answers[question.id], when)
    # A change of mind, later the same day.
    first = definition.questions[0]
    responses.save_answer(session, response, first, RATHER_NOT_SAY, when + timedelta(seconds=5))
    session.commit()
    responses.save_answer(session, response, first, answers[first.id], when + timedelta(seconds=9))
    responses.submit_response(
        session,
        response,
        pseudonym_key=app.config["PSEUDONYM_KEY"].encode(),
        now=when,
        quote_consent=False,
        invitation=issued.invitation,
    )
    session.commit()
    return response


def moments(count: int) -> list[datetime]:
    """Distinct moments, to the microsecond, all on one day (today, from 9am)."""
    start = datetime.combine(utcnow().date(), time(9))
    return [start + timedelta(minutes=i, seconds=i, microseconds=137 * i) for i in range(count)]


class Copy:
    """Every row of every table, read with plain SQL as from a copy of each database, with
    SQLite's hidden row id wherever a table has one."""

    def __init__(self, app):
        self.tables: dict[str, list[dict]] = {}
        self.store: set[str] = set()
        with app.app_context():
            engines = {db.engine(), db.store_engine()}
        for engine in engines:
            with engine.connect() as connection:
                for name in inspect(connection).get_table_names():
                    if name == "alembic_version":
                        continue
                    self.tables[name] = self._rows(connection, name)
                    if name.startswith("outcomes_"):
                        self.store.add(name)

    @staticmethod
    def _rows(connection, name: str) -> list[dict]:
        everything = text(f'SELECT * FROM "{name}"')  # noqa: S608 - names from the schema
        if connection.dialect.name == "sqlite":
            try:
                with connection.begin_nested():
                    rows = connection.execute(
                        text(f'SELECT rowid AS "(rowid)", * FROM "{name}"')  # noqa: S608
                    )
                    return [dict(row) for row in rows.mappings()]
            except DatabaseError:
                pass  # WITHOUT ROWID: no hidden counter to read
        return [dict(row) for row in connection.execute(everything).mappings()]

    def columns(self, name: str) -> list[str]:
        rows = self.tables[name]
        return list(rows[0]) if rows else []


def exact(value) -> str | None:
    """A value at its own precision: a day is not a moment, and a number is a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return "moment " + value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return "day " + value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d( \d\d:\d\d:\d\d(\.\d+)?)?", value):
        # SQLite keeps times as text; read them as the driver would.
        return exact(datetime.fromisoformat(value) if " " in value else date.fromisoformat(value))
    return f"{type(value).__name__} {value}"


def _is_key_or_time(name: str, values: list) -> bool:
    if name == "(rowid)" or name == "id" or name.endswith("_id"):
        return True
    return any((exact(v) or "").startswith(("day", "moment")) for v in values)


def key(app) -> bytes:
    return app.config["PSEUDONYM_KEY"].encode()


# --- the store joins back to names --------------------------------------------------------


def test_no_key_or_time_of_the_store_equals_any_value_of_the_case_records(app, session, make_case):
    cases = [make_case(gender=("girl", "boy")[i % 2]) for i in range(8)]
    for case, when in zip(cases * 2, moments(16), strict=True):
        send(app, session, case, when)
    for case, when in zip(cases[:3], moments(3), strict=True):
        send(app, session, case, when + timedelta(seconds=30), questionnaire="service-feedback")
    copy = Copy(app)

    records: dict[str, set[str]] = {}
    for name, rows in copy.tables.items():
        if name in copy.store:
            continue
        for column in copy.columns(name):
            for row in rows:
                if (value := exact(row[column])) is not None:
                    records.setdefault(value, set()).add(f"{name}.{column}")
    checked = []
    for name in copy.store:
        rows = copy.tables[name]
        for column in copy.columns(name):
            values = [row[column] for row in rows]
            if not _is_key_or_time(column, values):
                continue
            checked.append(f"{name}.{column}")
            common = {exact(v) for v in values} & records.keys()
            assert not common, (
                f"{name}.{column} shares {sorted(common)[:3]} with "
                f"{sorted(set().union(*(records[c] for c in common)))}"
            )
    # The join covered the store's keys and its one time, wherever they are.
    assert {
        "outcomes_occasion.id",
        "outcomes_occasion.measured_at",
        "outcomes_person.id",
        "outcomes_measurement.occasion_id",
        "outcomes_comment.id",
    } <= set(checked)
    # And that one time is a day.
    assert all(type(row["measured_at"]) in (date, str) for row in copy.tables["outcomes_occasion"])
    assert all(
        exact(row["measured_at"]).startswith("day ") for row in copy.tables["outcomes_occasion"]
    )


def test_a_join_on_time_links_no_pseudonym_to_its_case(app, session, make_case):
    cases = [make_case() for _ in range(6)]
    for case, when in zip(cases, moments(6), strict=True):
        send(app, session, case, when)
    copy = Copy(app)
    by_time: dict[str, list[dict]] = {}
    for response in copy.tables["response"]:
        for column in ("started_at", "updated_at", "submitted_at"):
            by_time.setdefault(exact(response[column]), []).append(response)
    references = {c["id"]: c["reference"] for c in copy.tables["case_record"]}

    linked = {}
    for occasion in copy.tables["outcomes_occasion"]:
        matches = {r["case_id"] for r in by_time.get(exact(occasion["measured_at"]), [])}
        if len(matches) == 1:
            linked[occasion["pseudonym"]] = references[matches.pop()]
    assert len(copy.tables["outcomes_occasion"]) == 6
    right = [p for p, ref in linked.items() if pseudonymise(key(app), ref) == p]
    assert right == []


def test_the_order_of_the_stores_keys_links_no_pseudonym_to_its_case(app, session, make_case):
    cases = [make_case() for _ in range(30)]
    for case, when in zip(cases, moments(30), strict=True):
        send(app, session, case, when)
    copy = Copy(app)
    # The attacker lines up the responses in the order they were numbered...
    sent = sorted(copy.tables["response"], key=lambda r: r["id"])
    references = {c["id"]: c["reference"] for c in copy.tables["case_record"]}
    truth = [pseudonymise(key(app), references[r["case_id"]]) for r in sent]
    pseudonyms = {o["id"]: o["pseudonym"] for o in copy.tables["outcomes_occasion"]}
    comment_occasions = {c["id"]: c["occasion_id"] for c in copy.tables["outcomes_comment"]}
    orders = 0
    # ...against every order a key (or hidden row id) of the store gives its occasions.
    for name in copy.store:
        for column in copy.columns(name):
            if not (column in ("id", "(rowid)") or column.endswith("_id")):
                continue
            rows = sorted(copy.tables[name], key=lambda r, c=column: r[c])
            occasions = []
            for row in rows:
                occasion = (
                    row.get("occasion_id")
                    or comment_occasions.get(row.get("comment_id"))
                    or (row["id"] if name == "outcomes_occasion" else None)
                )
                if occasion is not None and occasion not in occasions:
                    occasions.append(occasion)
            if len(occasions) != len(sent):
                continue
            orders += 1
            guessed = [pseudonyms[o] for o in occasions]
            right = sum(g == t for g, t in zip(guessed, truth, strict=True))
            # A shuffle of 30 gets one right on average; 8 or more, about once in 10^5.
            assert right < 8, f"{name}.{column} puts {right} of 30 in the order they were sent"
    assert orders >= 5


# --- anonymous feedback links to its case ---------------------------------------------------


def test_an_anonymous_responses_times_match_no_one_invitation(app, session, make_case):
    named_before, first, second, named_after = (make_case() for _ in range(4))
    when = moments(4)
    send(app, session, named_before, when[0])
    send(app, session, first, when[1], questionnaire="service-feedback")
    send(app, session, second, when[2], questionnaire="service-feedback")
    send(app, session, named_after, when[3])
    copy = Copy(app)
    invitations_by_time: dict[str, set[int]] = {}
    for invitation in copy.tables["invitation"]:
        for column in ("created_at", "expires_at", "opened_at", "used_at"):
            invitations_by_time.setdefault(exact(invitation[column]), set()).add(
                invitation["case_id"]
            )
    answers_of: dict[int, list[dict]] = {}
    for answer in copy.tables["answer"]:
        answers_of.setdefault(answer["response_id"], []).append(answer)

    anonymous = [r for r in copy.tables["response"] if r["anonymous"]]
    assert len(anonymous) == 2
    for response in anonymous:
        times = [response[c] for c in ("started_at", "updated_at", "submitted_at")]
        times += [a["answered_at"] for a in answers_of[response["id"]]]
        assert all(exact(t).endswith(" 00:00:00.000000") for t in times), times
        candidates = set().union(*(invitations_by_time.get(exact(t), set()) for t in times))
        # The day matches every anonymous invitation used that day, never one alone.
        assert candidates in (set(), {first.id, second.id}) or len(candidates) > 2
    for invitation in copy.tables["invitation"]:
        if invitation["case_id"] in (first.id, second.id):
            for column in ("created_at", "expires_at", "opened_at", "used_at"):
                assert exact(invitation[column]).endswith(" 00:00:00.000000"), column


def test_an_anonymous_responses_keys_sit_between_no_named_ones(app, session, make_case):
    named_before, anonymous_writer, named_after = (make_case() for _ in range(3))
    when = moments(3)
    before = send(app, session, named_before, when[0])
    anonymous = send(app, session, anonymous_writer, when[1], questionnaire="service-feedback")
    after = send(app, session, named_after, when[2])
    session.expire_all()

    named = sorted((before.id, after.id))
    assert not named[0] < anonymous.id < named[1]
    # Nor does it move the counter that numbers the named ones.
    assert after.id == before.id + 1
    named_answers = session.scalars(
        select(Answer.id).where(Answer.response_id.in_((before.id, after.id)))
    ).all()
    anonymous_answers = session.scalars(
        select(Answer.id).where(Answer.response_id == anonymous.id)
    ).all()
    assert anonymous_answers
    assert all(not min(named_answers) < a < max(named_answers) for a in anonymous_answers)


# --- anonymous answers reach the store ------------------------------------------------------


def _people(session, domain: str, kind: str) -> int:
    return sum(
        session.scalars(
            select(ScoreCell.people).where(
                ScoreCell.period_type == "month",
                ScoreCell.domain == domain,
                ScoreCell.kind == kind,
                ScoreCell.strand == ALL,
            )
        )
    )


def test_anonymous_answers_are_scored_and_themed_into_the_store_as_their_own_kind(
    app, client, auth, session, make_case, make_user
):
    cases = [make_case() for _ in range(12)]
    # Noon today, so that every answer falls in this month whatever the hour.
    noon = datetime.combine(utcnow().date(), time(12))
    for i, case in enumerate(cases):
        send(app, session, case, noon + timedelta(minutes=i), questionnaire="service-feedback")
    for case in cases[:3]:
        send(app, session, case, noon + timedelta(hours=1))
    session.expire_all()

    feedback = session.scalars(
        select(Occasion).where(Occasion.questionnaire_kind == "service-feedback")
    ).all()
    assert len(feedback) == 12
    assert len({o.pseudonym for o in feedback}) == 12  # each a person of its own
    assert all(
        {m.indicator: m.score for m in o.measurements}
        == {"listened-to.easy-to-talk": 75.0, "trusted-relationships.trusts-workers": 100.0}
        for o in feedback
    )
    assert all(o.comments and o.comments[0].themes for o in feedback)
    assert all(c.quote is None for o in feedback for c in o.comments)  # never quoted

    # Counted under their own kind, never in "every kind" beside the named check-ins,
    # where the three who also checked in would be counted twice.
    assert _people(session, "listened-to", "service-feedback") == 12
    assert _people(session, "listened-to", ALL) == 3
    assert _people(session, "listened-to", "checkin") == 3

    from tests.feedback.dashboard import cell

    admin = make_user("admin", teams=())
    month = f"{noon:%Y-%m}"
    with once_the_month_has_ended(noon):
        auth.sign_in(admin)
        page = client.get(
            f"/dashboard?date_from={month}&date_to={month}&kind=service-feedback"
        ).get_data(as_text=True)
        every_kind = client.get(f"/dashboard?date_from={month}&date_to={month}").get_data(
            as_text=True
        )
    # Twelve, moved by at most 2 and rounded to five.
    assert cell(page, "people", "Listened to") in (["10"], ["15"])
    # The named check-ins alone: the three who checked in, too few to show anything.
    assert 'id="table-people"' not in every_kind
    assert 'id="view-too-small"' in every_kind


@pytest.mark.parametrize("databases", ["sqlite-split"], indirect=True)
def test_anonymous_feedback_is_rescored_under_its_own_pseudonym(app, runner, session, make_case):
    response = send(app, session, make_case(), moments(1)[0], questionnaire="service-feedback")
    before = session.scalars(select(Occasion.pseudonym)).all()
    result = runner.invoke(
        args=["outcomes", "rescore", "--framework", "complex-safeguarding", "--version", "1"]
    )
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.scalars(select(Occasion.pseudonym)).all() == before
    assert before == [pseudonymise(key(app), f"anonymous:{response.id}")]
    assert session.get(Invitation, 1).used_at.time() == time(0)
