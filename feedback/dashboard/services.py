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

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import Session

from feedback import clock
from feedback.audit.services import record
from feedback.cases.models import Case
from feedback.invitations.models import Invitation
from feedback.staff import access
from feedback.staff.models import Team, User
from outcomes import pooled, reports
from outcomes.disclosure import (
    DEFAULT_RULE,
    SUPPRESSED,
    TOTAL,
    ProtectedTable,
    Shown,
    lattice_safe,
    protect_count,
    protect_table,
)
from outcomes.framework import Framework
from outcomes.reports import Filters, Period
from outcomes.vocabulary import (
    AGE_BANDS,
    GENDERS,
    QUESTIONNAIRE_KINDS,
    STRANDS,
    age_band,
    age_bands,
)

BAND_LABELS = {"0-24": "0 to 24", "25-49": "25 to 49", "50-74": "50 to 74", "75-100": "75 to 100"}
STATUS_LABELS = {
    "improved": "Improved",
    "no-reliable-change": "No reliable change",
    "worse": "Worse",
}
TREND_MONTHS = 6
DEFAULT_KIND = "checkin"


# --- who may see what ---------------------------------------------------------------------


def visible_teams(session: Session, user: User) -> list[Team]:
    query = select(Team).order_by(Team.name)
    codes = access.dashboard_team_codes(user)
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
    """The last six months that have ended: the figures of a month appear once it has."""
    last_month = add_months(date(today.year, today.month, 1), -1)
    return {
        "date_from": add_months(last_month, -(TREND_MONTHS - 1)).strftime("%Y-%m"),
        "date_to": last_month.strftime("%Y-%m"),
        "period": "month",
        "kind": DEFAULT_KIND,
    }


def selection_from_form(form, user: User, framework: Framework, today: date) -> Selection:
    """The checked form as a Selection. Call only after the form validated."""
    from feedback.dashboard.forms import parse_month

    period = form.period.data or "month"
    first, last = whole_periods(
        parse_month(form.date_from.data), parse_month(form.date_to.data), period
    )
    allowed = access.dashboard_team_codes(user)
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
            kind=form.kind.data or DEFAULT_KIND,
            allowed_teams=allowed,
            as_of=today,
        ),
        period=period,
        first_month=first,
        last_month=last,
    )


def month_selection(
    teams: tuple[str, ...] | None, framework: Framework, month: date, today: date
) -> Selection:
    """One calendar month over the given teams (None: every team), of check-ins."""
    return Selection(
        filters=Filters(
            framework_code=framework.code,
            framework_version=framework.version,
            date_from=month,
            date_to=add_months(month, 1),
            teams=teams,
            allowed_teams=teams,
            as_of=today,
        ),
        period="month",
        first_month=month,
        last_month=month,
    )


def filter_summary(selection: Selection, team_names: Mapping[str, str]) -> list[str]:
    """The filters in words, for the page and the report."""
    f = selection.filters
    words = [
        f"{selection.first_month:%b %Y} to {selection.last_month:%b %Y}"
        if selection.first_month != selection.last_month
        else f"{selection.first_month:%b %Y}"
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


def not_yet_ended(selection: Selection) -> str:
    """In words, the periods asked for that are not shown because they have not ended."""
    waiting = reports.open_periods(selection.filters, selection.period)
    if not waiting:
        return ""
    what = "quarter" if selection.period == "quarter" else "month"
    return (
        f"Not shown yet: {', '.join(period_words(p) for p in waiting)}. The figures for a "
        f"{what} appear once it has ended, because figures that change with each answer "
        "could be compared before and after one young person answered."
    )


def period_words(label: str) -> str:
    """A period as every output names it: "2026-11" is "Nov 2026", "2026-Q4" is "Oct to
    Dec 2026"."""
    if "Q" in label:
        year, quarter = label.split("-Q")
        first = date(int(year), (int(quarter) - 1) * 3 + 1, 1)
        return f"{first:%b} to {add_months(first, 2):%b %Y}"
    return f"{date.fromisoformat(label + '-01'):%b %Y}"


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
    # A short name for a spreadsheet's sheet (31 characters at most); else the title's.
    name: str = ""

    @property
    def sheet_name(self) -> str:
        if self.name:
            return self.name
        if len(self.title) <= 31:
            return self.title
        return self.title[:31].rsplit(" ", 1)[0]

    @property
    def anything_shown(self) -> bool:
        """Whether any number in the table is shown (not every one "c")."""
        return any(cell != SUPPRESSED for row in self.rows for cell in row[self.numeric_from :])


def _period_rows(
    tables: reports.PeriodTables, row_labels: Mapping[str, str]
) -> tuple[tuple[str, ...], ...]:
    """Each period's table in turn: a row per domain with the period beside it."""
    rows = []
    for label in tables.rows:
        table = tables.table(label)
        for r in table.rows:
            cells = [table.cell(r, c).display for c in table.cols]
            rows.append(
                (period_words(label), row_labels.get(r, r), *cells, table.row_totals[r].display)
            )
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
            head=("Domain", *(period_words(p) for p in scores.rows)),
            rows=means if scores.rows else (),
            name="Mean scores",
        ),
        DataTable(
            key="people",
            title=f"Young people with a score, by domain and {what}",
            head=("Domain", *(period_words(p) for p in scores.rows)),
            rows=people if scores.rows else (),
            name="Young people with a score",
        ),
    ]


def answered_table(people: Mapping[str, Shown], period: Period) -> DataTable:
    return DataTable(
        key="answered",
        title=f"Young people who answered, by {_per(period)}",
        head=("Who", *(period_words(p) for p in people)),
        rows=(("Young people", *(shown.display for shown in people.values())),) if people else (),
        name="Young people who answered",
    )


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
        name="Spread of scores",
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
        name="Distance travelled",
    )


def themes_tables(summary: reports.ThemesSummary) -> list[DataTable]:
    out = []
    for key, title, pick in (
        ("going-well", "What is going well", lambda p: p.going_well),
        ("could-be-better", "What could be better", lambda p: p.could_be_better),
    ):
        rows = tuple(
            (period_words(p.period), t.label, t.people.display, t.share.display)
            for p in summary.periods
            if p.shown
            for t in pick(p)
        )
        out.append(
            DataTable(
                key=key,
                title=title,
                head=("Period", "Theme", "People", "Share of those who wrote"),
                rows=rows,
                numeric_from=2,
                note=summary.reason,
            )
        )
    return out


def writers_table(summary: reports.ThemesSummary) -> DataTable:
    return DataTable(
        key="wrote",
        title=f"People who wrote about the support, by {_per(summary.period)}",
        head=("Who", *(period_words(p.period) for p in summary.periods)),
        rows=(("People", *(p.answered.display for p in summary.periods)),)
        if summary.periods
        else (),
        name="People who wrote",
    )


# --- response counts and rates --------------------------------------------------------------


@dataclass(frozen=True)
class Responses:
    invited: ProtectedTable
    responded: ProtectedTable
    rates: Mapping[tuple[str, str], Shown]


def _team_unsafe(
    counts: Mapping[tuple[str, str], int],
    shown_teams: tuple[str, ...],
    periods: tuple[str, ...],
    all_teams: tuple[str, ...],
) -> set[tuple[str, str]]:
    """Cells and margins of a team-by-period table that some wider set of teams would
    give away by subtraction: each team's row is a view of that team, the margins a view
    of the teams shown, and every other team may be added to either (`lattice_safe`)."""
    unsafe = set()

    def count(team: str, period: str | None) -> int:
        if period is None:
            return sum(counts.get((team, p), 0) for p in periods)
        return counts.get((team, period), 0)

    for period in (*periods, None):
        col = TOTAL if period is None else period
        for team in shown_teams:
            others = [count(t, period) for t in all_teams if t != team]
            if not lattice_safe(0, others):
                unsafe.add((team, col))
        others = [count(t, period) for t in all_teams if t not in shown_teams]
        if not lattice_safe(0, others):
            unsafe.add((TOTAL, col))
    return unsafe


def response_counts(
    session: Session, selection: Selection, whole: str | None = None
) -> Responses | None:
    """Young people invited and young people who answered, per team and ended period, from
    invitations made in the period. Whose voices are missing, without naming anyone.

    Counts are of distinct cases. "Responded" is a subset of "invited", so a team's
    non-responders are never a small, visible group; and every cell is safe beside the
    same figures for any other set of teams. Age band, gender and strand filters do not
    apply. With ``whole``, the selection's months together are one period of that name."""
    f = selection.filters
    if whole is not None:
        assert f.date_to is not None
        periods: tuple[str, ...] = (whole,) if f.date_to <= f.today() else ()
        # Any expression the same for every row: the whole range is one group.
        bucket = func.min(literal_column("0")).label("period")
    else:
        periods = reports.ended_periods(f, selection.period)
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
        .group_by(Team.code, *([] if whole is not None else [bucket]))
    )
    all_teams = tuple(session.scalars(select(Team.code).order_by(Team.name)))
    teams = all_teams if f.teams is None else tuple(t for t in all_teams if t in f.teams)
    if not teams or not periods:
        return None
    invited: dict[tuple[str, str], int] = {}
    responded: dict[tuple[str, str], int] = {}
    for team, period, n_invited, n_responded in session.execute(query):
        period = whole if whole is not None else period
        if period in periods:
            invited[(team, period)] = n_invited
            responded[(team, period)] = n_responded
    not_responded = {key: n - responded[key] for key, n in invited.items()}
    shown = {k: v for k, v in invited.items() if k[0] in teams}
    answered = {k: v for k, v in responded.items() if k[0] in teams}
    invited_table = protect_table(
        shown, teams, periods, unsafe=_team_unsafe(invited, teams, periods, all_teams)
    )
    # Those who did not answer are "invited" with "answered" taken away: a small group
    # of them is hidden too, in the answered table.
    missing = _grid_of(shown, teams, periods)
    gone = {
        label
        for label, n in _grid_of(answered, teams, periods).items()
        if not DEFAULT_RULE.safe(missing.get(label, 0) - n)
    }
    responded_table = protect_table(
        answered,
        teams,
        periods,
        unsafe=_team_unsafe(responded, teams, periods, all_teams)
        | _team_unsafe(not_responded, teams, periods, all_teams)
        | gone,
    )
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


def _grid_of(
    counts: Mapping[tuple[str, str], int], rows: tuple[str, ...], cols: tuple[str, ...]
) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for r in (*rows, TOTAL):
        for c in (*cols, TOTAL):
            out[(r, c)] = sum(
                n
                for (row, col), n in counts.items()
                if (r == TOTAL or row == r)
                and (c == TOTAL or col == c)
                and row in rows
                and col in cols
            )
    return out


def responses_table(responses: Responses | None, team_names: Mapping[str, str]) -> DataTable:
    rows = []
    if responses is not None:
        for team in responses.invited.rows:
            for period in responses.invited.cols:
                key = (team, period)
                rows.append(
                    (
                        team_names.get(team, team),
                        period_words(period),
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
        name="Invited and answered",
    )


# --- the dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    selection: Selection
    people: Mapping[str, Shown]  # young people who answered, by ended period
    scores: reports.ScoreTable
    distribution: reports.PeriodTables
    distance: reports.PeriodTables
    themes: reports.ThemesSummary
    quotes: list[str]
    responses: Responses | None
    waiting: str = ""  # the periods not shown yet, in words
    tables: list[DataTable] = field(default_factory=list)

    def table(self, key: str) -> DataTable:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    @property
    def latest(self) -> str | None:
        return next(reversed(self.people), None) if self.people else None

    @property
    def anything_shown(self) -> bool:
        """Whether this view shows any figure about young people's answers at all."""
        return any(self.table(key).anything_shown for key in STORE_TABLE_KEYS)


TABLE_KEYS = (
    "answered",
    "scores",
    "people",
    "distribution",
    "distance",
    "wrote",
    "going-well",
    "could-be-better",
    "responses",
)
# The tables read from what young people said, as against the invitations.
STORE_TABLE_KEYS = TABLE_KEYS[:-1]


def every_team_is(filters: Filters, team_names: Mapping[str, str]) -> Filters:
    """The filters with the service's other teams named: a view of some teams is compared
    with those teams added (and, holding them all, with none)."""
    if filters.teams is None:
        return filters
    return replace(filters, other_teams=tuple(sorted(set(team_names) - set(filters.teams))))


def build_dashboard(
    session: Session,
    framework: Framework,
    selection: Selection,
    team_names: Mapping[str, str],
) -> Dashboard:
    f = every_team_is(selection.filters, team_names)
    scores, distribution = reports.scores_and_spread(session, framework, f, selection.period)
    distance = reports.distance_by_period(session, framework, f, selection.period)
    themes = reports.themes_summary(session, f, selection.period)
    people = reports.people_by_period(session, f, selection.period)
    responses = response_counts(session, selection)
    tables = [
        answered_table(people, selection.period),
        *scores_tables(framework, scores),
        distribution_table(framework, distribution),
        distance_data_table(framework, distance),
        writers_table(themes),
        *themes_tables(themes),
        responses_table(responses, team_names),
    ]
    return Dashboard(
        selection=selection,
        people=people,
        scores=scores,
        distribution=distribution,
        distance=distance,
        themes=themes,
        quotes=reports.quotes(session, f),
        responses=responses,
        waiting=not_yet_ended(selection),
        tables=tables,
    )


def team_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Team.code, Team.name)).tuples().all())


# --- the monthly report ---------------------------------------------------------------------

# A report section: (session, month_start, month_end, teams) -> (title, rows) or
# (title, rows, total_label), rows being (label, count); with a total label, the rows are
# the parts of a total that the report adds under that label. Other features register
# theirs in app.config["REPORT_SECTIONS"].
Section = Callable[[Session, date, date, Sequence[str] | None], tuple]


class MonthNotEnded(ValueError):
    """The monthly report of a month that has not ended: the message says so kindly."""


@dataclass(frozen=True)
class MonthlyReport:
    month: date
    headline: DataTable
    dashboard: Dashboard
    trend: list[DataTable]
    distance: DataTable
    sections: list[DataTable]
    # Distance travelled over the smallest window that passes disclosure control.
    improved: DataTable | None = None
    improved_words: tuple[str, ...] = ()
    # Each domain's pooled figures, over the window the improved table names.
    pools: Mapping[str, pooled.Pooled] | None = None
    ages: DataTable | None = None
    trend_scores: reports.ScoreTable | None = None
    teams: tuple[str, ...] | None = None

    @property
    def tables(self) -> list[DataTable]:
        d = self.dashboard
        return [
            self.headline,
            *([self.improved] if self.improved else []),
            *self.trend,
            self.distance,
            d.table("going-well"),
            d.table("could-be-better"),
            d.table("responses"),
            *([self.ages] if self.ages else []),
            *self.sections,
        ]


def _section_table(
    index: int,
    section: Section,
    session: Session,
    month: date,
    end: date,
    teams: tuple[str, ...] | None,
) -> DataTable:
    """A section's numbers are counts of people or events about them, so they go through
    the same rules as everything else in a report that can leave the service: the 10-5
    rule, secondary suppression where the rows are the parts of a total, and no count
    that another set of teams would give away by subtraction."""
    title, rows, *rest = section(session, month, end, teams)
    total_label = rest[0] if rest else None
    counted = [
        (str(label), n) for label, n in rows if isinstance(n, int) and not isinstance(n, bool)
    ]
    others: list[dict[str, int]] = []
    if teams is not None:
        for team in session.scalars(select(Team.code).where(Team.code.not_in(teams))):
            _title, other_rows, *_rest = section(session, month, end, (team,))
            others.append({str(label): n for label, n in other_rows if isinstance(n, int)})
    labels = tuple(label for label, _n in counted)
    counts = {(label, "n"): n for label, n in counted}
    unsafe = set()
    for label in labels:
        if not lattice_safe(0, [other.get(label, 0) for other in others]):
            unsafe |= {(label, "n"), (label, TOTAL)}
    shown_rows: list[tuple[str, str]] = []
    if total_label and labels:
        if not lattice_safe(0, [sum(o.get(label, 0) for label in labels) for o in others]):
            unsafe |= {(TOTAL, "n"), (TOTAL, TOTAL)}
        table = protect_table(counts, labels, ("n",), unsafe=unsafe)
        shown_rows = [(label, table.cell(label, "n").display) for label in labels]
        shown_rows.append((str(total_label), table.grand_total.display))
    else:
        for label, n in counted:
            shown = protect_count(n)
            hidden = (label, "n") in unsafe and not shown.suppressed
            shown_rows.append((label, SUPPRESSED if hidden else shown.display))
    for label, value in rows:
        if not (isinstance(value, int) and not isinstance(value, bool)):
            shown_rows.append((str(label), str(value)))
    return DataTable(
        key=f"section-{index}",
        title=str(title),
        head=("What is counted", "Number" if counted else "Details"),
        rows=tuple(shown_rows),
    )


def _checkin_codes() -> list[str]:
    from outcomes.questionnaires import all_questionnaires

    return sorted({code for (code, _v), q in all_questionnaires().items() if q.kind == "checkin"})


def ages_section(session: Session, month: date, end: date, teams) -> tuple:
    """Young people who sent a check-in in the month, by the committee's age bands on the
    day they sent it (the one rule of `outcomes.vocabulary.age_band`), from the case
    records: each young person once, at their first check-in of the month."""
    from feedback.responses.models import Response

    query = (
        select(Case.id, Case.date_of_birth, func.min(Response.submitted_at))
        .join(Response, Response.case_id == Case.id)
        .where(
            Response.status == "submitted",
            Response.submitted_at >= datetime.combine(month, time()),
            Response.submitted_at < datetime.combine(end, time()),
            Response.questionnaire_code.in_(_checkin_codes()),
        )
        .group_by(Case.id, Case.date_of_birth)
    )
    if teams is not None:
        query = query.join(Team, Team.id == Case.team_id).where(Team.code.in_(teams))
    counts = dict.fromkeys(age_bands("committee"), 0)
    for _case, born, sent in session.execute(query):
        counts[age_band(born, sent.date(), "committee")] += 1
    rows = [(words, counts[code]) for code, words in age_bands("committee").items()]
    return "Young people who sent a check-in, by age", rows, "All ages"


def _headline(
    month: date,
    year_words: str,
    columns: Sequence[tuple[str, Shown | None, Responses | None, str]],
) -> DataTable:
    """``columns``: (heading, people who answered, responses, people who wrote)."""

    def total(responses: Responses | None, which: str) -> str:
        if responses is None:
            return SUPPRESSED
        return getattr(responses, which).grand_total.display

    return DataTable(
        key="headline",
        title="Headline figures",
        head=("Figure", *(heading for heading, *_rest in columns)),
        rows=(
            (
                "Young people who answered a check-in",
                *(people.display if people else SUPPRESSED for _h, people, _r, _w in columns),
            ),
            ("Young people invited", *(total(r, "invited") for _h, _p, r, _w in columns)),
            (
                "Young people who answered an invitation",
                *(total(r, "responded") for _h, _p, r, _w in columns),
            ),
            ("People who wrote about the support", *(w for _h, _p, _r, w in columns)),
        ),
        note=f"{month:%b %Y} beside the same month a year before and the {year_words}: "
        "figures over 12 months end with the latest whole quarter. Over 12 months, a "
        "young person invited in several months is counted once; people who wrote are "
        "counted by month only.",
        name="Headline figures",
    )


def _improved(
    framework: Framework, month: date, results: Sequence[pooled.Pooled]
) -> tuple[DataTable, tuple[str, ...], dict[str, pooled.Pooled]]:
    by_domain, _answered = pooled.smallest_of(framework, results)
    rows, words = [], []
    for domain in framework.domains:
        figures = by_domain[domain.code]
        cell = figures.domains[domain.code]
        rows.append(
            (
                domain.name,
                figures.window.words,
                cell.share.display,
                cell.improved.display,
                cell.people.display,
            )
        )
        if not cell.share.suppressed:
            words.append(
                f"{cell.share.display} of young people improved in “{domain.name}” "
                f"({figures.window.words})"
            )
    table = DataTable(
        key="improved",
        title="Distance travelled: young people who improved",
        head=("Domain", "Over", "Share improved", "Improved", "With a change to compare"),
        rows=tuple(rows),
        numeric_from=2,
        note=f"Each domain over the smallest period ending with {month:%b %Y} whose figures "
        "can be shown: the month, else the latest whole quarter, else the 12 months to its "
        "end. Young people who checked in in that period, their latest check-in there "
        "compared with their baseline; improved means by more than the domain's reliable "
        "change.",
        name="Improved",
    )
    return table, tuple(words), by_domain


def build_monthly_report(
    session: Session,
    framework: Framework,
    month: date,
    teams: tuple[str, ...] | None,
    sections: Sequence[Section] = (),
    today: date | None = None,
) -> MonthlyReport:
    today = today or clock.today()
    end = add_months(month, 1)
    if end > today:
        raise MonthNotEnded(
            f"{month:%B %Y} has not ended yet. Its report can be made from "
            f"{end:%-d %B %Y}: the figures of a month are shown once it has ended."
        )
    names = team_names(session)
    selection = month_selection(teams, framework, month, today)
    dashboard = build_dashboard(session, framework, selection, names)
    trend_filters = replace(
        every_team_is(selection.filters, names), date_from=add_months(month, -(TREND_MONTHS - 1))
    )
    trend_scores = reports.domain_scores_by_period(session, framework, trend_filters, "month")
    trend = scores_tables(framework, trend_scores)
    distance = replace(
        distance_data_table(framework, dashboard.distance),
        title=f"Distance travelled by young people who checked in in {month:%B %Y}",
    )
    label = f"{month:%Y-%m}"
    wrote = next(
        (p.answered.display for p in dashboard.themes.periods if p.period == label), SUPPRESSED
    )
    # The same month a year before, and the 12 months to the latest whole quarter.
    last_year = month_selection(teams, framework, add_months(month, -12), today)
    last_year_filters = every_team_is(last_year.filters, names)
    last_year_label = f"{last_year.first_month:%Y-%m}"
    last_year_wrote = next(
        (
            p.answered.display
            for p in reports.themes_summary(session, last_year_filters).periods
            if p.period == last_year_label
        ),
        SUPPRESSED,
    )
    results = pooled.report_figures(
        session, framework, every_team_is(selection.filters, names), month, tuple(names)
    )
    year = results[-1]
    year_selection = replace(
        selection,
        filters=replace(selection.filters, date_from=year.window.first, date_to=year.window.end),
    )
    headline = _headline(
        month,
        year.window.words,
        [
            (period_words(label), dashboard.people[label], dashboard.responses, wrote),
            (
                period_words(last_year_label),
                reports.people_by_period(session, last_year_filters).get(last_year_label),
                response_counts(session, last_year),
                last_year_wrote,
            ),
            (
                year.window.words,
                year.people,
                response_counts(session, year_selection, whole=year.window.words),
                "not counted",
            ),
        ],
    )
    improved, improved_words, pools = _improved(framework, month, results)
    ages = replace(
        _section_table(0, ages_section, session, month, end, teams), key="ages", name="Ages"
    )
    section_tables = [
        _section_table(index, section, session, month, end, teams)
        for index, section in enumerate(sections, start=1)
    ]
    return MonthlyReport(
        month=month,
        headline=headline,
        dashboard=dashboard,
        trend=trend,
        distance=distance,
        sections=section_tables,
        improved=improved,
        improved_words=improved_words,
        pools=pools,
        ages=ages,
        trend_scores=trend_scores,
        teams=teams,
    )


# --- the manager's commentary ---------------------------------------------------------------

COMMENTARY_LIMIT = 5000


class CommentaryTooLong(ValueError):
    """Commentary longer than a report has room for: the message says so kindly."""


def commentary_for(session: Session, month: date, teams: tuple[str, ...] | None):
    from feedback.dashboard.models import ReportCommentary, teams_key

    return session.scalar(
        select(ReportCommentary).where(
            ReportCommentary.month == month, ReportCommentary.teams == teams_key(teams)
        )
    )


def save_commentary(
    session: Session,
    user: User,
    month: date,
    teams: tuple[str, ...] | None,
    text: str,
    now: datetime,
):
    """Keep the manager's commentary for the month and teams (one each; saving again
    replaces it; saving nothing removes it), and audit it without its words."""
    from feedback.dashboard.models import ReportCommentary, teams_key

    text = text.replace("\r\n", "\n").strip()
    if len(text) > COMMENTARY_LIMIT:
        raise CommentaryTooLong(
            f"The commentary must be {COMMENTARY_LIMIT:,} characters or fewer; it has "
            f"{len(text):,}. Nothing has been saved yet: shorten it and save again."
        )
    found = commentary_for(session, month, teams)
    if not text:
        if found is not None:
            session.delete(found)
    elif found is None:
        found = ReportCommentary(month=month, teams=teams_key(teams), text=text)
        session.add(found)
    else:
        found.text = text
    if found is not None and text:
        found.updated_at = now
        found.updated_by_id = user.id
    record(
        session,
        actor=user,
        action="report.commentary",
        target=f"monthly report {month:%Y-%m}",
        detail={"teams": teams_key(teams), "characters": len(text)},
    )
    session.flush()
    return found if text else None


# --- audit ----------------------------------------------------------------------------------


def audit(session: Session, user, action: str, target: str, selection: Selection, **extra) -> None:
    detail = {"filters": selection.describe(), **extra}
    record(session, actor=user, action=action, target=target, detail=detail)
