"""outcomes.reports: aggregates in SQL, protected before they leave the module."""

import functools
from datetime import date, datetime

import pytest

from outcomes import reports
from outcomes.reports import Filters
from outcomes.store import ThemeRow, record_comment
from tests.outcomes.store_data import record_checkin

MARCH = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 4, 1))
Q1 = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 4, 1))


@pytest.fixture
def occasion(session):
    return functools.partial(record_checkin, session)


def test_scores_count_people_not_occasions(session, v1, occasion):
    # Nine people, one of them twice: nine young people, so "c" although ten occasions.
    for person in range(9):
        occasion(person, datetime(2026, 3, 2), {"safety": 50})
    occasion(0, datetime(2026, 3, 20), {"safety": 100})
    table = reports.domain_scores_by_period(session, v1, MARCH)
    cell = table.cell("2026-03", "safety")
    assert cell.people.display == "c"
    assert cell.mean.display == "c"
    occasion(9, datetime(2026, 3, 3), {"safety": 50})
    cell = reports.domain_scores_by_period(session, v1, MARCH).cell("2026-03", "safety")
    assert cell.people.display == "10"
    # The mean is of the 11 occasions, from unrounded data: (10 * 50 + 100) / 11.
    assert cell.mean.value == round(600 / 11)


def test_counts_are_rounded_to_five(session, v1, occasion):
    for person in range(13):
        occasion(person, datetime(2026, 3, 2), {"safety": 40})
    cell = reports.domain_scores_by_period(session, v1, MARCH).cell("2026-03", "safety")
    assert (cell.people.display, cell.mean.display) == ("15", "40")


def test_periods_are_bucketed_in_sql_by_month_and_quarter(session, v1, occasion):
    for person in range(10):
        occasion(person, datetime(2026, 1, 15), {"safety": 20})
        occasion(person, datetime(2026, 3, 31, 23, 59), {"safety": 80})
    months = reports.domain_scores_by_period(session, v1, Q1)
    assert months.rows == ("2026-01", "2026-02", "2026-03")
    assert months.cell("2026-01", "safety").mean.value == 20
    assert months.cell("2026-02", "safety").people.display == "c"
    assert months.cell("2026-03", "safety").mean.value == 80
    quarters = reports.domain_scores_by_period(session, v1, Q1, period="quarter")
    assert quarters.rows == ("2026-Q1",)
    q1 = quarters.cell("2026-Q1", "safety")
    assert (q1.people.value, q1.mean.value) == (10, 50)


def test_a_filter_whose_complement_is_small_is_suppressed(session, v1, occasion):
    # 12 girls and 3 boys: the girls' 12 beside everyone's 15 gives the boys away.
    for person in range(12):
        occasion(person, datetime(2026, 3, 2), {"safety": 50}, gender="girl")
    for person in range(12, 15):
        occasion(person, datetime(2026, 3, 2), {"safety": 50}, gender="boy")
    girls = reports.domain_scores_by_period(
        session, v1, Filters(**{**MARCH.__dict__, "gender": "girl"})
    )
    cell = girls.cell("2026-03", "safety")
    assert cell.people.reason == "differencing"
    assert cell.mean.suppressed
    # Ten more boys: the complement is 13, safe.
    for person in range(15, 25):
        occasion(person, datetime(2026, 3, 2), {"safety": 50}, gender="boy")
    girls = reports.domain_scores_by_period(
        session, v1, Filters(**{**MARCH.__dict__, "gender": "girl"})
    )
    assert girls.cell("2026-03", "safety").people.display == "10"


def test_a_subset_of_allowed_teams_is_differenced_against_all_of_them(session, v1, occasion):
    for person in range(12):
        occasion(person, datetime(2026, 3, 2), {"safety": 50}, team="north")
    for person in range(12, 15):
        occasion(person, datetime(2026, 3, 2), {"safety": 50}, team="south")
    both = ("north", "south")
    whole = Filters(**{**MARCH.__dict__, "teams": both, "allowed_teams": both})
    assert not whole.narrowed
    assert (
        reports.domain_scores_by_period(session, v1, whole).cell("2026-03", "safety").people.display
        == "15"
    )
    north = Filters(**{**MARCH.__dict__, "teams": ("north",), "allowed_teams": both})
    cell = reports.domain_scores_by_period(session, v1, north).cell("2026-03", "safety")
    assert cell.people.reason == "differencing"


def test_strand_filter(session, v1, occasion):
    for person in range(10):
        occasion(person, datetime(2026, 3, 2), {"safety": 50}, strands=("missing",))
    for person in range(10, 20):
        occasion(
            person, datetime(2026, 3, 2), {"safety": 90}, strands=("missing", "sexual-exploitation")
        )
    missing = Filters(**{**MARCH.__dict__, "strand": "sexual-exploitation"})
    cell = reports.domain_scores_by_period(session, v1, missing).cell("2026-03", "safety")
    assert (cell.people.value, cell.mean.value) == (10, 90)


def test_distribution_uses_each_persons_latest_score(session, v1, occasion):
    for person in range(12):
        occasion(person, datetime(2026, 3, 1), {"safety": 10})
        occasion(person, datetime(2026, 3, 20), {"safety": 80})
    tables = reports.domain_distribution(session, v1, MARCH)
    assert tables.rows == ("2026-03",) and tables.latest == "2026-03"
    table = tables.table("2026-03")
    assert table.cell("safety", "75-100").display == "10"
    assert table.cell("safety", "0-24").display == "c"
    assert table.row_totals["safety"].value == 10


def test_distribution_by_month_and_quarter(session, v1, occasion):
    for person in range(12):
        occasion(person, datetime(2026, 1, 10), {"safety": 10})
        occasion(person, datetime(2026, 2, 10), {"safety": 90})
    months = reports.domain_distribution(session, v1, Q1)
    assert months.rows == ("2026-01", "2026-02", "2026-03")
    assert months.table("2026-01").cell("safety", "0-24").display == "10"
    assert months.table("2026-02").cell("safety", "75-100").display == "10"
    assert months.table("2026-03").row_totals["safety"].suppressed  # nobody answered
    quarters = reports.domain_distribution(session, v1, Q1, period="quarter")
    assert quarters.rows == ("2026-Q1",)
    q1 = quarters.table("2026-Q1")
    assert (q1.cell("safety", "75-100").display, q1.cell("safety", "0-24").display) == ("10", "c")


def test_distance_by_period(session, v1, occasion):
    for person in range(11):
        occasion(person, datetime(2026, 3, 1), {"safety": 0}, occasion_type="baseline")
        occasion(person, datetime(2026, 3, 20), {"safety": 100})
    table = reports.distance_by_period(session, v1, MARCH).table("2026-03")
    assert table.cell("safety", "improved").display == "10"
    assert table.cell("safety", "worse").suppressed


def test_distance_counts_from_a_baseline_before_the_period(session, v1, occasion):
    for person in range(12):
        occasion(person, datetime(2025, 11, 5), {"safety": 0}, occasion_type="baseline")
        occasion(person, datetime(2026, 3, 20), {"safety": 100})
    table = reports.distance_by_period(session, v1, MARCH).table("2026-03")
    assert table.cell("safety", "improved").display == "10"


def test_a_narrowed_distribution_is_differenced_in_each_period(session, v1, occasion):
    for person in range(12):
        occasion(person, datetime(2026, 3, 2), {"safety": 90}, gender="girl")
    for person in range(12, 14):
        occasion(person, datetime(2026, 3, 2), {"safety": 90}, gender="boy")
    girls = Filters(**{**MARCH.__dict__, "gender": "girl"})
    table = reports.domain_distribution(session, v1, girls).table("2026-03")
    assert table.cell("safety", "75-100").reason == "differencing"


def test_people_count_counts_each_person_once_over_several_months(session, occasion):
    for person in range(12):
        occasion(person, datetime(2026, 1, 10), {"safety": 50})
        occasion(person, datetime(2026, 3, 10), {"safety": 50})
    assert reports.people_count(session, Q1).display == "10"
    assert reports.people_count(session, MARCH).display == "10"
    assert reports.people_count(
        session, Filters(**{**Q1.__dict__, "kind": "exit-family"})
    ).suppressed


def test_rescoring_a_response_replaces_its_numbers(session, v1):
    from outcomes.store import Context, record_occasion

    def write(person, score):
        return record_occasion(
            session,
            Context(
                pseudonym=f"person-{person}",
                response_ref=f"again-{person}",
                team="north",
                age_band="14-15",
                strands=("missing",),
            ),
            framework_code="complex-safeguarding",
            framework_version=1,
            questionnaire_code="checkin",
            questionnaire_kind="checkin",
            occasion_type="review",
            measured_at=datetime(2026, 3, 2),
            indicator_scores={},
            domain_scores={"safety": score},
        )

    for person in range(12):
        write(person, 20)
    for person in range(12):
        write(person, 80)
    cell = reports.domain_scores_by_period(session, v1, MARCH).cell("2026-03", "safety")
    assert (cell.people.display, cell.mean.display) == ("10", "80")


def _comment(session, occ, themes, quote=None):
    return record_comment(
        session,
        occ,
        question="going-well",
        sentiment="positive",
        polarity=0.5,
        themes=tuple(ThemeRow(code, "listened-to", s) for code, s in themes),
        quote=quote,
    )


def test_themes_need_ten_people_who_answered(session, occasion):
    for person in range(9):
        occ = occasion(person, datetime(2026, 3, 2), {})
        _comment(session, occ, [("listened-to", "positive")], quote="They listen")
    summary = reports.themes_summary(session, MARCH)
    assert not summary.shown
    assert summary.answered.display == "c"
    assert "Fewer than 10" in summary.reason
    assert reports.quotes(session, MARCH) == []
    # A day later: the store keeps days, so the newest is the one of the latest day.
    occ = occasion(9, datetime(2026, 3, 3), {})
    _comment(session, occ, [("waiting", "negative")], quote="Too much waiting")
    summary = reports.themes_summary(session, MARCH)
    assert summary.shown
    assert summary.answered.display == "10"
    (top,) = summary.going_well
    assert (top.code, top.people.display) == ("listened-to", "c")
    assert top.share.suppressed  # never a percentage beside a suppressed count
    (worse,) = summary.could_be_better
    assert worse.people.display == "c"
    # Newest first.
    assert reports.quotes(session, MARCH, limit=2) == ["Too much waiting", "They listen"]


def test_theme_counts_and_percentages_where_both_are_ten_or_more(session, occasion):
    for person in range(20):
        occ = occasion(person, datetime(2026, 3, 2), {})
        themes = [("listened-to", "positive")] if person < 12 else []
        _comment(session, occ, themes)
    summary = reports.themes_summary(session, MARCH)
    (top,) = summary.going_well
    assert top.people.display == "10"
    assert top.share.display == "60%"  # from unrounded data: 12 of 20


def test_quotes_only_with_consent(session, occasion):
    for person in range(10):
        occ = occasion(person, datetime(2026, 3, 2), {})
        _comment(session, occ, [], quote="Good" if person == 3 else None)
    assert reports.quotes(session, MARCH) == ["Good"]


def test_safe_percentage_rules():
    shown = reports.protect_count(12)
    assert reports.safe_percentage(12, shown, 20, reports.protect_count(20)).display == "60%"
    small = reports.protect_count(8)
    assert reports.safe_percentage(8, small, 20, reports.protect_count(20)).suppressed
    assert reports.safe_percentage(12, shown, 30, reports._differencing()).suppressed


def test_periods_between():
    assert reports.periods_between(date(2025, 11, 1), date(2026, 2, 1), "month") == (
        "2025-11",
        "2025-12",
        "2026-01",
    )
    assert reports.periods_between(date(2025, 11, 1), date(2026, 2, 1), "quarter") == (
        "2025-Q4",
        "2026-Q1",
    )


def test_the_scores_hide_the_counts_the_spread_hides(session, v1, occasion):
    # Twenty young people with a score in every domain but one, three with a score in
    # that one too: the spread hides the three, and a second row total with them, so that
    # the grand total cannot give the three away. The scores table shows the same counts
    # of people, so it must hide that second one too.
    domains = [d.code for d in v1.domains]
    for person in range(20):
        scores = {d: 80 for d in domains if d != "drugs-alcohol" or person < 3}
        occasion(person, datetime(2026, 3, 2), scores)
    spread = reports.domain_distribution(session, v1, MARCH)
    totals = spread.table("2026-03").row_totals
    assert totals["drugs-alcohol"].reason == "primary"
    (second,) = [d for d, shown in totals.items() if shown.reason == "secondary"]
    scores = reports.domain_scores_by_period(session, v1, MARCH)
    assert scores.cell("2026-03", second).people.display == "20"
    hidden = reports.hide_with_the_spread(scores, spread)
    assert hidden.cell("2026-03", second).people.reason == "secondary"
    assert hidden.cell("2026-03", second).mean.suppressed
    shown = [d for d in domains if not hidden.cell("2026-03", d).people.suppressed]
    assert shown == [d for d in domains if not totals[d].suppressed]
