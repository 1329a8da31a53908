"""The summary cells: kept up to date on every write, equal to a rebuild from scratch, and
equal to what the raw store says."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from outcomes import summary
from outcomes.store import (
    ChangeCell,
    CommentMonth,
    Context,
    DomainScore,
    Occasion,
    OutcomesBase,
    Person,
    PersonMonth,
    ScoreCell,
    ThemeRow,
    erase_pseudonym,
    rebuild_summaries,
    record_comment,
    record_occasion,
    summary_counts,
)

T0 = datetime(2025, 11, 20, 9, 0)
DOMAINS = ("safety", "education", "listened-to")


def _people_rows(store_session: Session, model, pseudonyms: dict[int, str]) -> list[tuple]:
    """A person-level summary's rows, with each person's number swapped for their
    pseudonym (a rebuild numbers people afresh)."""
    columns = [c for c in model.__table__.columns if c.name != "person_id"]
    return sorted(
        (*row[:-1], pseudonyms[row[-1]])
        for row in store_session.execute(select(*columns, model.__table__.c.person_id))
    )


def _dump(store_session: Session):
    pseudonyms = {i: p for i, p in store_session.execute(select(Person.id, Person.pseudonym))}
    return (
        sorted(tuple(row) for row in store_session.execute(select(ScoreCell.__table__))),
        sorted(tuple(row) for row in store_session.execute(select(ChangeCell.__table__))),
        _people_rows(store_session, PersonMonth, pseudonyms),
        _people_rows(store_session, CommentMonth, pseudonyms),
        sorted(pseudonyms.values()),
    )


record = st.fixed_dictionaries(
    {
        "op": st.just("record"),
        "person": st.integers(0, 4),
        # A small pool of response references, so that some writes replace earlier ones.
        "response": st.integers(0, 7),
        "days": st.integers(0, 150),
        "kind": st.sampled_from(["checkin", "checkin", "exit-young-person", "exit-family"]),
        "type": st.sampled_from(["baseline", "review", "review", "exit"]),
        "team": st.sampled_from(["north", "south"]),
        "age_band": st.sampled_from(["14-15", "16-17"]),
        "gender": st.sampled_from([None, "girl", "boy"]),
        "strands": st.sets(st.sampled_from(["missing", "criminal-exploitation"])),
        "scores": st.dictionaries(
            st.sampled_from(DOMAINS), st.sampled_from([0, 25, 50, 62.5, 100]), max_size=3
        ),
    }
)
erase = st.fixed_dictionaries({"op": st.just("erase"), "person": st.integers(0, 4)})
comment = st.fixed_dictionaries(
    {
        "op": st.just("comment"),
        "person": st.integers(0, 4),
        "themes": st.lists(
            st.tuples(
                st.sampled_from(["waiting", "listened-to"]),
                st.sampled_from(["positive", "negative", "mixed"]),
            ),
            max_size=2,
        ),
    }
)


def _apply(store_session: Session, step: dict) -> None:
    if step["op"] == "erase":
        erase_pseudonym(store_session, f"person-{step['person']}")
        return
    if step["op"] == "comment":
        latest = store_session.scalars(
            select(Occasion)
            .where(Occasion.pseudonym == f"person-{step['person']}")
            .order_by(Occasion.measured_at.desc(), Occasion.id.desc())
        ).first()
        if latest is not None:
            record_comment(
                store_session,
                latest,
                question="anything-else",
                sentiment="mixed",
                polarity=0.0,
                themes=tuple(ThemeRow(code, "listened-to", s) for code, s in step["themes"]),
                quote=None,
            )
        return
    record_occasion(
        store_session,
        Context(
            pseudonym=f"person-{step['person']}",
            response_ref=f"response-{step['person']}-{step['response']}",
            team=step["team"],
            age_band=step["age_band"],
            strands=tuple(step["strands"]),
            gender=step["gender"],
        ),
        framework_code="complex-safeguarding",
        framework_version=1,
        questionnaire_code="checkin",
        questionnaire_kind=step["kind"],
        occasion_type=step["type"],
        measured_at=T0 + timedelta(days=step["days"]),
        indicator_scores={},
        domain_scores=step["scores"],
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(record, record, record, comment, erase), max_size=14))
def test_kept_on_write_equals_a_rebuild_and_the_raw_store(steps):
    engine = create_engine("sqlite://")
    OutcomesBase.metadata.create_all(engine)
    with Session(engine) as store_session:
        for step in steps:
            _apply(store_session, step)
        kept = _dump(store_session)
        # Within a month and domain everyone sits in one cell, so the cells over every
        # kind and strand add up to the raw store's distinct people, scores and sum.
        raw = {
            (month, domain): (people, n, total)
            for month, domain, people, n, total in store_session.execute(
                text(
                    "SELECT strftime('%Y-%m', o.measured_at), d.domain,"
                    " COUNT(DISTINCT o.pseudonym), COUNT(*), SUM(d.score)"
                    " FROM outcomes_domain_score d"
                    " JOIN outcomes_occasion o ON o.id = d.occasion_id"
                    " GROUP BY 1, 2"
                )
            )
        }
        cells = {
            (month, domain): (people, n, total / summary.MILLION)
            for month, domain, people, n, total in store_session.execute(
                select(
                    ScoreCell.period,
                    ScoreCell.domain,
                    func.sum(ScoreCell.people),
                    func.sum(ScoreCell.scores),
                    func.sum(ScoreCell.total),
                )
                .where(
                    ScoreCell.period_type == "month",
                    ScoreCell.kind == summary.ALL,
                    ScoreCell.strand == summary.ALL,
                )
                .group_by(ScoreCell.period, ScoreCell.domain)
            )
        }
        assert cells.keys() == raw.keys()
        for key, (people, n, total) in raw.items():
            assert cells[key][:2] == (people, n)
            assert abs(cells[key][2] - total) < 1e-6
        # Who wrote, month by month, is who the comments say.
        wrote = dict(
            store_session.execute(
                text(
                    "SELECT strftime('%Y-%m', o.measured_at), COUNT(DISTINCT o.pseudonym)"
                    " FROM outcomes_comment c JOIN outcomes_occasion o ON o.id = c.occasion_id"
                    " GROUP BY 1"
                )
            ).all()
        )
        assert wrote == dict(
            store_session.execute(
                select(CommentMonth.month, func.count(func.distinct(CommentMonth.person_id)))
                .where(CommentMonth.theme == "", CommentMonth.strand == summary.ALL)
                .group_by(CommentMonth.month)
            ).all()
        )
        # And a rebuild from the occasions alone comes to the same tables.
        rebuild_summaries(store_session)
        assert _dump(store_session) == kept
    engine.dispose()


def _check_in(store_session: Session, person: int, days: int, **facts) -> None:
    """One check-in through the write path, with everyday facts unless given."""
    step = {
        "op": "record",
        "person": person,
        "response": days,
        "days": days,
        "kind": "checkin",
        "type": "review",
        "team": "north",
        "age_band": "14-15",
        "gender": "girl",
        "strands": set(),
        "scores": {"safety": 50},
    }
    _apply(store_session, {**step, **facts})


def test_erasing_a_person_leaves_nothing_of_them(store_session):
    for days in (0, 40):
        _check_in(store_session, 1, days, strands={"missing"})
    _apply(store_session, {"op": "comment", "person": 1, "themes": [("waiting", "negative")]})
    assert all(summary_counts(store_session).values())
    erase_pseudonym(store_session, "person-1")
    assert summary_counts(store_session) == {
        "outcomes_person": 0,
        "outcomes_person_month": 0,
        "outcomes_comment_month": 0,
        "outcomes_score_cell": 0,
        "outcomes_change_cell": 0,
    }


def _facts(id_, when, team, strands, scores, kind="checkin", type_="review"):
    return summary.OccasionFacts(
        id=id_,
        measured_at=when,
        kind=kind,
        occasion_type=type_,
        team=team,
        age_band="14-15",
        gender=None,
        strands=strands,
        scores=scores,
    )


def test_a_person_counts_once_a_period_as_they_were_at_the_first_occasion_of_the_quarter():
    out = summary.contribution(
        [
            _facts(2, datetime(2026, 3, 20), "south", ("missing",), {"safety": 80}),
            _facts(
                1,
                datetime(2026, 3, 2),
                "north",
                (),
                {"safety": 10, "education": 40},
                type_="baseline",
            ),
        ]
    )
    everyone = {k: v for k, v in out.scores.items() if k[0] == "month" and k[3] == "*"}
    # North, no strands: as at the first check-in of the quarter, though the latest says
    # south. The mean is of both scores, the band the latest's; "" says the quarter holds
    # the same for this person.
    assert everyone == {
        ("month", "2026-03", "safety", "*", "*", "north", "14-15", "", "75-100", ""): [
            1,
            2,
            90_000_000,
        ],
        ("month", "2026-03", "education", "*", "*", "north", "14-15", "", "25-49", ""): [
            1,
            1,
            40_000_000,
        ],
    }
    changes = {k: v for k, v in out.changes.items() if k[0] == "month" and k[3] == "*"}
    assert changes == {
        ("month", "2026-03", "safety", "*", "*", "north", "14-15", "", 70_000_000, ""): 1,
    }
    assert ("2026-03", "checkin", "*", "north", "14-15", "") in out.months


def test_a_month_says_how_the_persons_quarter_differs_from_it():
    out = summary.contribution(
        [
            _facts(1, datetime(2026, 1, 5), "north", (), {"safety": 10}, type_="baseline"),
            _facts(2, datetime(2026, 2, 5), "south", (), {"safety": 30, "education": 50}),
            _facts(3, datetime(2026, 3, 5), "south", (), {"safety": 90}),
        ]
    )
    months = {
        (k[1], k[2]): (k[5], k[8], k[9])
        for k in out.scores
        if k[0] == "month" and k[3] == "*" and k[4] == "*"
    }
    # Every month in north (the quarter's first check-in); safety has scores in other
    # months, so each month names its quarter band (the latest, 90); education was scored
    # in February only, so its quarter is the same.
    assert months == {
        ("2026-01", "safety"): ("north", "0-24", "75-100"),
        ("2026-02", "safety"): ("north", "25-49", "75-100"),
        ("2026-02", "education"): ("north", "50-74", ""),
        ("2026-03", "safety"): ("north", "75-100", "75-100"),
    }
    quarter = {k[2]: k[9] for k in out.scores if k[0] == "quarter" and k[3] == "*"}
    assert quarter == {"safety": "", "education": ""}
    changes = {
        k[1]: (k[8], k[9]) for k in out.changes if k[0] == "month" and k[3] == "*" and k[4] == "*"
    }
    # The quarter's change is March's: February's differs, March's is the same.
    assert changes == {
        "2026-02": (20_000_000, "80000000"),
        "2026-03": (80_000_000, ""),
    }


def test_rows_of_the_summaries_grow_with_kinds_of_people_not_measurements(store_session):
    for person in range(30):
        for days in (0, 3, 6):
            _check_in(store_session, person, days)
    counts = summary_counts(store_session)
    measurements = store_session.scalar(select(func.count()).select_from(DomainScore))
    occasions = store_session.scalar(select(func.count()).select_from(Occasion))
    assert (measurements, occasions) == (90, 90)
    # 30 people alike in one month: a cell for the month and one for the quarter, each for
    # every kind ("*") and for check-ins, however many people and check-ins there are.
    assert counts["outcomes_score_cell"] == 2 * 2
