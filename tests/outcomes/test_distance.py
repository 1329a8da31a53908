import itertools
import random
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from outcomes import reports
from outcomes.distance import (
    STATUSES,
    DomainChange,
    classify_change,
    distance_for_pseudonym,
)
from outcomes.reports import Filters
from outcomes.store import Context, Occasion, record_occasion

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 1, 6, 10, 0)


# --- classify_change -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "latest", "threshold", "status"),
    [
        # Worked example 3 in complex-safeguarding-v1.yaml (safety, reliable_change 25).
        (25, 75, 25, "improved"),
        (50, 75, 25, "no-reliable-change"),
        (75, 25, 25, "worse"),
        (None, 75, 25, "no-baseline"),
        (75, None, 25, "no-baseline"),
        # Strictly more than the threshold, either way.
        (50, 75.001, 25, "improved"),
        (50, 25, 25, "no-reliable-change"),
        (50, 24.999, 25, "worse"),
        (40, 40, 0, "no-reliable-change"),
        (40, 40.5, 0, "improved"),
    ],
)
def test_classify_change(baseline, latest, threshold, status):
    assert classify_change(baseline, latest, threshold) == status


def test_float_noise_at_the_threshold_is_not_reliable_change():
    # (0.1 + 0.2) * 100 is 30.000000000000004 in floating point.
    assert classify_change(0, (0.1 + 0.2) * 100, 30) == "no-reliable-change"


# --- the store ---------------------------------------------------------------------------


_refs = itertools.count()


@pytest.fixture
def checkin_days_in(store_session):
    """Record a check-in some days in, with the given domain scores; returns a callable."""

    def make(
        pseudonym,
        days,
        domains,
        *,
        occasion_type="review",
        kind="checkin",
        team="north",
        age_band="14-15",
        gender="girl",
        strands=("criminal-exploitation",),
        version=1,
    ):
        context = Context(
            pseudonym=pseudonym,
            response_ref=f"response-{next(_refs)}",
            team=team,
            age_band=age_band,
            strands=tuple(strands),
            gender=gender,
        )
        return record_occasion(
            store_session,
            context,
            framework_code="complex-safeguarding",
            framework_version=version,
            questionnaire_code="exit-family" if kind == "exit-family" else "checkin",
            questionnaire_kind=kind,
            occasion_type=occasion_type,
            measured_at=T0 + timedelta(days=days),
            indicator_scores={},
            domain_scores=domains,
        )

    return make


def _by_domain(changes: list[DomainChange]) -> dict[str, DomainChange]:
    return {c.domain: c for c in changes}


# --- one young person ------------------------------------------------------------------


def test_no_occasions_gives_no_changes(store_session, v1):
    assert distance_for_pseudonym(store_session, "nobody", v1) == []


def test_one_occasion_has_no_baseline_to_compare(store_session, v1, checkin_days_in):
    checkin_days_in("p1", 0, {"safety": 50}, occasion_type="baseline")
    changes = _by_domain(distance_for_pseudonym(store_session, "p1", v1))
    assert list(changes) == [d.code for d in v1.domains]
    assert changes["safety"] == DomainChange("safety", 50, None, None, "no-baseline", 25)
    assert {c.status for c in changes.values()} == {"no-baseline"}


def test_baseline_latest_and_change(store_session, v1, checkin_days_in):
    checkin_days_in(
        "p1", 0, {"safety": 25, "education": 50, "listened-to": 75}, occasion_type="baseline"
    )
    checkin_days_in("p1", 30, {"safety": 50, "education": 0})
    checkin_days_in("p1", 60, {"safety": 75, "education": 50, "listened-to": 25})
    changes = _by_domain(distance_for_pseudonym(store_session, "p1", v1))
    assert changes["safety"] == DomainChange("safety", 25, 75, 50, "improved", 25)
    assert changes["education"] == DomainChange("education", 50, 50, 0, "no-reliable-change", 25)
    assert changes["listened-to"] == DomainChange("listened-to", 75, 25, -50, "worse", 25)
    assert changes["drugs-alcohol"].status == "no-baseline"


def test_baseline_is_the_earliest_baseline_occasion_not_the_earliest(
    store_session, v1, checkin_days_in
):
    checkin_days_in("p1", 0, {"safety": 0})  # a review before the formal baseline
    checkin_days_in("p1", 10, {"safety": 50}, occasion_type="baseline")
    checkin_days_in("p1", 20, {"safety": 100}, occasion_type="baseline")
    checkin_days_in("p1", 40, {"safety": 75})
    safety = _by_domain(distance_for_pseudonym(store_session, "p1", v1))["safety"]
    assert (safety.baseline, safety.latest, safety.status) == (50, 75, "no-reliable-change")


def test_without_a_baseline_occasion_the_earliest_is_the_baseline(
    store_session, v1, checkin_days_in
):
    checkin_days_in("p1", 5, {"safety": 10})
    checkin_days_in("p1", 0, {"safety": 0})
    checkin_days_in("p1", 40, {"safety": 100}, occasion_type="exit")
    safety = _by_domain(distance_for_pseudonym(store_session, "p1", v1))["safety"]
    assert (safety.baseline, safety.latest, safety.status) == (0, 100, "improved")


def test_a_domain_empty_at_either_end_has_no_baseline(store_session, v1, checkin_days_in):
    checkin_days_in("p1", 0, {"safety": 25, "education": None}, occasion_type="baseline")
    checkin_days_in("p1", 30, {"safety": None, "education": 75})
    changes = _by_domain(distance_for_pseudonym(store_session, "p1", v1))
    assert changes["safety"].status == "no-baseline"
    assert changes["safety"].latest is None
    assert changes["education"].status == "no-baseline"


def test_family_exit_is_not_the_young_persons_latest(store_session, v1, checkin_days_in):
    checkin_days_in("p1", 0, {"safety": 25}, occasion_type="baseline")
    checkin_days_in("p1", 30, {"safety": 50})
    checkin_days_in("p1", 60, {"safety": 100}, occasion_type="exit", kind="exit-family")
    assert _by_domain(distance_for_pseudonym(store_session, "p1", v1))["safety"].latest == 50
    everything = distance_for_pseudonym(store_session, "p1", v1, kinds=None)
    assert _by_domain(everything)["safety"].latest == 100


def test_other_framework_versions_are_not_mixed_in(store_session, v1, checkin_days_in):
    checkin_days_in("p1", 0, {"safety": 25}, occasion_type="baseline")
    checkin_days_in("p1", 30, {"safety": 50})
    checkin_days_in("p1", 60, {"safety": 100}, version=2)
    safety = _by_domain(distance_for_pseudonym(store_session, "p1", v1))["safety"]
    assert (safety.baseline, safety.latest) == (25, 50)


# --- many young people, by period (the dashboard's summaries) ----------------------------


@pytest.fixture
def cohort(checkin_days_in):
    # improved on safety, north team, 14-15, girl, criminal exploitation
    checkin_days_in("a", 0, {"safety": 25, "education": 50}, occasion_type="baseline")
    checkin_days_in("a", 60, {"safety": 75, "education": 50})
    # worse on safety; moved from north to south between occasions
    checkin_days_in("b", 5, {"safety": 75}, occasion_type="baseline", team="north")
    checkin_days_in("b", 50, {"safety": 25}, team="south", age_band="16-17")
    # no reliable change; a boy in sexual exploitation
    checkin_days_in("c", 10, {"safety": 50}, gender="boy", strands=("sexual-exploitation",))
    checkin_days_in(
        "c", 40, {"safety": 60}, gender="boy", strands=("sexual-exploitation", "missing")
    )
    # only one occasion: not counted
    checkin_days_in("d", 0, {"safety": 0}, occasion_type="baseline")
    # one check-in and a family exit: only one young person's occasion, not counted
    checkin_days_in("e", 0, {"safety": 0}, occasion_type="baseline")
    checkin_days_in("e", 90, {"safety": 100}, occasion_type="exit", kind="exit-family")


def _counts(store_session, v1, period="month", **filters):
    """Unprotected counts from the summary cells: {(period, domain, status): people}."""
    return reports._distance_counts(store_session, v1, Filters(**filters), period)


def _safety(counts):
    return {(p, s): n for (p, d, s), n in counts.items() if d == "safety"}


def test_each_period_counts_the_young_people_who_checked_in_then(store_session, v1, cohort):
    # a: baseline in January, improved in March; b: worse in February; c: no reliable
    # change in February; d: one occasion; e: a family exit is not the young person's.
    assert _counts(store_session, v1) == {
        ("2025-03", "safety", "improved"): 1,
        ("2025-03", "education", "no-reliable-change"): 1,
        ("2025-02", "safety", "worse"): 1,
        ("2025-02", "safety", "no-reliable-change"): 1,
    }
    assert _safety(_counts(store_session, v1, "quarter")) == {
        ("2025-Q1", "improved"): 1,
        ("2025-Q1", "worse"): 1,
        ("2025-Q1", "no-reliable-change"): 1,
    }


def test_the_kind_chooses_the_series(store_session, v1, cohort):
    assert _counts(store_session, v1, kind="exit-family") == {}
    assert _safety(_counts(store_session, v1, kind="checkin")) == _safety(
        _counts(store_session, v1)
    )


def test_filters_read_who_a_person_was_at_their_first_check_in_of_the_quarter(
    store_session, v1, cohort
):
    def safety(**filters):
        return {s: n for (_p, s), n in _safety(_counts(store_session, v1, **filters)).items()}

    # b moved to south and turned 16 in February, c took on "missing" then: all within
    # the quarter whose first check-in places them.
    assert safety(teams=("south",)) == {}
    assert safety(teams=("north",)) == {"improved": 1, "worse": 1, "no-reliable-change": 1}
    assert safety(age_band="16-17") == {}
    assert safety(gender="boy") == {"no-reliable-change": 1}
    assert safety(strand="missing") == {}
    assert safety(strand="sexual-exploitation") == {"no-reliable-change": 1}
    assert safety(strand="criminal-exploitation") == {"improved": 1, "worse": 1}
    assert safety(teams=("east",)) == {}


def test_the_baseline_can_come_from_before_the_dates_shown(store_session, v1, cohort):
    march = _counts(store_session, v1, date_from=date(2025, 3, 1), date_to=date(2025, 4, 1))
    assert _safety(march) == {("2025-03", "improved"): 1}


def test_a_late_baseline_has_no_pair(store_session, v1, checkin_days_in):
    checkin_days_in("p1", 0, {"safety": 0})
    checkin_days_in("p1", 30, {"safety": 100}, occasion_type="baseline")
    assert _counts(store_session, v1) == {}
    assert (
        _by_domain(distance_for_pseudonym(store_session, "p1", v1))["safety"].status
        == "no-baseline"
    )


def test_reading_the_cells_runs_one_statement(store_session, v1, cohort):
    store_session.flush()
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = store_session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        _counts(store_session, v1, teams=("north",), strand="criminal-exploitation")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert "GROUP BY" in statements[0]


def test_the_cells_agree_with_one_person_at_a_time(store_session, v1, checkin_days_in):
    rng = random.Random(20250106)
    domains = [d.code for d in v1.domains]
    people = [f"p{i}" for i in range(40)]
    for person in people:
        for _ in range(rng.randint(1, 4)):
            scores = {d: rng.choice([None, 0, 25, 50, 62.5, 75, 100]) for d in domains}
            checkin_days_in(
                person,
                rng.randint(0, 200),
                scores,
                occasion_type=rng.choice(["baseline", "review", "review", "exit"]),
            )
    # Each person, in each month they checked in, as their journey stood at its end.
    expected: Counter = Counter()
    for person in people:
        days = store_session.scalars(
            select(Occasion.measured_at).where(Occasion.pseudonym == person)
        )
        for month in sorted({(d.year, d.month) for d in days}):
            label = f"{month[0]}-{month[1]:02d}"
            end = datetime(month[0] + month[1] // 12, month[1] % 12 + 1, 1)
            for change in distance_for_pseudonym(store_session, person, v1, measured_to=end):
                if change.status != "no-baseline":
                    expected[(label, change.domain, change.status)] += 1
    assert _counts(store_session, v1) == dict(expected)
    assert {s for _p, _d, s in expected} <= set(STATUSES)
