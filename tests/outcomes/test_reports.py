"""outcomes.reports: aggregates in SQL, protected before they leave the module.

Counts are perturbed by their cell keys before they are rounded, and the record keys are
random, so these tests count multiples of five people (10, 15, 20: shown as themselves
whatever the keys) and allow a mean its documented perturbation of 25 points over the
people."""

import functools
from datetime import date, datetime

import pytest

from outcomes import reports
from outcomes.reports import Filters
from outcomes.store import ThemeRow, record_comment
from tests.outcomes.store_data import record_checkin

MARCH = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 4, 1))
Q1 = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 4, 1))


def near(shown, mean, people):
    """A mean shown within its perturbation and rounding of the true one."""
    return not shown.suppressed and abs(shown.value - mean) <= 25 / people + 0.5


def with_(filters, **changes):
    return Filters(**{**filters.__dict__, **changes})


@pytest.fixture
def checkin_on(store_session):
    return functools.partial(record_checkin, store_session)


def test_scores_count_people_not_occasions(store_session, v1, checkin_on):
    # Nine people, one of them twice: nine young people, so "c" although ten occasions.
    for person in range(9):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 50})
    checkin_on(0, datetime(2026, 3, 20), {"safety": 100})
    cell = reports.domain_scores_by_period(store_session, v1, MARCH).cell("2026-03", "safety")
    assert cell.people.display == "c"
    assert cell.mean.display == "c"
    checkin_on(9, datetime(2026, 3, 3), {"safety": 50})
    cell = reports.domain_scores_by_period(store_session, v1, MARCH).cell("2026-03", "safety")
    assert cell.people.display == "10"
    # The mean is of the 11 occasions, from unrounded data: (10 * 50 + 100) / 11.
    assert near(cell.mean, 600 / 11, 10)


def test_counts_are_perturbed_then_rounded_to_five(store_session, v1, checkin_on):
    for person in range(13):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 40})
    cell = reports.domain_scores_by_period(store_session, v1, MARCH).cell("2026-03", "safety")
    assert cell.people.display in {"10", "15"}
    assert near(cell.mean, 40, 13)
    # The same people, the same figures, however often asked.
    again = reports.domain_scores_by_period(store_session, v1, MARCH).cell("2026-03", "safety")
    assert again == cell


def test_periods_that_have_not_ended_are_not_shown(store_session, v1, checkin_on):
    for person in range(10):
        checkin_on(person, datetime(2026, 3, 15), {"safety": 20})
    during = with_(MARCH, as_of=date(2026, 3, 31))
    assert reports.domain_scores_by_period(store_session, v1, during).rows == ()
    assert reports.open_periods(during, "month") == ("2026-03",)
    after = with_(MARCH, as_of=date(2026, 4, 1))
    assert reports.domain_scores_by_period(store_session, v1, after).rows == ("2026-03",)
    quarter = with_(Q1, as_of=date(2026, 3, 31))
    assert reports.domain_scores_by_period(store_session, v1, quarter, "quarter").rows == ()


def test_periods_are_bucketed_by_month_and_quarter(store_session, v1, checkin_on):
    for person in range(10):
        checkin_on(person, datetime(2026, 1, 15), {"safety": 20})
        checkin_on(person, datetime(2026, 3, 31, 23, 59), {"safety": 80})
    months = reports.domain_scores_by_period(store_session, v1, Q1)
    assert months.rows == ("2026-01", "2026-02", "2026-03")
    assert near(months.cell("2026-01", "safety").mean, 20, 10)
    assert months.cell("2026-02", "safety").people.display == "c"
    assert near(months.cell("2026-03", "safety").mean, 80, 10)
    quarters = reports.domain_scores_by_period(store_session, v1, Q1, period="quarter")
    assert quarters.rows == ("2026-Q1",)
    q1 = quarters.cell("2026-Q1", "safety")
    assert q1.people.value == 10 and near(q1.mean, 50, 10)


def test_a_filter_whose_complement_is_small_is_suppressed(store_session, v1, checkin_on):
    # 10 girls and 3 boys: the girls' 10 beside everyone's 13 gives the boys away.
    for person in range(10):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 50}, gender="girl")
    for person in range(10, 13):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 50}, gender="boy")
    girls = reports.domain_scores_by_period(store_session, v1, with_(MARCH, gender="girl"))
    cell = girls.cell("2026-03", "safety")
    assert cell.people.reason == "differencing"
    assert cell.mean.suppressed
    # Ten more boys: the complement is 13, safe.
    for person in range(13, 23):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 50}, gender="boy")
    girls = reports.domain_scores_by_period(store_session, v1, with_(MARCH, gender="girl"))
    assert girls.cell("2026-03", "safety").people.display == "10"


def test_every_wider_view_counts_not_just_one_filter_wider(store_session, v1, checkin_on):
    # North: 10 girls aged 14-15 and one boy aged 16-17. Dropping only the gender, or
    # only the age band, leaves the same 10; dropping both adds the boy.
    for person in range(10):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 50}, gender="girl", age_band="14-15")
    checkin_on(10, datetime(2026, 3, 2), {"safety": 50}, gender="boy", age_band="16-17")
    narrow = with_(MARCH, gender="girl", age_band="14-15")
    cell = reports.domain_scores_by_period(store_session, v1, narrow).cell("2026-03", "safety")
    assert cell.people.reason == "differencing"


def test_a_subset_of_the_teams_is_differenced_against_every_other_team(
    store_session, v1, checkin_on
):
    for person in range(15):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 50}, team="north")
    for person in range(15, 18):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 50}, team="south")
    for person in range(18, 40):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 50}, team="east")
    whole = reports.domain_scores_by_period(store_session, v1, MARCH)
    assert not whole.cell("2026-03", "safety").people.suppressed
    # North and east together, or north alone: south's 3 could be added to either by
    # someone who may see them (a manager of all three, the command line).
    for teams in (("north",), ("north", "east")):
        filters = with_(MARCH, teams=teams)
        cell = reports.domain_scores_by_period(store_session, v1, filters).cell("2026-03", "safety")
        assert cell.people.reason == "differencing", teams
    # South with 7 more: no other team now adds fewer than 10.
    for person in range(40, 47):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 50}, team="south")
    north = reports.domain_scores_by_period(store_session, v1, with_(MARCH, teams=("north",)))
    assert north.cell("2026-03", "safety").people.display == "15"


def test_strand_filter(store_session, v1, checkin_on):
    for person in range(10):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 50}, strands=("missing",))
    for person in range(10, 20):
        checkin_on(
            person, datetime(2026, 3, 2), {"safety": 90}, strands=("missing", "sexual-exploitation")
        )
    cell = reports.domain_scores_by_period(
        store_session, v1, with_(MARCH, strand="sexual-exploitation")
    ).cell("2026-03", "safety")
    assert cell.people.value == 10 and near(cell.mean, 90, 10)


def test_distribution_uses_each_persons_latest_score(store_session, v1, checkin_on):
    for person in range(10):
        checkin_on(person, datetime(2026, 3, 1), {"safety": 10})
        checkin_on(person, datetime(2026, 3, 20), {"safety": 80})
    tables = reports.domain_distribution(store_session, v1, MARCH)
    assert tables.rows == ("2026-03",) and tables.latest == "2026-03"
    table = tables.table("2026-03")
    assert table.cell("safety", "75-100").display == "10"
    assert table.cell("safety", "0-24").display == "c"
    assert table.row_totals["safety"].value == 10


def test_a_quarter_that_differs_from_one_of_its_months_by_a_few_is_hidden(
    store_session, v1, checkin_on
):
    # Fifteen young people in January only; in March, two newcomers. The quarter beside
    # January would give the newcomers' scores away, so the quarter is hidden.
    for person in range(15):
        checkin_on(person, datetime(2026, 1, 10), {"safety": 10})
    for person in range(15, 17):
        checkin_on(person, datetime(2026, 3, 10), {"safety": 90})
    months = reports.scores_and_spread(store_session, v1, Q1)[0]
    assert months.cell("2026-01", "safety").people.display == "15"
    quarter, spread = reports.scores_and_spread(store_session, v1, Q1, "quarter")
    assert quarter.cell("2026-Q1", "safety").people.reason == "differencing"
    assert spread.table("2026-Q1").row_totals["safety"].reason == "differencing"


def test_a_quarter_of_people_who_came_every_month_is_shown(store_session, v1, checkin_on):
    # The same 15 every month: each differs between a month and the quarter (more
    # scores), so the quarter's mean mixes all 15, and it is shown.
    for person in range(15):
        for month in (1, 2, 3):
            checkin_on(person, datetime(2026, month, 10), {"safety": 20 * month})
    quarter = reports.domain_scores_by_period(store_session, v1, Q1, "quarter")
    cell = quarter.cell("2026-Q1", "safety")
    assert cell.people.display == "15" and near(cell.mean, 40, 15)


def test_a_quarter_where_a_few_scored_again_is_hidden(store_session, v1, checkin_on):
    # 15 in January; 3 of them again in February: the quarter's mean differs from
    # January's by those 3 people's February scores.
    for person in range(15):
        checkin_on(person, datetime(2026, 1, 10), {"safety": 50})
    for person in range(3):
        checkin_on(person, datetime(2026, 2, 10), {"safety": 100})
    quarter = reports.domain_scores_by_period(store_session, v1, Q1, "quarter")
    assert quarter.cell("2026-Q1", "safety").mean.reason == "differencing"


def test_distance_by_period(store_session, v1, checkin_on):
    for person in range(10):
        checkin_on(person, datetime(2026, 3, 1), {"safety": 0}, occasion_type="baseline")
        checkin_on(person, datetime(2026, 3, 20), {"safety": 100})
    table = reports.distance_by_period(store_session, v1, MARCH).table("2026-03")
    assert table.cell("safety", "improved").display == "10"
    assert table.cell("safety", "worse").suppressed


def test_distance_counts_from_a_baseline_before_the_period(store_session, v1, checkin_on):
    for person in range(10):
        checkin_on(person, datetime(2025, 11, 5), {"safety": 0}, occasion_type="baseline")
        checkin_on(person, datetime(2026, 3, 20), {"safety": 100})
    table = reports.distance_by_period(store_session, v1, MARCH).table("2026-03")
    assert table.cell("safety", "improved").display == "10"


def test_a_quarters_distance_that_differs_from_a_month_by_a_few_is_hidden(
    store_session, v1, checkin_on
):
    for person in range(15):
        checkin_on(person, datetime(2025, 12, 5), {"safety": 0}, occasion_type="baseline")
        checkin_on(person, datetime(2026, 1, 5), {"safety": 100})
    for person in range(2):
        checkin_on(person, datetime(2026, 2, 5), {"safety": 0})
    january = reports.distance_by_period(store_session, v1, Q1).table("2026-01")
    assert january.cell("safety", "improved").display == "15"
    quarter = reports.distance_by_period(store_session, v1, Q1, "quarter").table("2026-Q1")
    assert quarter.cell("safety", "improved").reason == "differencing"


def test_a_narrowed_distribution_is_differenced_in_each_period(store_session, v1, checkin_on):
    for person in range(10):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 90}, gender="girl")
    for person in range(10, 12):
        checkin_on(person, datetime(2026, 3, 2), {"safety": 90}, gender="boy")
    table = reports.domain_distribution(store_session, v1, with_(MARCH, gender="girl")).table(
        "2026-03"
    )
    assert table.cell("safety", "75-100").reason == "differencing"


def test_people_by_period_counts_each_person_once_a_period(store_session, checkin_on):
    for person in range(10):
        checkin_on(person, datetime(2026, 1, 10), {"safety": 50})
        checkin_on(person, datetime(2026, 3, 10), {"safety": 50})
    assert reports.people_by_period(store_session, Q1, "quarter")["2026-Q1"].display == "10"
    months = reports.people_by_period(store_session, Q1)
    assert [months[m].display for m in ("2026-01", "2026-02", "2026-03")] == ["10", "c", "10"]
    assert reports.people_by_period(store_session, with_(Q1, kind="exit-family"))[
        "2026-01"
    ].suppressed


def test_rescoring_a_response_replaces_its_numbers(store_session, v1):
    from outcomes.store import Context, record_occasion

    def write(person, score):
        return record_occasion(
            store_session,
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

    for person in range(10):
        write(person, 20)
    for person in range(10):
        write(person, 80)
    cell = reports.domain_scores_by_period(store_session, v1, MARCH).cell("2026-03", "safety")
    assert cell.people.display == "10" and near(cell.mean, 80, 10)


def _comment(store_session, occ, themes, quote=None):
    return record_comment(
        store_session,
        occ,
        question="going-well",
        sentiment="positive",
        polarity=0.5,
        themes=tuple(ThemeRow(code, "listened-to", s) for code, s in themes),
        quote=quote,
    )


def test_themes_need_ten_people_who_answered(store_session, checkin_on):
    for person in range(9):
        occ = checkin_on(person, datetime(2026, 3, 2), {})
        _comment(store_session, occ, [("listened-to", "positive")], quote="They listen")
    (march,) = reports.themes_summary(store_session, MARCH).periods
    assert not march.shown
    assert march.answered.display == "c"
    assert reports.quotes(store_session, MARCH) == []
    # A day later: the store keeps days, so the newest is the one of the latest day.
    occ = checkin_on(9, datetime(2026, 3, 3), {})
    _comment(store_session, occ, [("waiting", "negative")], quote="Too much waiting")
    (march,) = reports.themes_summary(store_session, MARCH).periods
    assert march.shown
    assert march.answered.display == "10"
    (top,) = march.going_well
    assert (top.code, top.people.display) == ("listened-to", "c")
    assert top.share.suppressed  # never a percentage beside a suppressed count
    (worse,) = march.could_be_better
    assert worse.people.display == "c"
    # Newest first.
    assert reports.quotes(store_session, MARCH, limit=2) == ["Too much waiting", "They listen"]


def test_theme_counts_and_percentages_where_both_are_ten_or_more(store_session, checkin_on):
    for person in range(20):
        occ = checkin_on(person, datetime(2026, 3, 2), {})
        themes = [("listened-to", "positive")] if person < 15 else []
        _comment(store_session, occ, themes)
    (march,) = reports.themes_summary(store_session, MARCH).periods
    (top,) = march.going_well
    assert top.people.display == "15"
    # From the perturbed counts: 13 to 17 of 18 to 22.
    assert 59 <= top.share.value <= 95


def test_quotes_only_with_consent(store_session, checkin_on):
    for person in range(10):
        occ = checkin_on(person, datetime(2026, 3, 2), {})
        _comment(store_session, occ, [], quote="Good" if person == 3 else None)
    assert reports.quotes(store_session, MARCH) == ["Good"]


def test_quotes_only_from_months_with_ten_writers(store_session, checkin_on):
    for person in range(10):
        occ = checkin_on(person, datetime(2026, 1, 5), {})
        _comment(store_session, occ, [], quote="January")
    occ = checkin_on(99, datetime(2026, 2, 5), {})
    _comment(store_session, occ, [], quote="Only one wrote in February")
    assert reports.quotes(store_session, Q1) == ["January"] * 5


def test_quotes_are_not_shown_under_a_filter_that_leaves_out_a_few_writers(
    store_session, checkin_on
):
    for person in range(12):
        occ = checkin_on(person, datetime(2026, 3, 2), {}, gender="girl")
        _comment(store_session, occ, [], quote=None)
    occ = checkin_on(50, datetime(2026, 3, 3), {}, gender="boy")
    _comment(store_session, occ, [], quote="Said by the only boy")
    assert reports.quotes(store_session, MARCH) == ["Said by the only boy"]
    assert reports.quotes(store_session, with_(MARCH, gender="girl")) == []


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


def test_the_scores_and_the_spread_hide_the_same_people(store_session, v1, checkin_on):
    # Twenty young people with a score in every domain but one, three with a score in
    # that one too: the spread hides the three, and a second row total with them, so that
    # the grand total cannot give the three away. The scores table counts the same
    # people, and is the same decision.
    domains = [d.code for d in v1.domains]
    for person in range(20):
        scores = {d: 80 for d in domains if d != "drugs-alcohol" or person < 3}
        checkin_on(person, datetime(2026, 3, 2), scores)
    scores, spread = reports.scores_and_spread(store_session, v1, MARCH)
    totals = spread.table("2026-03").row_totals
    assert totals["drugs-alcohol"].reason == "primary"
    (second,) = [d for d, shown in totals.items() if shown.reason == "secondary"]
    assert scores.cell("2026-03", second).people.reason == "secondary"
    assert scores.cell("2026-03", second).mean.suppressed
    for d in domains:
        assert scores.cell("2026-03", d).people == totals[d]


def test_no_themes_are_listed_for_writers_a_wider_view_differs_from_by_a_few(
    store_session, checkin_on
):
    for person in range(12):
        occ = checkin_on(person, datetime(2026, 3, 2), {}, gender="girl")
        _comment(store_session, occ, [("listened-to", "positive")])
    occ = checkin_on(50, datetime(2026, 3, 3), {}, gender="boy")
    _comment(store_session, occ, [("waiting", "negative")])
    (everyone,) = reports.themes_summary(store_session, MARCH).periods
    assert everyone.shown and [t.code for t in everyone.could_be_better] == ["waiting"]
    (girls,) = reports.themes_summary(store_session, with_(MARCH, gender="girl")).periods
    assert not girls.shown and girls.going_well == () and girls.could_be_better == ()
