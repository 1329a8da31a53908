"""Reports: what managers see of the store, aggregated in SQL and already protected.

This module is the one disclosure step: every figure that leaves it (for the dashboard,
its exports, the monthly report and the command line alike) has been through the same
rules, decided cell by cell from the data alone, so no two outputs can disagree about a
cell. Scores, their spread, distance travelled, people and themes are read from the
store's summaries (see `outcomes.summary`), kept up to date on every write, so their
cost depends on periods, domains, kinds of people and people, never on the number of
measurements. Quotes are read from the comments themselves, newest first.

The rules, on top of the ONS "10-5" rule and the cell key perturbation of
`outcomes.disclosure`:

- People, not occasions: every count is of distinct young people, and a mean is shown
  only where at least 10 distinct young people contributed to it.
- Whole periods, and only ended ones: a figure changes with each answer while its period
  runs, and the same figure read before and after one young person answered gives their
  answers away; so a month (or quarter) is shown only once it has ended. A person counts
  once in each period, as they were at their first occasion of the quarter (team, age
  band, gender, strands), in each month and in its quarter alike.
- One questionnaire kind a view: kinds are different questionnaires, answered by
  different people (a family's exit interview is not the young person's check-in), and
  no view mixes them, so no view is a kind-filtered subset of another.
- Differencing between views of one period: a view narrowed by age band, gender, strand
  or to a subset of the teams is compared, cell by cell, with every wider view: each set
  of its filters dropped, with the same teams and with any set of the other teams added
  (a manager's "all my teams", "all teams", and any combination of ``--team`` on the
  command line). A cell whose complement against any of them is 1 to 9 people is hidden
  (reason "differencing"), and so is the mean beside it (`disclosure.lattice_safe`).
- Differencing between a quarter and its months: a quarter's cell is compared with each
  of its months' cells under the same filters, counting exactly the young people whose
  part differs (new in the quarter, or with scores in its other months, or a different
  latest band or change), from the summaries' ``quarter_band`` and ``quarter_change``. A
  quarter's cell with 1 to 9 such people is hidden: the month was shown first.
- Together these make any two views safe to put side by side: if a narrow view V and a
  wider view W (wider in filters, teams, or a quarter over a month) are both shown, the
  people they differ by are the union of those V differs by from the view X with W's
  filters in V's period (checked for V) and those X differs by from W (checked for W),
  and a union of groups that are each empty or at least 10 is empty or at least 10.
- Percentages: shown only where both their numerator and their denominator are shown,
  worked out from the perturbed counts. `safe_percentage` applies it.
- Themes, writers and quotes are per period too, since the same reasoning holds for them;
  a quote is shown only from a month where at least 10 people wrote in the view and the
  view passes the differencing rule for its writers.

Public API::

    @dataclass(frozen=True) class Filters: framework_code, framework_version, date_from,
        date_to (exclusive), teams, age_band, gender, strand, kind, allowed_teams, as_of
    @dataclass(frozen=True) class ScoreCell: mean: Shown; people: Shown
    @dataclass(frozen=True) class ScoreTable: period; rows; cols; cells; cell(row, col)
    @dataclass(frozen=True) class PeriodTables: period; rows; tables; table(label); latest;
        latest_shown
    @dataclass(frozen=True) class ThemeCount: code; label; people: Shown; share: Shown
    @dataclass(frozen=True) class PeriodThemes: period; answered; shown; going_well;
        could_be_better; not_analysed
    @dataclass(frozen=True) class ThemesSummary: period; periods; reason

    periods_between(date_from, date_to, period) -> tuple[str, ...]
    period_end(label) -> date; ended_periods(filters, period); open_periods(filters, period)
    period_expression(session, period, column) -> SQL expression of the period label
    scores_and_spread(session, framework, filters, period="month") -> (ScoreTable,
        PeriodTables)
    domain_scores_by_period(...) -> ScoreTable; domain_distribution(...) -> PeriodTables
    distance_by_period(session, framework, filters, period="month") -> PeriodTables
    people_by_period(session, filters, period="month") -> dict[str, Shown]
    themes_summary(session, filters, period="month", top=5) -> ThemesSummary
    quotes(session, filters, limit=5, read=()) -> list[str]
    quotes_waiting(session, filters, read=()) -> Shown | None
    safe_percentage(numerator, numerator_shown, denominator, denominator_shown) -> Shown
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from itertools import combinations
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy import Integer, Select, SQLColumnExpression, String, cast, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.expression import ColumnElement

from outcomes import store
from outcomes.disclosure import (
    DEFAULT_RULE,
    SUPPRESSED,
    TOTAL,
    ProtectedTable,
    Reason,
    Rule,
    Shown,
    lattice_safe,
    perturbed_count,
    protect_count,
    protect_mean,
    protect_percentage,
    protect_table,
)
from outcomes.distance import classify_change
from outcomes.framework import DASHBOARD_DEFAULT, Framework
from outcomes.store import Comment, Occasion, Person, PersonMonth
from outcomes.summary import (
    ALL,
    BAND_CODES,
    MILLION,
    NONE_IN_QUARTER,
    NOT_ANALYSED,
    PERIODS,
    SAME,
    Period,
    period_label,
)

DISTANCE_STATUSES = ("improved", "no-reliable-change", "worse")
FILTERS = ("age_band", "gender", "strand")


def _hidden(reason: Reason) -> Shown:
    return Shown(display=SUPPRESSED, value=None, suppressed=True, reason=reason)


def _differencing() -> Shown:
    return _hidden("differencing")


# --- filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    framework_code: str = DASHBOARD_DEFAULT[0]
    framework_version: int = DASHBOARD_DEFAULT[1]
    date_from: date | None = None
    date_to: date | None = None  # exclusive, so months tile
    teams: tuple[str, ...] | None = None  # None: every team
    age_band: str | None = None
    gender: str | None = None
    strand: str | None = None
    kind: str = "checkin"  # every view is of one questionnaire kind
    # The teams the viewer may see, for the audit log. The protection does not depend on
    # it: a view is compared with every wider view anyone may ask for.
    allowed_teams: tuple[str, ...] | None = None
    as_of: date | None = None  # periods that have ended by this day are shown; None: today
    # The teams outside `teams` that a wider view may add (the service's other teams);
    # None: every other team in the store.
    other_teams: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not self.kind:
            raise ValueError("a view is of one questionnaire kind")

    @property
    def by_team(self) -> bool:
        """Whether the view is of some teams, with other teams a wider view may add."""
        return self.teams is not None and self.other_teams != ()

    @property
    def narrowed(self) -> bool:
        """Whether anything but the period and kind narrows the view below every team."""
        return self.by_team or any(getattr(self, f) for f in FILTERS)

    def team_condition(self, column: SQLColumnExpression[str]) -> list[ColumnElement[bool]]:
        """The rows to read: the view's teams and the others it is compared with."""
        if self.teams is None or self.other_teams is None:
            return []
        return [column.in_((*self.teams, *self.other_teams))]

    def today(self) -> date:
        return self.as_of or datetime.now(UTC).date()

    def as_dict(self) -> dict[str, object]:
        """For the audit log and exports: plain values only."""
        data = asdict(self)
        return {
            k: (list(v) if isinstance(v, tuple) else v.isoformat() if isinstance(v, date) else v)
            for k, v in data.items()
        }


# --- periods ------------------------------------------------------------------------------


def periods_between(date_from: date, date_to: date, period: Period) -> tuple[str, ...]:
    """Every period from ``date_from`` up to (not including) ``date_to``, in order."""
    labels: list[str] = []
    year, month = date_from.year, date_from.month
    while date(year, month, 1) < date_to:
        label = period_label(date(year, month, 1), period)
        if label not in labels:
            labels.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(labels)


def _months_of(label: str) -> tuple[str, ...]:
    """A quarter's three months, or a month itself."""
    year, rest = label.split("-")
    if rest.startswith("Q"):
        first = (int(rest[1:]) - 1) * 3 + 1
        return tuple(f"{year}-{m:02d}" for m in range(first, first + 3))
    return (label,)


def period_end(label: str) -> date:
    """The first day after the period."""
    year, month = _months_of(label)[-1].split("-")
    y, m = int(year), int(month)
    return date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)


def _asked(filters: Filters, period: Period) -> tuple[str, ...]:
    if filters.date_from is None or filters.date_to is None:
        raise ValueError("a report needs its dates")
    return periods_between(filters.date_from, filters.date_to, period)


def ended_periods(filters: Filters, period: Period) -> tuple[str, ...]:
    return tuple(p for p in _asked(filters, period) if period_end(p) <= filters.today())


def open_periods(filters: Filters, period: Period) -> tuple[str, ...]:
    """Periods asked for that have not ended yet, and so are not shown."""
    return tuple(p for p in _asked(filters, period) if period_end(p) > filters.today())


def period_expression(
    session: Session, period: Period, column: SQLColumnExpression[date]
) -> ColumnElement[str]:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        fmt = 'YYYY-"Q"Q' if period == "quarter" else "YYYY-MM"
        return func.to_char(column, fmt)
    if period == "month":
        return func.strftime("%Y-%m", column)
    quarter = (cast(func.strftime("%m", column), Integer) + 2) / 3
    return func.strftime("%Y", column).concat("-Q").concat(cast(cast(quarter, Integer), String))


def _quarter_of_month(column: SQLColumnExpression[str]) -> ColumnElement[str]:
    """The quarter label of a month label ("2026-05" -> "2026-Q2"), in SQL that SQLite
    and PostgreSQL both run."""
    quarter = (cast(func.substr(column, 6, 2), Integer) + 2) // 3
    return func.substr(column, 1, 5).concat("Q").concat(cast(quarter, String))


# --- the views a view is compared with ------------------------------------------------------
#
# A view's rows are read once, grouped by whatever the comparisons need (the team where
# the view is a subset of the teams, each filter that is set), and every wider view is
# summed from them in Python: within a period each person sits in one group, so the sums
# are exact counts of distinct people.

VIEW = "view"  # the team group of the rows of the view's own teams


@dataclass(frozen=True)
class _Who:
    team: str  # VIEW, or another team's code
    matches: frozenset[str]  # the set filters this row matches


# The summaries a view reads: cells of people with their sums, or people by month.
_CellModel = type[store.ScoreCell] | type[store.ChangeCell]
_PersonModel = type[PersonMonth] | type[store.CommentMonth]


def _who_columns(
    filters: Filters, model: _CellModel | _PersonModel
) -> list[InstrumentedAttribute[str]]:
    columns: list[InstrumentedAttribute[str]] = []
    if filters.by_team:
        columns.append(model.team)
    for name in FILTERS:
        if getattr(filters, name):
            columns.append(getattr(model, name))
    return columns


def _who_of(filters: Filters, values: Sequence[Any]) -> _Who:
    rest = list(values)  # the values of `_who_columns`, as read
    team = VIEW
    if filters.by_team:
        assert filters.teams is not None  # a view by team has its teams
        code = rest.pop(0)
        team = VIEW if code in filters.teams else code
    matches: set[str] = set()
    for name in FILTERS:
        wanted = getattr(filters, name)
        if not wanted:
            continue
        value = rest.pop(0)
        if value == wanted:
            matches.add(name)
        elif name == "strand" and value == ALL:
            matches.add("any-strand")
    return _Who(team, frozenset(matches))


def _drops(filters: Filters) -> list[frozenset[str]]:
    """Every set of the view's filters that a wider view drops, the empty set first."""
    set_filters = [name for name in FILTERS if getattr(filters, name)]
    return [
        frozenset(combo)
        for k in range(len(set_filters) + 1)
        for combo in combinations(set_filters, k)
    ]


def _in_view(filters: Filters, who: _Who, dropped: frozenset[str]) -> bool:
    """Whether a row belongs to the view with ``dropped`` filters dropped. A dropped
    strand reads the rows for every strand; a kept one, the rows for that strand."""
    for name in FILTERS:
        if not getattr(filters, name):
            continue
        if name == "strand":
            wanted = "any-strand" if name in dropped else "strand"
            if wanted not in who.matches:
                return False
        elif name not in dropped and name not in who.matches:
            return False
    return True


# A cell: (period type, period, *what the caller groups by), or a grid's (row, column);
# its values as read from the summaries (str, or int for a change in millionths).
Cell = tuple[Any, ...]
_Cell = TypeVar("_Cell", bound=Cell)
# Additive sums by cell, people first.
Counts = dict[Cell, list[int]]
# A summary row as read for a view: its cell, who it is of, and its sums, people first.
ViewRow = tuple[Cell, _Who, tuple[int, ...]]


@dataclass
class _Views:
    """Sums of a view's rows and of every view wider than it, by cell.

    ``view``: the view itself. ``wider[d]``: the view's teams with the filters ``d``
    dropped. ``others[d][team]``: one other team with the filters ``d`` dropped."""

    view: Counts = field(default_factory=dict)
    wider: dict[frozenset[str], Counts] = field(default_factory=dict)
    others: dict[frozenset[str], dict[str, Counts]] = field(default_factory=dict)


def _add(into: Counts, cell: Cell, values: Sequence[int]) -> None:
    sums = into.setdefault(cell, [0] * len(values))
    for i, value in enumerate(values):
        sums[i] += value


def _sum_views(filters: Filters, rows: Iterable[ViewRow]) -> _Views:
    """``rows``: (cell, who, values) where values are additive sums, people first."""
    drops = _drops(filters)
    views = _Views(wider={d: {} for d in drops}, others={d: {} for d in drops})
    for cell, who, values in rows:
        for dropped in drops:
            if not _in_view(filters, who, dropped):
                continue
            if who.team == VIEW:
                _add(views.wider[dropped], cell, values)
                if not dropped:
                    _add(views.view, cell, values)
            else:
                _add(views.others[dropped].setdefault(who.team, {}), cell, values)
    return views


def _unsafe_cells(
    filters: Filters, views: _Views, cells: Iterable[_Cell], rule: Rule
) -> set[_Cell]:
    """The cells (of any grouping the caller summed to) that some wider view differs
    from by a small group."""
    if not filters.narrowed:
        return set()
    unsafe: set[_Cell] = set()
    for cell in cells:
        n = views.view.get(cell, [0])[0]
        for dropped in views.wider:
            complement = views.wider[dropped].get(cell, [0])[0] - n
            others = (team.get(cell, [0])[0] for team in views.others[dropped].values())
            if not lattice_safe(complement, others, rule):
                unsafe.add(cell)
                break
    return unsafe


def _with_margins(counts: Counts, rows: tuple[str, ...], cols: tuple[str, ...]) -> Counts:
    """``counts`` by (row, col), with the sums of each row, column and the whole under
    TOTAL (the people of a row total each sit in one cell of it)."""
    out: Counts = {}
    for (r, c), values in counts.items():
        if r not in rows or c not in cols:
            continue
        for cell in ((r, c), (r, TOTAL), (TOTAL, c), (TOTAL, TOTAL)):
            _add(out, cell, values)
    return out


def _grid_labels(rows: tuple[str, ...], cols: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(r, c) for r in (*rows, TOTAL) for c in (*cols, TOTAL)]


def _whole_rows(unsafe: set[tuple[str, str]], cols: tuple[str, ...]) -> set[tuple[str, str]]:
    """Where a row's people differ from a wider view's by a small group, its cells go
    too: a cell that differs by nobody would still say where that small group is not
    ("none of them is in this band"), which is a disclosure about them like any other."""
    rows = {r for r, c in unsafe if c == TOTAL and r != TOTAL}
    return unsafe | {(r, c) for r in rows for c in cols}


# --- domain scores and their spread -----------------------------------------------------------


@dataclass(frozen=True)
class ScoreCell:
    mean: Shown  # mean domain score (0-100) over the period's occasions
    people: Shown  # distinct young people


@dataclass(frozen=True)
class ScoreTable:
    period: Period
    rows: tuple[str, ...]  # periods, "2026-03" or "2026-Q1"
    cols: tuple[str, ...]  # domain codes in the framework's order
    cells: Mapping[tuple[str, str], ScoreCell]

    def cell(self, row: str, col: str) -> ScoreCell:
        return self.cells[(row, col)]


@dataclass(frozen=True)
class PeriodTables:
    """One protected table (domains by columns) for each period."""

    period: Period
    rows: tuple[str, ...]  # periods, in order
    tables: Mapping[str, ProtectedTable]

    def table(self, label: str) -> ProtectedTable:
        return self.tables[label]

    @property
    def latest(self) -> str | None:
        return self.rows[-1] if self.rows else None

    @property
    def latest_shown(self) -> str | None:
        """The latest period with any cell shown, or the latest period where none has."""
        for label in reversed(self.rows):
            if any(not cell.suppressed for cell in self.tables[label].cells.values()):
                return label
        return self.latest


def _read_cells(
    session: Session,
    model: _CellModel,
    filters: Filters,
    periods: Iterable[tuple[str, str]],
    keys: tuple[InstrumentedAttribute[Any], ...],
    sums: tuple[InstrumentedAttribute[int], ...],
) -> list[ViewRow]:
    """The summary rows of ``model`` for (period type, period) pairs, grouped by
    ``keys`` and whatever the view's comparisons need, as (cell, who, sums)."""
    periods = list(periods)
    if not periods:
        return []
    who = _who_columns(filters, model)
    strands = (filters.strand, ALL) if filters.strand else (ALL,)
    by_type: dict[str, list[str]] = {}
    for period_type, label in periods:
        by_type.setdefault(period_type, []).append(label)
    out: list[ViewRow] = []
    for period_type, labels in by_type.items():
        query = (
            select(*keys, *who, *(func.sum(s) for s in sums))
            .where(
                model.framework_code == filters.framework_code,
                model.framework_version == filters.framework_version,
                model.kind == filters.kind,
                model.strand.in_(strands),
                model.period_type == period_type,
                model.period.in_(labels),
                *filters.team_condition(model.team),
            )
            .group_by(*keys, *who)
        )
        # Core rows, not ORM ones: thousands of plain tuples on every page.
        for row in session.connection(bind_arguments={"clause": query}).execute(query):
            n_keys, n_who = len(keys), len(who)
            cell = (period_type, *row[:n_keys])
            out.append(
                (
                    cell,
                    _who_of(filters, tuple(row[n_keys : n_keys + n_who])),
                    tuple(int(v) for v in row[n_keys + n_who :]),
                )
            )
    return out


def _wanted_periods(
    filters: Filters, period: Period
) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    """The ended periods shown, and the (period type, period) pairs to read for them: a
    quarter's months too, to compare the quarter with."""
    shown = ended_periods(filters, period)
    return shown, _months_too(period, shown)


def _involved(rule: Rule, *groups: int) -> bool:
    """Whether people the two views differ by, counted exactly, are a small group."""
    return not rule.safe(sum(groups))


def scores_and_spread(
    session: Session,
    framework: Framework,
    filters: Filters,
    period: Period = "month",
    rule: Rule = DEFAULT_RULE,
) -> tuple[ScoreTable, PeriodTables]:
    """Mean score and distinct young people per period and domain, and the spread of
    each person's latest score across the bands: one protection for both, since they
    count the same people (a domain's people are the spread's row total)."""
    cells = store.ScoreCell
    shown, wanted = _wanted_periods(filters, period)
    rows = _read_cells(
        session,
        cells,
        filters,
        wanted,
        (cells.period, cells.domain, cells.band, cells.quarter_band),
        (cells.people, cells.scores, cells.total, cells.key_sum),
    )
    views = _sum_views(filters, rows)
    domains = tuple(d.code for d in framework.domains)
    score_cells: dict[tuple[str, str], ScoreCell] = {}
    tables: dict[str, ProtectedTable] = {}
    for label in shown:

        def grid(counts: Counts, label: str = label) -> Counts:
            by_band: Counts = {}
            for (pt, p, d, b, _qb), values in counts.items():
                if pt == period and p == label:
                    _add(by_band, (d, b), values)
            return _with_margins(by_band, domains, BAND_CODES)

        here = _Views(
            view=grid(views.view),
            wider={d: grid(c) for d, c in views.wider.items()},
            others={d: {t: grid(c) for t, c in ts.items()} for d, ts in views.others.items()},
        )
        unsafe = _unsafe_cells(filters, here, _grid_labels(domains, BAND_CODES), rule)
        if period == "quarter":
            unsafe |= _quarter_score_cells(views.view, label, here.view, domains, rule)
        unsafe = _whole_rows(unsafe, BAND_CODES)
        counts = {k: v[0] for k, v in here.view.items() if TOTAL not in k}
        table = protect_table(
            counts,
            domains,
            BAND_CODES,
            rule,
            unsafe=unsafe,
            keys={k: v[3] for k, v in here.view.items()},
        )
        tables[label] = table
        for d in domains:
            people = table.row_totals[d]
            people_n, scores_n, total, key = here.view.get((d, TOTAL), [0, 0, 0, 0])
            mean = (
                people
                if people.suppressed
                else protect_mean(total / MILLION, scores_n, people_n, key, rule)
            )
            score_cells[(label, d)] = ScoreCell(mean=mean, people=people)
    return (
        ScoreTable(period=period, rows=shown, cols=domains, cells=MappingProxyType(score_cells)),
        PeriodTables(period=period, rows=shown, tables=MappingProxyType(tables)),
    )


def _quarter_score_cells(
    view: Counts, quarter: str, grid: Counts, domains: tuple[str, ...], rule: Rule
) -> set[tuple[str, str]]:
    """The cells of a quarter's spread (and so its scores) that differ from one of its
    months' by a small group: see the module notes."""
    unsafe: set[tuple[str, str]] = set()
    for month in _months_of(quarter):
        # In the month: people by (domain, band, quarter band), "" being "the same".
        kept: Counts = {}  # (d, b): the month's people who are in the quarter's cell too
        left: Counts = {}  # (d, b): the month's people whose quarter band is another
        more: Counts = {}  # d: the month's people with scores in the quarter's other months
        month_people: Counts = {}
        for (pt, p, d, b, qb), values in view.items():
            if pt != "month" or p != month:
                continue
            n = values[0]
            _add(month_people, (d,), [n])
            quarter_band = b if qb == SAME else qb
            _add(kept if quarter_band == b else left, (d, b), [n])
            if qb != SAME:
                _add(more, (d,), [n])
        involved_by_band: Counts = {}
        for d in domains:
            quarter_people = grid.get((d, TOTAL), [0])[0]
            month_n = month_people.get((d,), [0])[0]
            new = quarter_people - month_n
            if _involved(rule, new) or _involved(rule, new, more.get((d,), [0])[0]):
                unsafe.add((d, TOTAL))
            for b in BAND_CODES:
                in_both = kept.get((d, b), [0])[0]
                involved = grid.get((d, b), [0])[0] - in_both + left.get((d, b), [0])[0]
                _add(involved_by_band, (b,), [involved])
                if _involved(rule, involved):
                    unsafe.add((d, b))
        for b in BAND_CODES:
            if _involved(rule, involved_by_band.get((b,), [0])[0]):
                unsafe.add((TOTAL, b))
        if _involved(rule, sum(v[0] for v in involved_by_band.values())):
            unsafe.add((TOTAL, TOTAL))
    return unsafe


def domain_scores_by_period(
    session: Session,
    framework: Framework,
    filters: Filters,
    period: Period = "month",
    rule: Rule = DEFAULT_RULE,
) -> ScoreTable:
    """Mean score and distinct young people per period and domain, protected."""
    return scores_and_spread(session, framework, filters, period, rule)[0]


def domain_distribution(
    session: Session,
    framework: Framework,
    filters: Filters,
    period: Period = "month",
    rule: Rule = DEFAULT_RULE,
) -> PeriodTables:
    """Distinct young people per domain and score band, by each one's latest score in
    each period. Rows are domain codes, columns `BAND_CODES`; row totals are people with
    a score in the domain (each person sits in exactly one band of a domain)."""
    return scores_and_spread(session, framework, filters, period, rule)[1]


# --- distance travelled ---------------------------------------------------------------------


def _status(framework: Framework) -> Callable[[str, int], str | None]:
    thresholds = {d.code: d.reliable_change for d in framework.domains}

    def status(domain: str, change: int) -> str | None:
        if domain not in thresholds:
            return None
        return classify_change(0.0, change / MILLION, thresholds[domain])

    return status


def _distance_rows(
    session: Session, framework: Framework, filters: Filters, wanted: list[tuple[str, str]]
) -> list[ViewRow]:
    cells = store.ChangeCell
    status = _status(framework)
    out: list[ViewRow] = []
    for (pt, p, d, change, qchange), who, values in _read_cells(
        session,
        cells,
        filters,
        wanted,
        (cells.period, cells.domain, cells.change, cells.quarter_change),
        (cells.people, cells.key_sum),
    ):
        s = status(d, change)
        if s is None:
            continue
        if qchange == SAME:
            quarter_status = s
        elif qchange == NONE_IN_QUARTER:
            quarter_status = None
        else:
            quarter_status = status(d, int(qchange))
        out.append(((pt, p, d, s, quarter_status), who, values))
    return out


def _distance_counts(
    session: Session, framework: Framework, filters: Filters, period: Period
) -> dict[tuple[str, str, str], int]:
    """Unprotected: {(period, domain, status): people} of the view, for the tests."""
    labels = _asked(filters, period) if filters.date_from else None
    cells = store.ChangeCell
    query = (
        select(cells.period, cells.domain, cells.change, func.sum(cells.people))
        .where(
            cells.framework_code == filters.framework_code,
            cells.framework_version == filters.framework_version,
            cells.kind == filters.kind,
            cells.strand == (filters.strand or ALL),
            cells.period_type == period,
            *([cells.period.in_(labels)] if labels is not None else []),
            *([cells.team.in_(filters.teams)] if filters.teams is not None else []),
            *([cells.age_band == filters.age_band] if filters.age_band else []),
            *([cells.gender == filters.gender] if filters.gender else []),
        )
        .group_by(cells.period, cells.domain, cells.change)
    )
    status = _status(framework)
    counts: dict[tuple[str, str, str], int] = {}
    for p, d, change, n in session.execute(query):
        s = status(d, int(change))
        if s is not None:
            counts[(p, d, s)] = counts.get((p, d, s), 0) + int(n)
    return counts


def distance_by_period(
    session: Session,
    framework: Framework,
    filters: Filters,
    period: Period = "month",
    rule: Rule = DEFAULT_RULE,
) -> PeriodTables:
    """Young people who improved, did not change reliably, or got worse, per domain, from
    their baseline to their latest check-in in each period. Rows are domain codes,
    columns `DISTANCE_STATUSES`."""
    shown, wanted = _wanted_periods(filters, period)
    views = _sum_views(filters, _distance_rows(session, framework, filters, wanted))
    domains = tuple(d.code for d in framework.domains)
    tables: dict[str, ProtectedTable] = {}
    for label in shown:

        def grid(counts: Counts, label: str = label) -> Counts:
            by_status: Counts = {}
            for (pt, p, d, s, _qs), values in counts.items():
                if pt == period and p == label:
                    _add(by_status, (d, s), values)
            return _with_margins(by_status, domains, DISTANCE_STATUSES)

        here = _Views(
            view=grid(views.view),
            wider={d: grid(c) for d, c in views.wider.items()},
            others={d: {t: grid(c) for t, c in ts.items()} for d, ts in views.others.items()},
        )
        unsafe = _unsafe_cells(filters, here, _grid_labels(domains, DISTANCE_STATUSES), rule)
        if period == "quarter":
            unsafe |= _quarter_distance_cells(views.view, label, here.view, domains, rule)
        unsafe = _whole_rows(unsafe, DISTANCE_STATUSES)
        tables[label] = protect_table(
            {k: v[0] for k, v in here.view.items() if TOTAL not in k},
            domains,
            DISTANCE_STATUSES,
            rule,
            unsafe=unsafe,
            keys={k: v[1] for k, v in here.view.items()},
        )
    return PeriodTables(period=period, rows=shown, tables=MappingProxyType(tables))


def _quarter_distance_cells(
    view: Counts, quarter: str, grid: Counts, domains: tuple[str, ...], rule: Rule
) -> set[tuple[str, str]]:
    unsafe: set[tuple[str, str]] = set()
    for month in _months_of(quarter):
        kept: Counts = {}
        left: Counts = {}
        for (pt, p, d, s, qs), values in view.items():
            if pt == "month" and p == month:
                _add(kept if qs == s else left, (d, s), [values[0]])
        by_status: Counts = {}
        for d in domains:
            involved_row = 0
            for s in DISTANCE_STATUSES:
                in_both = kept.get((d, s), [0])[0]
                involved = grid.get((d, s), [0])[0] - in_both + left.get((d, s), [0])[0]
                involved_row += involved
                _add(by_status, (s,), [involved])
                if _involved(rule, involved):
                    unsafe.add((d, s))
            if _involved(rule, involved_row):
                unsafe.add((d, TOTAL))
        for s in DISTANCE_STATUSES:
            if _involved(rule, by_status.get((s,), [0])[0]):
                unsafe.add((TOTAL, s))
        if _involved(rule, sum(v[0] for v in by_status.values())):
            unsafe.add((TOTAL, TOTAL))
    return unsafe


# --- people, writers and themes, from the person-level summaries ----------------------------


def _person_rows(
    session: Session,
    model: _PersonModel,
    filters: Filters,
    wanted: list[tuple[str, str]],
    extra: tuple[InstrumentedAttribute[str], ...] = (),
    where: tuple[ColumnElement[bool], ...] = (),
) -> list[ViewRow]:
    """Distinct people (and the sum of their record keys) of a person-level summary, by
    period and ``extra`` columns, grouped for the view's comparisons. A quarter counts a
    person once however many of its months they are in (they are in the same group in
    each)."""
    if not wanted:
        return []
    who = _who_columns(filters, model)
    strands = (filters.strand, ALL) if filters.strand else (ALL,)
    out: list[ViewRow] = []
    for period_type in ("month", "quarter"):
        labels = [p for pt, p in wanted if pt == period_type]
        if not labels:
            continue
        months = [m for label in labels for m in _months_of(label)]
        conditions = (
            model.framework_code == filters.framework_code,
            model.framework_version == filters.framework_version,
            model.kind == filters.kind,
            model.strand.in_(strands),
            model.month.in_(months),
            *filters.team_condition(model.team),
            *where,
        )
        if period_type == "month":
            # A person has one row a month, kind, strand (and theme): no DISTINCT needed.
            query = (
                select(model.month, *extra, *who, func.count(), func.sum(model.record_key))
                .where(*conditions)
                .group_by(model.month, *extra, *who)
            )
        else:
            distinct = (
                select(
                    _quarter_of_month(model.month).label("period"),
                    *extra,
                    *who,
                    model.person_id,
                    model.record_key,
                )
                .where(*conditions)
                .distinct()
                .subquery()
            )
            columns = [c for c in distinct.c if c.name not in ("person_id", "record_key")]
            query = select(*columns, func.count(), func.sum(distinct.c.record_key)).group_by(
                *columns
            )
        n_extra, n_who = len(extra), len(who)
        for row in session.connection(bind_arguments={"clause": query}).execute(query):
            cell = (period_type, row[0], *row[1 : 1 + n_extra])
            who_values = tuple(row[1 + n_extra : 1 + n_extra + n_who])
            out.append((cell, _who_of(filters, who_values), (int(row[-2]), int(row[-1]))))
    return out


def _period_figures(
    filters: Filters,
    views: _Views,
    period: Period,
    shown: tuple[str, ...],
    cells_of: Callable[[str], Iterable[Cell]],
    rule: Rule,
) -> dict[Cell, Shown]:
    """Counts of people by cell (period first), protected: the lattice of views, and a
    quarter against its months (a month's people are all in the quarter, in the same
    group, so the quarter's complement is the difference of the counts)."""
    out: dict[Cell, Shown] = {}
    for label in shown:
        cells = list(cells_of(label))
        unsafe = _unsafe_cells(filters, views, cells, rule)
        if period == "quarter":
            for cell in cells:
                n = views.view.get(cell, [0])[0]
                for month in _months_of(label):
                    month_n = views.view.get(("month", month, *cell[2:]), [0])[0]
                    if _involved(rule, n - month_n):
                        unsafe.add(cell)
        if cells and cells[0] in unsafe:
            # The first cell holds everybody the others are parts of (see _whole_rows).
            unsafe.update(cells)
        out.update(_shown_figures(cells, unsafe, views, rule))
    return out


def _shown_figures(
    cells: Iterable[Cell], unsafe: set[Cell], views: _Views, rule: Rule
) -> dict[Cell, Shown]:
    out: dict[Cell, Shown] = {}
    for cell in cells:
        n, key = views.view.get(cell, [0, 0])
        shown_count = protect_count(n, rule, key=key)
        hide = cell in unsafe and not shown_count.suppressed
        out[cell] = _differencing() if hide else shown_count
    return out


def _months_too(period: Period, shown: tuple[str, ...]) -> list[tuple[str, str]]:
    wanted: list[tuple[str, str]] = [(period, p) for p in shown]
    if period == "quarter":
        wanted += [("month", m) for q in shown for m in _months_of(q)]
    return wanted


def people_by_period(
    session: Session, filters: Filters, period: Period = "month", rule: Rule = DEFAULT_RULE
) -> dict[str, Shown]:
    """Distinct young people (or families) who answered, in each ended period."""
    shown = ended_periods(filters, period)
    rows = _person_rows(session, PersonMonth, filters, _months_too(period, shown))
    figures = _period_figures(
        filters, _sum_views(filters, rows), period, shown, lambda p: [(period, p)], rule
    )
    return {label: figures[(period, label)] for label in shown}


@dataclass(frozen=True)
class ThemeCount:
    code: str
    label: str
    people: Shown  # distinct people who mentioned it this way
    share: Shown  # of those who answered; see safe_percentage


@dataclass(frozen=True)
class PeriodThemes:
    period: str
    answered: Shown  # distinct people who wrote any free-text answer
    shown: bool  # at least 10 people wrote
    going_well: tuple[ThemeCount, ...]
    could_be_better: tuple[ThemeCount, ...]
    # Distinct people who wrote an answer in another language, which sentiment and themes
    # do not read ("not analysed: language"), protected as every count of people is.
    not_analysed: Shown


@dataclass(frozen=True)
class ThemesSummary:
    period: Period
    periods: tuple[PeriodThemes, ...]
    reason: str  # why a period has no themes

    @property
    def shown(self) -> bool:
        return any(p.shown for p in self.periods)


def safe_percentage(
    numerator: int,
    numerator_shown: Shown,
    denominator: int,
    denominator_shown: Shown,
    rule: Rule = DEFAULT_RULE,
) -> Shown:
    """A percentage only where both counts beside it are shown (see the module notes).
    Give it the perturbed counts (`disclosure.perturbed_count`) where there are keys."""
    if numerator_shown.suppressed or denominator_shown.suppressed:
        reason = numerator_shown.reason or denominator_shown.reason or "secondary"
        return _hidden(reason)
    if numerator < rule.threshold or denominator < rule.threshold:
        return _hidden("primary")
    return protect_percentage(min(numerator, denominator), denominator, rule)


def themes_summary(
    session: Session,
    filters: Filters,
    period: Period = "month",
    top: int = 5,
    rule: Rule = DEFAULT_RULE,
) -> ThemesSummary:
    """For each ended period: the themes most people mentioned positively ("what is going
    well") and negatively ("what could be better"), counted in distinct people; nothing
    for a period where fewer than 10 people wrote. Beside them, the people who wrote in
    another language, whose answers have no sentiment or themes ("not analysed:
    language")."""
    from outcomes.text import load_themes

    months = store.CommentMonth
    shown = ended_periods(filters, period)
    rows = _person_rows(
        session,
        months,
        filters,
        _months_too(period, shown),
        extra=(months.theme, months.sentiment),
        where=(months.sentiment.in_(("", "positive", "negative", NOT_ANALYSED)),),
    )
    views = _sum_views(filters, rows)
    found: dict[str, set[tuple[str, str]]] = {}
    for pt, p, theme, sentiment in views.view:
        if pt == period:
            found.setdefault(p, set()).add((theme, sentiment))
    figures = _period_figures(
        filters,
        views,
        period,
        shown,
        lambda p: [
            (period, p, "", ""),
            (period, p, "", NOT_ANALYSED),
            *((period, p, *t) for t in found.get(p, ()) if t[0]),
        ],
        rule,
    )
    labels = {t.code: t.label for t in load_themes()}
    out = []
    for label in shown:
        answered_n, answered_key = views.view.get((period, label, "", ""), [0, 0])
        answered = figures[(period, label, "", "")]
        not_analysed = figures[(period, label, "", NOT_ANALYSED)]
        if answered_n < rule.threshold or answered.reason == "differencing":
            # Not even the list of themes: which themes a view's writers mentioned, beside
            # a wider view's list, would say something of the few the view leaves out.
            out.append(PeriodThemes(label, answered, False, (), (), not_analysed))
            continue

        def ranked(
            sentiment: str,
            label: str = label,
            answered: Shown = answered,
            n: int = answered_n,
            key: int = answered_key,
        ) -> tuple[ThemeCount, ...]:
            counts: list[ThemeCount] = []
            for theme, s in found.get(label, ()):
                if s != sentiment or not theme:
                    continue
                people = figures[(period, label, theme, s)]
                theme_n, theme_key = views.view[(period, label, theme, s)]
                share = safe_percentage(
                    perturbed_count(theme_n, theme_key),
                    people,
                    perturbed_count(n, key),
                    answered,
                    rule,
                )
                counts.append(ThemeCount(theme, labels.get(theme, theme), people, share))
            # Ordered by what is shown, not by the true counts, so the order adds nothing
            # to what rounding hides.
            counts.sort(key=lambda t: (-(t.people.value or 0), t.label))
            return tuple(counts[:top])

        out.append(
            PeriodThemes(
                label, answered, True, ranked("positive"), ranked("negative"), not_analysed
            )
        )
    return ThemesSummary(
        period=period,
        periods=tuple(out),
        reason=f"Themes are shown for a {period} only where at least {rule.threshold} "
        "people wrote about the support.",
    )


def quotes(
    session: Session,
    filters: Filters,
    limit: int = 5,
    rule: Rule = DEFAULT_RULE,
    *,
    read: Collection[str] = (),
) -> list[str]:
    """Recent quotes (consented and redacted when stored), each from a month where at
    least 10 people wrote in the view and the view's writers pass the differencing rule:
    so a quote is never narrowed to fewer than 10 people who might have written it, by
    filter, by team or by month (a quote new since last month was written last month).

    A quote in another language, which no detector or reader here understands, is shown
    only once a manager has read it and said it may be: only if it is among ``read``
    (quotes as stored). `quotes_waiting` counts those nobody has read yet."""
    conditions = _quote_conditions(session, filters, rule)
    if conditions is None:
        return []
    readable = Comment.sentiment != NOT_ANALYSED
    if read:
        readable = or_(readable, Comment.quote.in_(sorted(set(read))))
    query = (
        _quoted(conditions, select(Comment.quote))
        .where(readable)
        .order_by(Occasion.measured_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def quotes_waiting(
    session: Session,
    filters: Filters,
    rule: Rule = DEFAULT_RULE,
    *,
    read: Collection[str] = (),
) -> Shown | None:
    """How many quotes in another language, from the months `quotes` would quote, wait
    for a manager to read them (those not among ``read``, the quotes as stored that a
    manager has read, whether or not they may be shown): a count of answers about
    young people, so protected as any count is (fewer than 10 shows "c"). None where the
    view has no month to quote from."""
    conditions = _quote_conditions(session, filters, rule)
    if conditions is None:
        return None
    waiting = [Comment.sentiment == NOT_ANALYSED]
    if read:
        waiting.append(Comment.quote.not_in(sorted(set(read))))
    query = _quoted(
        conditions, select(func.count(), func.coalesce(func.sum(PersonMonth.record_key), 0))
    ).where(*waiting)
    n, key = session.execute(query).one()
    return protect_count(int(n), rule, key=int(key))


_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


def _quote_conditions(
    session: Session, filters: Filters, rule: Rule
) -> list[ColumnElement[bool]] | None:
    """Where quotes may come from in the view: its months where at least 10 people wrote
    and the view's writers pass the differencing rule; None where there is no such month."""
    months = store.CommentMonth
    shown = ended_periods(filters, "month")
    rows = _person_rows(
        session,
        months,
        filters,
        [("month", m) for m in shown],
        extra=(months.theme,),
        where=(months.theme == "", months.sentiment == ""),
    )
    views = _sum_views(filters, rows)
    cells = [("month", m, "") for m in shown]
    unsafe = _unsafe_cells(filters, views, cells, rule)
    allowed = [
        cell[1]
        for cell in cells
        if views.view.get(cell, [0])[0] >= rule.threshold and cell not in unsafe
    ]
    if not allowed:
        return None
    person_months = PersonMonth
    month = period_expression(session, "month", Occasion.measured_at)
    conditions = [
        Comment.quote.is_not(None),
        Comment.quote != "",
        Occasion.framework_code == filters.framework_code,
        Occasion.framework_version == filters.framework_version,
        Occasion.questionnaire_kind == filters.kind,
        person_months.framework_code == filters.framework_code,
        person_months.framework_version == filters.framework_version,
        person_months.kind == filters.kind,
        person_months.month == month,
        person_months.month.in_(allowed),
        person_months.strand == (filters.strand or ALL),
    ]
    if filters.teams is not None:
        conditions.append(person_months.team.in_(filters.teams))
    if filters.age_band:
        conditions.append(person_months.age_band == filters.age_band)
    if filters.gender:
        conditions.append(person_months.gender == filters.gender)
    return conditions


def _quoted(conditions: list[ColumnElement[bool]], query: _Query) -> _Query:
    """``query`` over the quoted comments that meet ``conditions``: placed where the writer
    was placed, not where the occasion says, the same group the counts of writers use.
    Starting from the few quoted comments."""
    quoted = select(Comment.occasion_id).where(Comment.quote.is_not(None), Comment.quote != "")
    return (
        query.select_from(Comment)
        .join(Occasion, Occasion.id == Comment.occasion_id)
        .join(Person, Person.pseudonym == Occasion.pseudonym)
        .join(PersonMonth, PersonMonth.person_id == Person.id)
        .where(Occasion.id.in_(quoted), *conditions)
    )
