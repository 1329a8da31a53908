"""The guarantee against differencing, tested over many random small teams.

For any two views a manager can ask for, one wider than the other (more teams, fewer
filters, a quarter over one of its months), and any cell shown in both, the young people
whose part of that cell differs between the two views are nobody or at least 10. So what
subtracting two shown figures recovers is never about fewer than 10 young people: the
singled-out young person's score is mixed with at least 9 others' (or not there at all),
and on top of that each figure carries its cell-key noise.

The truth here is worked out from the random population itself, one person at a time,
not from the summaries the reports read."""

from __future__ import annotations

from datetime import date, datetime
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from outcomes import reports
from outcomes.framework import get_framework
from outcomes.reports import Filters
from outcomes.store import OutcomesBase
from outcomes.summary import band_of
from tests.outcomes.store_data import record_checkin

TEAMS = ("north", "south", "east")
DOMAINS = ("safety", "listened-to")
MONTHS = ("2026-01", "2026-02", "2026-03")
QUARTER = "2026-Q1"
V1 = get_framework("complex-safeguarding", 1)

person = st.fixed_dictionaries(
    {
        "team": st.sampled_from(TEAMS),
        "gender": st.sampled_from(["girl", "girl", "boy"]),
        "age_band": st.sampled_from(["14-15", "16-17"]),
        "missing": st.booleans(),
        # Check-ins: (month index, day, scores); a domain left out now and then.
        "checkins": st.lists(
            st.tuples(
                st.integers(0, 2),
                st.integers(1, 27),
                st.fixed_dictionaries(
                    {},
                    optional={d: st.sampled_from([0, 25, 50, 75, 100]) for d in DOMAINS},
                ),
            ),
            min_size=1,
            max_size=3,
        ),
    }
)
# A big team with a few people at its edges, a small team, sometimes a single person:
# the populations where differencing bites.
population = st.lists(person, min_size=10, max_size=34)


def views():
    team_sets = [None, *(c for k in (1, 2) for c in combinations(TEAMS, k))]
    for teams in team_sets:
        for gender in (None, "girl", "boy"):
            for age_band in (None, "14-15"):
                for strand in (None, "missing"):
                    yield teams, gender, age_band, strand


def wider(v, w) -> bool:
    """Whether view w is v with teams added or filters dropped (or the same)."""
    (vt, vg, va, vs), (wt, wg, wa, ws) = v, w
    teams_ok = wt is None or (vt is not None and set(vt) <= set(wt))
    return teams_ok and all(b is None or a == b for a, b in ((vg, wg), (va, wa), (vs, ws)))


def in_view(p, view) -> bool:
    teams, gender, age_band, strand = view
    return (
        (teams is None or p["team"] in teams)
        and (gender is None or p["gender"] == gender)
        and (age_band is None or p["age_band"] == age_band)
        and (strand is None or p["missing"])
    )


def part(p, view, period, domain):
    """What a person adds to a cell of a view: (scores, their sum, latest band), or None."""
    if not in_view(p, view):
        return None
    months = MONTHS if period == QUARTER else (period,)
    scores = [
        s[domain]
        for m, day, s in sorted(p["checkins"], key=lambda c: c[:2])
        if MONTHS[m] in months and domain in s
    ]
    if not scores:
        return None
    return len(scores), sum(scores), band_of(scores[-1])


def involved(people, v, w, pv, pw, domain, what) -> int:
    """How many young people's part of the cell differs between the two views."""
    count = 0
    for p in people:
        a, b = part(p, v, pv, domain), part(p, w, pw, domain)
        if what == "people":
            a, b = a is not None, b is not None
        elif what != "mean":
            a, b = a is not None and a[2] == what, b is not None and b[2] == what
        count += a != b
    return count


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(population)
def test_no_two_shown_views_differ_by_fewer_than_ten_young_people(people):
    engine = create_engine("sqlite://")
    OutcomesBase.metadata.create_all(engine)
    with Session(engine) as store_session:
        for i, p in enumerate(people):
            for m, day, scores in p["checkins"]:
                record_checkin(
                    store_session,
                    i,
                    datetime(2026, m + 1, day),
                    scores,
                    team=p["team"],
                    age_band=p["age_band"],
                    gender=p["gender"],
                    strands=("missing",) if p["missing"] else ("criminal-exploitation",),
                )
        shown = {}
        for view in views():
            teams, gender, age_band, strand = view
            filters = Filters(
                date_from=date(2026, 1, 1),
                date_to=date(2026, 4, 1),
                teams=teams,
                gender=gender,
                age_band=age_band,
                strand=strand,
                as_of=date(2026, 6, 1),
            )
            for period in ("month", "quarter"):
                scores, spread = reports.scores_and_spread(store_session, V1, filters, period)
                for label in scores.rows:
                    table = spread.table(label)
                    for d in DOMAINS:
                        cell = scores.cell(label, d)
                        for what, figure in (
                            ("people", cell.people),
                            ("mean", cell.mean),
                            *((b, table.cell(d, b)) for b in reports.BAND_CODES),
                        ):
                            if not figure.suppressed:
                                shown.setdefault((view, label, d, what), figure)
    engine.dispose()
    pairs = 0
    for v, pv, d, what in shown:
        for w in views():
            if not wider(v, w):
                continue
            for pw in (pv, QUARTER) if pv != QUARTER else (QUARTER,):
                if (w, pw, d, what) not in shown or (w, pw) == (v, pv):
                    continue
                pairs += 1
                n = involved(people, v, w, pv, pw, d, what)
                assert n == 0 or n >= 10, (v, pv, w, pw, d, what, n)
