"""Reports: what managers see of the store, aggregated in SQL and already protected.

Every function here runs its aggregate as SQL ``GROUP BY`` and passes the result through
`outcomes.disclosure` before returning it: nothing that leaves this module carries an
unprotected count. Scores, their spread, distance travelled, people and themes are read
from the store's summaries (see `outcomes.summary`), kept up to date on every write, so
their cost depends on periods, domains, kinds of people and people, never on the number
of measurements. Quotes are read from the comments themselves, newest first.

Rules on top of the ONS "10-5" rule of `outcomes.disclosure`:

- People, not occasions: every count is of distinct young people, and a mean is shown
  only where at least 10 distinct young people contributed to it.
- Whole periods: the dates choose whole months (or quarters, grouped by quarter); a
  person counts once in each period, as they were at their latest occasion in it (team,
  age band, gender, strands), so a person never sits in two cells of one period.
- Differencing: a view narrowed by age band, gender, strand, questionnaire kind or by a
  subset of the teams the viewer may see is compared cell by cell with the same view
  without those filters (same period, every team the viewer may see). A cell whose
  complement is a small non-empty group is suppressed (reason "differencing"), and so is
  the mean beside it.
- Percentages (stricter than the rule's "denominator at least 10"): a percentage is shown
  only where both its numerator and its denominator are shown, so at least 10 each and
  not suppressed for any other reason, because a percentage beside a suppressed count
  gives the count back. `safe_percentage` applies it.
- The questionnaire kind chooses which occasions make up a person's series in the spread
  and distance tables; there it is therefore not differenced (a different kind is a
  different series, not a subset of people). Distance with no kind chosen reads the young
  person's own kinds only.

Public API::

    @dataclass(frozen=True) class Filters: framework_code, framework_version, date_from,
        date_to (exclusive), teams, age_band, gender, strand, kind, allowed_teams
    @dataclass(frozen=True) class ScoreCell: mean: Shown; people: Shown
    @dataclass(frozen=True) class ScoreTable: period; rows; cols; cells; cell(row, col)
    @dataclass(frozen=True) class PeriodTables: period; rows; tables; table(label); latest;
        latest_shown
    @dataclass(frozen=True) class ThemeCount: code; label; people: Shown; share: Shown
    @dataclass(frozen=True) class ThemesSummary: answered; shown; reason; going_well;
        could_be_better

    periods_between(date_from, date_to, period) -> tuple[str, ...]
    period_expression(session, period, column) -> SQL expression of the period label
    domain_scores_by_period(session, framework, filters, period="month") -> ScoreTable
    domain_distribution(session, framework, filters, period="month") -> PeriodTables
    hide_with_the_spread(scores, spread) -> ScoreTable
    distance_by_period(session, framework, filters, period="month") -> PeriodTables
    people_count(session, filters) -> Shown
    themes_summary(session, filters, top=5) -> ThemesSummary
    quotes(session, filters, limit=5) -> list[str]
    safe_percentage(numerator, numerator_shown, denominator, denominator_shown) -> Shown
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from types import MappingProxyType

from sqlalchemy import Integer, String, cast, exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from outcomes import store
from outcomes.disclosure import (
    DEFAULT_RULE,
    SUPPRESSED,
    ProtectedTable,
    Rule,
    Shown,
    complement_safe,
    protect_count,
    protect_filtered_table,
    protect_percentage,
    protect_statistic,
    protect_table,
)
from outcomes.distance import classify_change
from outcomes.framework import ANONYMOUS_KINDS, Framework
from outcomes.store import Comment, Occasion, OccasionStrand
from outcomes.summary import (
    ALL,
    BAND_CODES,
    MILLION,
    PERIODS,
    Period,
    period_label,
)

DISTANCE_STATUSES = ("improved", "no-reliable-change", "worse")


def _differencing() -> Shown:
    return Shown(display=SUPPRESSED, value=None, suppressed=True, reason="differencing")


# --- filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    framework_code: str = "complex-safeguarding"
    framework_version: int = 1
    date_from: date | None = None
    date_to: date | None = None  # exclusive, so months tile
    teams: tuple[str, ...] | None = None  # None: every team
    age_band: str | None = None
    gender: str | None = None
    strand: str | None = None
    kind: str | None = None  # None: every kind (distance: the young person's own kinds)
    # Every team the viewer may see (None: all). Narrowing `teams` below this is a
    # filter like any other, differenced against the whole of what the viewer may see.
    allowed_teams: tuple[str, ...] | None = None

    @property
    def narrowed(self) -> bool:
        """Whether a filter other than the period narrows what the viewer may see."""
        teams_narrowed = self.teams is not None and (
            self.allowed_teams is None or set(self.teams) != set(self.allowed_teams)
        )
        return teams_narrowed or any((self.age_band, self.gender, self.strand, self._kind_narrows))

    @property
    def _kind_narrows(self) -> bool:
        # An anonymous kind is a whole of its own, not a part of "every kind" (which
        # leaves it out), so choosing it narrows nothing.
        return self.kind is not None and self.kind not in ANONYMOUS_KINDS

    def unfiltered(self) -> Filters:
        """The same period and framework over everything the viewer may see (of the
        anonymous kind, where one is chosen)."""
        return replace(
            self,
            teams=self.allowed_teams,
            age_band=None,
            gender=None,
            strand=None,
            kind=None if self._kind_narrows else self.kind,
        )

    def as_dict(self) -> dict[str, object]:
        """For the audit log and exports: plain values only."""
        data = asdict(self)
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()}


def _moment(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time())


def _occasion_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The filters on the occasions themselves, for what is read from the comments."""
    conditions: list[ColumnElement[bool]] = [
        Occasion.framework_code == filters.framework_code,
        Occasion.framework_version == filters.framework_version,
    ]
    if filters.date_from is not None:
        conditions.append(Occasion.measured_at >= _moment(filters.date_from))
    if filters.date_to is not None:
        conditions.append(Occasion.measured_at < _moment(filters.date_to))
    if filters.kind is not None:
        conditions.append(Occasion.questionnaire_kind == filters.kind)
    if filters.teams is not None:
        conditions.append(Occasion.team.in_(filters.teams))
    if filters.age_band is not None:
        conditions.append(Occasion.age_band == filters.age_band)
    if filters.gender is not None:
        conditions.append(Occasion.gender == filters.gender)
    if filters.strand is not None:
        conditions.append(
            exists().where(
                OccasionStrand.occasion_id == Occasion.id,
                OccasionStrand.strand == filters.strand,
            )
        )
    return conditions


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


def period_expression(session: Session, period: Period, column) -> ColumnElement[str]:
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


# --- summary cells -------------------------------------------------------------------------


def _period_range(column, filters: Filters, period: Period) -> list[ColumnElement[bool]]:
    """Whole periods: every period the dates touch."""
    if filters.date_from is not None and filters.date_to is not None:
        return [column.in_(periods_between(filters.date_from, filters.date_to, period))]
    conditions: list[ColumnElement[bool]] = []
    if filters.date_from is not None:
        conditions.append(column >= period_label(filters.date_from, period))
    if filters.date_to is not None:
        conditions.append(column <= period_label(filters.date_to - timedelta(days=1), period))
    return conditions


def _who_conditions(filters: Filters, model) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        model.framework_code == filters.framework_code,
        model.framework_version == filters.framework_version,
        model.strand == (filters.strand or ALL),
    ]
    if filters.teams is not None:
        conditions.append(model.team.in_(filters.teams))
    if filters.age_band is not None:
        conditions.append(model.age_band == filters.age_band)
    if filters.gender is not None:
        conditions.append(model.gender == filters.gender)
    return conditions


def _cell_conditions(filters: Filters, model, period: Period) -> list[ColumnElement[bool]]:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    return [
        *_who_conditions(filters, model),
        model.period_type == period,
        model.kind == (filters.kind or ALL),
        *_period_range(model.period, filters, period),
    ]


def _rows_of(filters: Filters, period: Period, found) -> tuple[str, ...]:
    if filters.date_from is not None and filters.date_to is not None:
        return periods_between(filters.date_from, filters.date_to, period)
    return tuple(sorted(set(found)))


# --- domain scores by period ----------------------------------------------------------------


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


def _score_rows(session: Session, filters: Filters, period: Period):
    cells = store.ScoreCell
    query = (
        select(
            cells.period,
            cells.domain,
            func.sum(cells.scores),
            func.sum(cells.total),
            func.sum(cells.people),
        )
        .where(*_cell_conditions(filters, cells, period))
        .group_by(cells.period, cells.domain)
    )
    return {
        (p, d): (int(total) / MILLION / int(n), int(people))
        for p, d, n, total, people in session.execute(query)
    }


def domain_scores_by_period(
    session: Session,
    framework: Framework,
    filters: Filters,
    period: Period = "month",
    rule: Rule = DEFAULT_RULE,
) -> ScoreTable:
    """Mean score and distinct young people per period and domain, protected."""
    raw = _score_rows(session, filters, period)
    whole = _score_rows(session, filters.unfiltered(), period) if filters.narrowed else None
    domains = tuple(d.code for d in framework.domains)
    rows = _rows_of(filters, period, (p for p, _d in raw))
    cells: dict[tuple[str, str], ScoreCell] = {}
    for p in rows:
        for d in domains:
            mean, n = raw.get((p, d), (None, 0))
            people = protect_count(n, rule)
            if not people.suppressed and whole is not None:
                _mean, whole_n = whole.get((p, d), (None, 0))
                people = people if complement_safe(n, whole_n, rule) else _differencing()
            if people.suppressed:
                cells[(p, d)] = ScoreCell(mean=people, people=people)
            else:
                cells[(p, d)] = ScoreCell(
                    mean=protect_statistic(float(mean), n, rule), people=people
                )
    return ScoreTable(period=period, rows=rows, cols=domains, cells=MappingProxyType(cells))


# --- tables by period -----------------------------------------------------------------------


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
        """The latest period with any cell shown (a month just begun may have none), or
        the latest period where none has."""
        for label in reversed(self.rows):
            if any(not cell.suppressed for cell in self.tables[label].cells.values()):
                return label
        return self.latest


def _protect(
    counts: dict[tuple[str, str], int],
    whole: dict[tuple[str, str], int] | None,
    rows: tuple[str, ...],
    cols: tuple[str, ...],
    rule: Rule,
) -> ProtectedTable:
    counts = {k: v for k, v in counts.items() if k[0] in rows and k[1] in cols}
    if whole is None:
        return protect_table(counts, rows, cols, rule)
    whole = {k: v for k, v in whole.items() if k[0] in rows and k[1] in cols}
    return protect_filtered_table(counts, whole, rows, cols, rule)


def _by_period(
    counts: Callable[[Filters], dict[tuple[str, str, str], int]],
    framework: Framework,
    filters: Filters,
    period: Period,
    cols: tuple[str, ...],
    rule: Rule,
) -> PeriodTables:
    found = _split_by_period(counts(filters))
    # Same kind: the kind chooses the series a person's latest score is read from (see top).
    whole = (
        _split_by_period(counts(replace(filters.unfiltered(), kind=filters.kind)))
        if filters.narrowed
        else None
    )
    domains = tuple(d.code for d in framework.domains)
    periods = _rows_of(filters, period, found)
    tables = {
        label: _protect(
            found.get(label, {}),
            None if whole is None else whole.get(label, {}),
            domains,
            cols,
            rule,
        )
        for label in periods
    }
    return PeriodTables(period=period, rows=periods, tables=MappingProxyType(tables))


def _split_by_period(
    counts: dict[tuple[str, str, str], int],
) -> dict[str, dict[tuple[str, str], int]]:
    """{(period, domain, column): n} as {period: {(domain, column): n}}."""
    split: dict[str, dict[tuple[str, str], int]] = {}
    for (label, domain, col), n in counts.items():
        split.setdefault(label, {})[(domain, col)] = n
    return split


def hide_with_the_spread(scores: ScoreTable, spread: PeriodTables) -> ScoreTable:
    """The scores table with every count hidden that the spread table hides in its "All"
    column. Both count the young people with a score in a domain and period, so when
    secondary suppression hides a row total of the spread (to protect a small domain
    through the grand total), the scores table must not show it beside it."""
    if scores.period != spread.period:
        raise ValueError("the scores and the spread must be by the same period")
    cells = dict(scores.cells)
    for label in spread.rows:
        if label not in scores.rows:
            continue
        table = spread.table(label)
        for domain in scores.cols:
            total = table.row_totals.get(domain)
            cell = cells[(label, domain)]
            if total is not None and total.suppressed and not cell.people.suppressed:
                hidden = Shown(display=SUPPRESSED, value=None, suppressed=True, reason="secondary")
                cells[(label, domain)] = ScoreCell(mean=hidden, people=hidden)
    return replace(scores, cells=MappingProxyType(cells))


# --- distribution of latest scores --------------------------------------------------------


def _distribution_counts(
    session: Session, filters: Filters, period: Period
) -> dict[tuple[str, str, str], int]:
    cells = store.ScoreCell
    query = (
        select(cells.period, cells.domain, cells.band, func.sum(cells.people))
        .where(*_cell_conditions(filters, cells, period))
        .group_by(cells.period, cells.domain, cells.band)
    )
    return {(p, d, b): int(n) for p, d, b, n in session.execute(query)}


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
    return _by_period(
        lambda f: _distribution_counts(session, f, period),
        framework,
        filters,
        period,
        BAND_CODES,
        rule,
    )


# --- distance travelled ---------------------------------------------------------------------


def _distance_counts(
    session: Session, framework: Framework, filters: Filters, period: Period
) -> dict[tuple[str, str, str], int]:
    cells = store.ChangeCell
    query = (
        select(cells.period, cells.domain, cells.change, func.sum(cells.people))
        .where(*_cell_conditions(filters, cells, period))
        .group_by(cells.period, cells.domain, cells.change)
    )
    thresholds = {d.code: d.reliable_change for d in framework.domains}
    counts: dict[tuple[str, str, str], int] = {}
    for p, d, change, n in session.execute(query):
        if d not in thresholds:
            continue
        status = classify_change(0.0, int(change) / MILLION, thresholds[d])
        counts[(p, d, status)] = counts.get((p, d, status), 0) + int(n)
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
    return _by_period(
        lambda f: _distance_counts(session, framework, f, period),
        framework,
        filters,
        period,
        DISTANCE_STATUSES,
        rule,
    )


# --- headline -------------------------------------------------------------------------------


def _month_conditions(filters: Filters, months) -> list[ColumnElement[bool]]:
    """For the person-level summaries (person-months, comment-months): whole months, and
    the kind only where one is chosen (a person counts once whatever kinds they answered;
    with no kind chosen, the anonymous kinds are left out, as in the "every kind" cells,
    because their writers may be counted already under their own pseudonyms)."""
    conditions = [*_who_conditions(filters, months), *_period_range(months.month, filters, "month")]
    if filters.kind is not None:
        conditions.append(months.kind == filters.kind)
    else:
        conditions.append(months.kind.not_in(ANONYMOUS_KINDS))
    return conditions


def _people(session: Session, filters: Filters) -> int:
    months = store.PersonMonth
    query = select(func.count(func.distinct(months.person_id))).where(
        *_month_conditions(filters, months)
    )
    return session.scalar(query) or 0


def _protect_against_whole(n: int, session: Session, filters: Filters, count, rule: Rule) -> Shown:
    shown = protect_count(n, rule)
    if (
        not shown.suppressed
        and filters.narrowed
        and not complement_safe(n, count(session, filters.unfiltered()), rule)
    ):
        return _differencing()
    return shown


def people_count(session: Session, filters: Filters, rule: Rule = DEFAULT_RULE) -> Shown:
    """Distinct young people (or families) who answered in the period."""
    return _protect_against_whole(_people(session, filters), session, filters, _people, rule)


# --- themes and quotes ----------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeCount:
    code: str
    label: str
    people: Shown  # distinct people who mentioned it this way
    share: Shown  # of those who answered; see safe_percentage


@dataclass(frozen=True)
class ThemesSummary:
    answered: Shown  # distinct people who wrote any free-text answer
    shown: bool
    reason: str | None
    going_well: tuple[ThemeCount, ...]
    could_be_better: tuple[ThemeCount, ...]


def _answered(session: Session, filters: Filters) -> int:
    months = store.CommentMonth
    query = select(func.count(func.distinct(months.person_id))).where(
        months.theme == "", *_month_conditions(filters, months)
    )
    return session.scalar(query) or 0


def _theme_counts(session: Session, filters: Filters) -> dict[tuple[str, str], int]:
    months = store.CommentMonth
    query = (
        select(months.theme, months.sentiment, func.count(func.distinct(months.person_id)))
        .where(
            months.theme != "",
            months.sentiment.in_(("positive", "negative")),
            *_month_conditions(filters, months),
        )
        .group_by(months.theme, months.sentiment)
    )
    return {(theme, sentiment): n for theme, sentiment, n in session.execute(query)}


def safe_percentage(
    numerator: int,
    numerator_shown: Shown,
    denominator: int,
    denominator_shown: Shown,
    rule: Rule = DEFAULT_RULE,
) -> Shown:
    """A percentage only where both counts beside it are shown (see the module notes)."""
    if numerator_shown.suppressed or denominator_shown.suppressed:
        reason = numerator_shown.reason or denominator_shown.reason or "secondary"
        return Shown(display=SUPPRESSED, value=None, suppressed=True, reason=reason)
    if numerator < rule.threshold or denominator < rule.threshold:
        return Shown(display=SUPPRESSED, value=None, suppressed=True, reason="primary")
    return protect_percentage(numerator, denominator, rule)


def themes_summary(
    session: Session, filters: Filters, top: int = 5, rule: Rule = DEFAULT_RULE
) -> ThemesSummary:
    """The themes most people mentioned positively ("what is going well") and negatively
    ("what could be better"), counted in distinct people; nothing where fewer than 10
    people answered."""
    from outcomes.text import load_themes

    answered_n = _answered(session, filters)
    answered = _protect_against_whole(answered_n, session, filters, _answered, rule)
    if answered_n < rule.threshold:
        return ThemesSummary(
            answered=answered,
            shown=False,
            reason=f"Fewer than {rule.threshold} people answered in this view, "
            "so themes are not shown.",
            going_well=(),
            could_be_better=(),
        )
    counts = _theme_counts(session, filters)
    whole = _theme_counts(session, filters.unfiltered()) if filters.narrowed else None
    labels = {t.code: t.label for t in load_themes()}

    def ranked(sentiment: str) -> tuple[ThemeCount, ...]:
        found = []
        for (code, s), n in counts.items():
            if s != sentiment:
                continue
            people = protect_count(n, rule)
            if (
                not people.suppressed
                and whole is not None
                and not complement_safe(n, whole.get((code, s), n), rule)
            ):
                people = _differencing()
            share = safe_percentage(n, people, answered_n, answered, rule)
            found.append(ThemeCount(code, labels.get(code, code), people, share))
        # Ordered by what is shown, not by the true counts, so the order adds nothing
        # to what rounding hides.
        found.sort(key=lambda t: (-(t.people.value or 0), t.label))
        return tuple(found[:top])

    return ThemesSummary(
        answered=answered,
        shown=True,
        reason=None,
        going_well=ranked("positive"),
        could_be_better=ranked("negative"),
    )


def quotes(
    session: Session, filters: Filters, limit: int = 5, rule: Rule = DEFAULT_RULE
) -> list[str]:
    """Recent quotes (consented and redacted when stored), only where at least 10 people
    answered in the filtered view."""
    if _answered(session, filters) < rule.threshold:
        return []
    # The occasions are named through ``Occasion.id IN (quoted comments)``, so that the
    # database starts from the few quoted comments rather than walking every occasion.
    quoted = Comment.quote.is_not(None), Comment.quote != ""
    query = (
        select(Comment.quote)
        .join(Occasion, Occasion.id == Comment.occasion_id)
        .where(
            *quoted,
            Occasion.id.in_(select(Comment.occasion_id).where(*quoted)),
            *_occasion_conditions(filters),
        )
        .order_by(Occasion.measured_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
