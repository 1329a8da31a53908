"""outcomes.pooled: figures over a quarter or 12 months where a month is too small, under
the same disclosure control as every other figure, differencing included."""

import functools
from datetime import date, datetime

import pytest

from outcomes import pooled, reports
from outcomes.pooled import Window, report_windows
from outcomes.reports import Filters
from tests.outcomes.store_data import record_checkin

TODAY = date(2026, 12, 3)
EVERYONE = Filters(as_of=TODAY)
NORTH = Filters(as_of=TODAY, teams=("north",))


@pytest.fixture
def checkin_on(store_session):
    return functools.partial(record_checkin, store_session)


def steady_flow(
    checkin_on, per_month=2, months=range(1, 12), team="north", start=0, stayers=0, worse=0
):
    """A few young people a month: each a baseline in December 2025 and a review in their
    month of 2026, much better (``per_month`` of them), the same (``stayers``) or much
    worse (``worse``)."""
    person = start
    for month in months:
        for n in range(per_month + stayers + worse):
            later = 90 if n < per_month else 50 if n < per_month + stayers else 10
            checkin_on(person, datetime(2025, 12, 5), {"safety": 50}, occasion_type="baseline")
            checkin_on(person, datetime(2026, month, 10), {"safety": later}, team=team)
            person += 1
    return person


def test_windows_are_the_month_its_latest_quarter_and_the_12_months_to_that():
    windows = report_windows(date(2026, 11, 1))
    assert [w.words for w in windows] == ["Nov 2026", "Jul to Sep 2026", "12 months to Sep 2026"]
    assert windows[2].labels[0] == "2025-10"
    assert [w.words for w in report_windows(date(2026, 12, 1))][1] == "Oct to Dec 2026"


def test_a_small_month_is_shown_over_the_smallest_window_that_passes(store_session, v1, checkin_on):
    steady_flow(checkin_on, per_month=2, stayers=2, months=range(4, 10))
    store_session.flush()
    by_domain, answered = pooled.smallest_shown(
        store_session, v1, EVERYONE, date(2026, 11, 1), ["north"]
    )
    safety = by_domain["safety"]
    # 2 and 2 a month from April: the month and the quarter (6 and 6) are too few; 12
    # months to Sep, 12 and 12 (and the 12 months to June, 6 and 6, can show nothing to
    # take them from).
    assert safety.window == Window(date(2026, 9, 1), 12)
    assert 30 <= safety.domains["safety"].share.value <= 70
    assert not safety.domains["safety"].people.suppressed
    # The month itself is "c" on the dashboard's own tables too.
    march = Filters(date_from=date(2026, 11, 1), date_to=date(2026, 12, 1), as_of=TODAY)
    table = reports.distance_by_period(store_session, v1, march).table("2026-11")
    assert table.row_totals["safety"].suppressed
    assert answered.window.words == "Jul to Sep 2026"


def test_a_pooled_figure_less_a_monthly_one_isolates_nobody(store_session, v1, checkin_on):
    # 15 improved and 20 did not in September (a month big enough to show), and 3 more
    # improved in June: the 12 months to September less September would be those 3.
    after = steady_flow(checkin_on, per_month=15, stayers=10, worse=10, months=[9])
    steady_flow(checkin_on, per_month=3, months=[6], start=after)
    store_session.flush()
    september = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 10, 1), as_of=TODAY)
    month = reports.distance_by_period(store_session, v1, september).table("2026-09")
    assert not month.cell("safety", "improved").suppressed
    year = pooled.pooled(store_session, v1, EVERYONE, Window(date(2026, 9, 1), 12), ["north"])
    assert year.domains["safety"].improved.suppressed
    assert year.domains["safety"].improved.reason == "differencing"
    assert year.domains["safety"].share.suppressed
    # The young people who did not improve are the same 20 in both: that may be shown.
    assert (
        not year.domains["safety"].not_improved.suppressed
        or year.domains["safety"].people.suppressed
    )


def test_the_12_months_are_compared_with_the_quarters_and_windows_they_overlap(
    store_session, v1, checkin_on
):
    # 2 improvers a month from January to October, and one more in November: the 12
    # months to December and those to September overlap, and differ by 3.
    steady_flow(checkin_on, per_month=2, months=range(1, 11))
    checkin_on("one", datetime(2025, 12, 5), {"safety": 20}, occasion_type="baseline")
    checkin_on("one", datetime(2026, 11, 20), {"safety": 90})
    store_session.flush()
    later = Filters(as_of=date(2027, 1, 2))
    dec = pooled.pooled(store_session, v1, later, Window(date(2026, 12, 1), 12), ["north"])
    sep = pooled.pooled(store_session, v1, later, Window(date(2026, 9, 1), 12), ["north"])
    improved = [p.domains["safety"].improved for p in (dec, sep)]
    # Sep's window holds 18 improvers, Dec's (Jan to Dec) 21: three differ, so at most
    # one of the two is shown.
    assert any(cell.suppressed for cell in improved)


def test_a_team_is_compared_with_every_set_of_teams(store_session, v1, checkin_on):
    # September: north 12 improvers, south 3. All teams (15) less north (12) is south's 3.
    after = steady_flow(checkin_on, per_month=12, months=[9], team="north")
    steady_flow(checkin_on, per_month=3, months=[9], team="south", start=after)
    store_session.flush()
    window = Window(date(2026, 9, 1), 12)
    north = pooled.pooled(store_session, v1, NORTH, window, ["north", "south"])
    everyone = pooled.pooled(store_session, v1, EVERYONE, window, ["north", "south"])
    # The narrower view is hidden, as on the dashboard. (All teams is hidden too here, by
    # September's own north-only month of 12, which it differs from by south's 3.)
    assert north.domains["safety"].improved.suppressed
    assert north.domains["safety"].improved.reason == "differencing"
    assert everyone.domains["safety"].improved.suppressed
