"""The managers' dashboard and monthly report: who may see which teams, reading the
filters, response rates, and every table as plain rows of text.

Each table is built once, as a `DataTable` of strings already through disclosure control,
and the page, the CSV and XLSX exports and the `report monthly` command all show that
same object, so their numbers cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from feedback.audit.services import record
from feedback.cases.models import Case
from feedback.invitations.models import Invitation
from feedback.staff.models import Team, User
from outcomes import reports
from outcomes.disclosure import (
    ProtectedTable,
    Shown,
    protect_count,
    protect_filtered_table,
    protect_table,
)
from outcomes.framework import Framework
from outcomes.reports import Filters, Period
from outcomes.vocabulary import AGE_BANDS, GENDERS, QUESTIONNAIRE_KINDS, STRANDS

BAND_LABELS = {"0-24": "0 to 24", "25-49": "25 to 49", "50-74": "50 to 74", "75-100": "75 to 100"}
STATUS_LABELS = {
    "improved": "Improved",
    "no-reliable-change": "No reliable change",
    "worse": "Worse",
}
TREND_MONTHS = 6


# --- who may see what ---------------------------------------------------------------------


def allowed_team_codes(user: User) -> tuple[str, ...] | None:
    """Admins see every team (None); managers their own teams; anyone else nothing."""
    if user.role == "admin":
        return None
    if user.role == "manager":
        return tuple(sorted(t.code for t in user.teams))
    return ()


def visible_teams(session: Session, user: User) -> list[Team]:
    query = select(Team).order_by(Team.name)
    codes = allowed_team_codes(user)
    if codes is not None:
        query = query.where(Team.code.in_(codes))
    return list(session.scalars(query))


# --- the selection ------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def whole_periods(first: date, last: date, period: Period) -> tuple[date, date]:
    """The first and last months widened to whole quarters where grouping by quarter,
    because the figures are kept per whole period."""
    if period == "quarter":
        first = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
        last = add_months(date(last.year, (last.month - 1) // 3 * 3 + 1, 1), 2)
    return first, last


@dataclass(frozen=True)
class Selection:
    """What the viewer asked for, checked: the report filters and how to group."""

    filters: Filters
    period: Period = "month"
    first_month: date | None = None
    last_month: date | None = None

    def describe(self) -> dict[str, object]:
        """For the audit log: the filters as plain values."""
        data = self.filters.as_dict()
        data["period"] = self.period
        return data


def default_form_data(today: date) -> dict[str, str]:
    this_month = date(today.year, today.month, 1)
    return {
        "date_from": add_months(this_month, -(TREND_MONTHS - 1)).strftime("%Y-%m"),
        "date_to": this_month.strftime("%Y-%m"),
        "period": "month",
    }


def selection_from_form(form, user: User, framework: Framework) -> Selection:
    """The checked form as a Selection. Call only after the form validated."""
    from feedback.dashboard.forms import parse_month

    period = form.period.data or "month"
    first, last = whole_periods(
        parse_month(form.date_from.data), parse_month(form.date_to.data), period
    )
    allowed = allowed_team_codes(user)
    team = form.team.data or None
    teams = (team,) if team else allowed
    return Selection(
        filters=Filters(
            framework_code=framework.code,
            framework_version=framework.version,
            date_from=first,
            date_to=add_months(last, 1),
            teams=teams,
            age_band=form.age_band.data or None,
            gender=form.gender.data or None,
            strand=form.strand.data or None,
            kind=form.kind.data or None,
            allowed_teams=allowed,
        ),
        period=period,
        first_month=first,
        last_month=last,
    )


def month_selection(user_or_teams, framework: Framework, month: date) -> Selection:
    """One calendar month over everything the viewer (or the given teams) may see."""
    allowed = (
        allowed_team_codes(user_or_teams) if isinstance(user_or_teams, User) else user_or_teams
    )
    return Selection(
        filters=Filters(
            framework_code=framework.code,
            framework_version=framework.version,
            date_from=month,
            date_to=add_months(month, 1),
            teams=allowed,
            allowed_teams=allowed,
        ),
        period="month",
        first_month=month,
        last_month=month,
    )


def filter_summary(selection: Selection, team_names: Mapping[str, str]) -> list[str]:
    """The filters in words, for the page and the report."""
    f = selection.filters
    words = [
        f"{selection.first_month:%B %Y} to {selection.last_month:%B %Y}"
        if selection.first_month != selection.last_month
        else f"{selection.first_month:%B %Y}"
    ]
    if f.teams is None:
        words.append("All teams")
    else:
        words.append(", ".join(team_names.get(c, c) for c in f.teams) or "No teams")
    for value, names in (
        (f.age_band, AGE_BANDS),
        (f.gender, GENDERS),
        (f.strand, STRANDS),
        (f.kind, QUESTIONNAIRE_KINDS),
    ):
        if value:
            words.append(names.get(value, value))
    return words


# --- tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataTable:
    """A table as the reader sees it: every cell text, already protected."""

    key: str
    title: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Columns from this index on hold numbers (right-aligned on the page).
    numeric_from: int = 1
    note: str = ""


def _period_rows(
    tables: reports.PeriodTables, row_labels: Mapping[str, str]
) -> tuple[tuple[str, ...], ...]:
    """Each period's table in turn: a row per domain with the period beside it."""
    rows = []
    for label in tables.rows:
        table = tables.table(label)
        for r in table.rows:
            cells = [table.cell(r, c).display for c in table.cols]
            rows.append((label, row_labels.get(r, r), *cells, table.row_totals[r].display))
    return tuple(rows)


def _per(period: Period) -> str:
    return "quarter" if period == "quarter" else "month"


def scores_tables(framework: Framework, scores: reports.ScoreTable) -> list[DataTable]:
    names = {d.code: d.name for d in framework.domains}
    what = _per(scores.period)
    means = tuple(
        (names[d], *(scores.cell(p, d).mean.display for p in scores.rows)) for d in scores.cols
    )
    people = tuple(
        (names[d], *(scores.cell(p, d).people.display for p in scores.rows)) for d in scores.cols
    )
    return [
        DataTable(
            key="scores",
            title=f"Mean outcome score (0 to 100) by domain and {what}",
            head=("Domain", *scores.rows),
            rows=means,
        ),
        DataTable(
            key="people",
            title=f"Young people with a score, by domain and {what}",
            head=("Domain", *scores.rows),
            rows=people,
        ),
    ]


def distribution_table(framework: Framework, tables: reports.PeriodTables) -> DataTable:
    names = {d.code: d.name for d in framework.domains}
    return DataTable(
        key="distribution",
        title=f"Young people by their latest score in each domain, by {_per(tables.period)}",
        head=("Period", "Domain", *(BAND_LABELS[c] for c in reports.BAND_CODES), "All"),
        rows=_period_rows(tables, names),
        numeric_from=2,
        note=f"Each young person counted once a {_per(tables.period)} in each domain, by "
        f"their latest score that {_per(tables.period)}.",
    )


def distance_data_table(framework: Framework, tables: reports.PeriodTables) -> DataTable:
    names = {d.code: d.name for d in framework.domains}
    return DataTable(
        key="distance",
        title="Distance travelled: young people whose score changed since their first "
        f"check-in, by {_per(tables.period)}",
        head=("Period", "Domain", *(STATUS_LABELS[c] for c in reports.DISTANCE_STATUSES), "All"),
        rows=_period_rows(tables, names),
        numeric_from=2,
        note=f"Young people who checked in that {_per(tables.period)}, their latest check-in "
        "compared with their baseline. Only young people with an earlier check-in to "
        "compare with.",
    )


def themes_tables(summary: reports.ThemesSummary) -> list[DataTable]:
    out = []
    for key, title, themes in (
        ("going-well", "What is going well", summary.going_well),
        ("could-be-better", "What could be better", summary.could_be_better),
    ):
        out.append(
            DataTable(
                key=key,
                title=title,
                head=("Theme", "People", "Share of those who answered"),
                rows=tuple((t.label, t.people.display, t.share.display) for t in themes),
                note="" if summary.shown else (summary.reason or ""),
            )
        )
    return out


# --- response counts and rates --------------------------------------------------------------


@dataclass(frozen=True)
class Responses:
    invited: ProtectedTable
    responded: ProtectedTable
    rates: Mapping[tuple[str, str], Shown]


def response_counts(session: Session, selection: Selection) -> Responses | None:
    """Young people invited and young people who answered, per team and period, from
    invitations made in the period. Whose voices are missing, without naming anyone.

    Counts are of distinct cases. "Responded" is a subset of "invited", so it is
    protected against it as a filtered view (differencing): a team's non-responders are
    never a small, visible group. Age band, gender and strand filters do not apply."""
    f = selection.filters
    if f.date_from is None or f.date_to is None:
        return None
    bucket = reports.period_expression(session, selection.period, Invitation.created_at).label(
        "period"
    )
    used_case = case((Invitation.used_at.is_not(None), Invitation.case_id))
    query = (
        select(
            Team.code,
            bucket,
            func.count(func.distinct(Invitation.case_id)),
            func.count(func.distinct(used_case)),
        )
        .join_from(Invitation, Case, Case.id == Invitation.case_id)
        .join(Team, Team.id == Case.team_id)
        .where(
            Invitation.created_at >= datetime.combine(f.date_from, time()),
            Invitation.created_at < datetime.combine(f.date_to, time()),
        )
        .group_by(Team.code, bucket)
    )
    if f.teams is not None:
        query = query.where(Team.code.in_(f.teams))
    team_query = select(Team.code).order_by(Team.name)
    if f.teams is not None:
        team_query = team_query.where(Team.code.in_(f.teams))
    teams = tuple(session.scalars(team_query))
    periods = reports.periods_between(f.date_from, f.date_to, selection.period)
    if not teams or not periods:
        return None
    invited: dict[tuple[str, str], int] = {}
    responded: dict[tuple[str, str], int] = {}
    for team, period, n_invited, n_responded in session.execute(query):
        if period in periods:
            invited[(team, period)] = n_invited
            responded[(team, period)] = n_responded
    invited_table = protect_table(invited, teams, periods)
    responded_table = protect_filtered_table(responded, invited, teams, periods)
    rates = {
        key: reports.safe_percentage(
            responded.get(key, 0),
            responded_table.cells[key],
            invited.get(key, 0),
            invited_table.cells[key],
        )
        for key in invited_table.cells
    }
    return Responses(invited_table, responded_table, rates)


def responses_table(responses: Responses | None, team_names: Mapping[str, str]) -> DataTable:
    rows = []
    if responses is not None:
        for team in responses.invited.rows:
            for period in responses.invited.cols:
                key = (team, period)
                rows.append(
                    (
                        team_names.get(team, team),
                        period,
                        responses.invited.cells[key].display,
                        responses.responded.cells[key].display,
                        responses.rates[key].display,
                    )
                )
    return DataTable(
        key="responses",
        title="Young people invited and young people who answered, by team",
        head=("Team", "Period", "Invited", "Answered", "Response rate"),
        rows=tuple(rows),
        numeric_from=2,
        note="Invitations made in each period. Not filtered by age band, gender, strand or "
        "questionnaire.",
    )


# --- the dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    selection: Selection
    people: Shown
    scores: reports.ScoreTable
    distribution: reports.PeriodTables
    distance: reports.PeriodTables
    themes: reports.ThemesSummary
    quotes: list[str]
    responses: Responses | None
    tables: list[DataTable] = field(default_factory=list)

    def table(self, key: str) -> DataTable:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)


TABLE_KEYS = (
    "scores",
    "people",
    "distribution",
    "distance",
    "going-well",
    "could-be-better",
    "responses",
)


def build_dashboard(
    session: Session,
    framework: Framework,
    selection: Selection,
    team_names: Mapping[str, str],
) -> Dashboard:
    f = selection.filters
    distribution = reports.domain_distribution(session, framework, f, selection.period)
    scores = reports.hide_with_the_spread(
        reports.domain_scores_by_period(session, framework, f, selection.period), distribution
    )
    distance = reports.distance_by_period(session, framework, f, selection.period)
    themes = reports.themes_summary(session, f)
    responses = response_counts(session, selection)
    tables = [
        *scores_tables(framework, scores),
        distribution_table(framework, distribution),
        distance_data_table(framework, distance),
        *themes_tables(themes),
        responses_table(responses, team_names),
    ]
    return Dashboard(
        selection=selection,
        people=reports.people_count(session, f),
        scores=scores,
        distribution=distribution,
        distance=distance,
        themes=themes,
        quotes=reports.quotes(session, f),
        responses=responses,
        tables=tables,
    )


def team_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Team.code, Team.name)).tuples().all())


# --- the monthly report ---------------------------------------------------------------------

# A report section: (session, month_start, month_end, teams) -> (title, rows), rows being
# (label, count). Other features register theirs in app.config["REPORT_SECTIONS"].
Section = Callable[[Session, date, date, Sequence[str] | None], tuple[str, list]]


@dataclass(frozen=True)
class MonthlyReport:
    month: date
    headline: DataTable
    dashboard: Dashboard
    trend: list[DataTable]
    distance: DataTable
    sections: list[DataTable]

    @property
    def tables(self) -> list[DataTable]:
        d = self.dashboard
        return [
            self.headline,
            *self.trend,
            self.distance,
            d.table("going-well"),
            d.table("could-be-better"),
            d.table("responses"),
            *self.sections,
        ]


def _section_table(index: int, title: str, rows: Sequence) -> DataTable:
    # A section's numbers are counts of people or events about them, so they go through
    # the same 10-5 rule as everything else in a report that can leave the service.
    shown_rows = []
    for label, value in rows:
        if isinstance(value, int) and not isinstance(value, bool):
            shown_rows.append((str(label), protect_count(value).display))
        else:
            shown_rows.append((str(label), str(value)))
    return DataTable(
        key=f"section-{index}", title=str(title), head=("", "Number"), rows=tuple(shown_rows)
    )


def build_monthly_report(
    session: Session,
    framework: Framework,
    month: date,
    teams: tuple[str, ...] | None,
    sections: Sequence[Section] = (),
) -> MonthlyReport:
    names = team_names(session)
    selection = month_selection(teams, framework, month)
    dashboard = build_dashboard(session, framework, selection, names)
    trend_selection = Selection(
        filters=Filters(
            framework_code=framework.code,
            framework_version=framework.version,
            date_from=add_months(month, -(TREND_MONTHS - 1)),
            date_to=add_months(month, 1),
            teams=teams,
            allowed_teams=teams,
        ),
        period="month",
    )
    trend = scores_tables(
        framework,
        reports.domain_scores_by_period(session, framework, trend_selection.filters, "month"),
    )
    distance = replace(
        distance_data_table(framework, dashboard.distance),
        title=f"Distance travelled by young people who checked in in {month:%B %Y}",
    )
    responses = dashboard.responses
    invited = responses.invited.grand_total.display if responses else "c"
    answered = responses.responded.grand_total.display if responses else "c"
    headline = DataTable(
        key="headline",
        title="Headline figures",
        head=("", "Number"),
        rows=(
            ("Young people and families who answered", dashboard.people.display),
            ("Young people invited", invited),
            ("Young people who answered an invitation", answered),
            ("People who wrote about the support", dashboard.themes.answered.display),
        ),
    )
    section_tables = []
    for index, section in enumerate(sections, start=1):
        title, rows = section(session, month, add_months(month, 1), teams)
        section_tables.append(_section_table(index, title, rows))
    return MonthlyReport(
        month=month,
        headline=headline,
        dashboard=dashboard,
        trend=trend,
        distance=distance,
        sections=section_tables,
    )


# --- audit ----------------------------------------------------------------------------------


def audit(session: Session, user, action: str, target: str, selection: Selection, **extra) -> None:
    detail = {"filters": selection.describe(), **extra}
    record(session, actor=user, action=action, target=target, detail=detail)
