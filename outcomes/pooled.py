"""Figures pooled over several months, for a report where one month is too small.

A small service rarely has 10 young people with a change to compare in one month, so a
committee's monthly report would be a page of "c". Here the same figures (young people
who answered; distance travelled: who improved in each domain) are worked out over a
window of months: the report's month, the latest calendar quarter ended with it, or the
12 months to that quarter's end (`report_windows`). The report shows each figure over
the smallest window where it passes disclosure control, and names the window beside it
("12 months to Sep 2026"). Pooled windows are whole quarters because two rolling
windows a month apart differ by one month's few young people: both could never be
shown, and the pooled figure would be "c" as often as the month's.

A pooled figure obeys the same rules as every other output (`outcomes.reports`), and
more, since pooled windows overlap each other and the months and quarters the dashboard
shows:

- the 10-5 rule with cell key perturbation: counts of distinct young people, each
  counted once in the window, moved by their cell key (the sum of their record keys) and
  rounded; a percentage only over shown counts, from the moved counts;
- secondary suppression within a domain (improved, not improved, all);
- differencing, person by person: the cell is compared with the same cell of every view
  anyone may ask for that overlaps the window, under every set of teams: each month and
  calendar quarter (which `outcomes.reports` makes knowing nothing of pooled windows),
  every earlier 12-month window (the later of two windows answers for the pair), and the
  same window over wider sets of teams (a narrower view answers for itself, as on the
  dashboard). A young person differs where they are in one cell and not the other. Over
  a set of teams, those who differ are the people of the window's cell that the other
  view leaves out plus, team by team, those of the team the view leaves out or those it
  adds; every such sum is worked out, and a cell that a view able to show its own cell
  (10 or more) differs from by 1 to 9 young people is hidden. So a pooled figure set
  beside any monthly, quarterly or pooled one isolates nobody.

The per-person facts are read from the store's occasions (the month and quarter views
exactly as the summaries place people, through `outcomes.summary.contribution`), so this
costs a read of the people who answered in the 23 months around the window: a report
made once a month, not the dashboard.

Public API::

    WINDOW_MONTHS = (1, 3, 12)
    @dataclass(frozen=True) class Window: last; months; first; labels; words
    @dataclass(frozen=True) class DomainPool: improved; not_improved; people; share
    @dataclass(frozen=True) class Pooled: window; people; domains
    report_windows(month) -> list[Window]
    pooled(session, framework, filters, window, all_teams, rule) -> Pooled
    report_figures(session, framework, filters, month, all_teams, rule) -> list[Pooled]
    smallest_shown(session, framework, filters, month, all_teams, rule)
        -> (dict[domain, Pooled], Pooled)
    smallest_of(framework, results) -> (dict[domain, Pooled], Pooled)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from outcomes import summary
from outcomes.disclosure import (
    DEFAULT_RULE,
    TOTAL,
    Rule,
    Shown,
    perturbed_count,
    protect_count,
    protect_table,
)
from outcomes.distance import classify_change
from outcomes.framework import Framework
from outcomes.reports import Filters, safe_percentage
from outcomes.store import Occasion, Person, summaries
from outcomes.summary import ALL, MILLION

WINDOW_MONTHS = (1, 3, 12)
IMPROVED, NOT_IMPROVED = "improved", "not-improved"
COLUMNS = (IMPROVED, NOT_IMPROVED)


def _shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _label(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


@dataclass(frozen=True)
class Window:
    """The ``months`` months that end with the month starting ``last``."""

    last: date
    months: int

    @property
    def first(self) -> date:
        return _shift(self.last, 1 - self.months)

    @property
    def end(self) -> date:
        """The first day after the window."""
        return _shift(self.last, 1)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(_label(_shift(self.first, i)) for i in range(self.months))

    @property
    def words(self) -> str:
        """ "Nov 2026", "Jul to Sep 2026" or "12 months to Sep 2026"."""
        month = f"{self.last:%b %Y}"
        if self.months == 1:
            return month
        if self.months == 3:
            return f"{self.first:%b} to {month}"
        return f"{self.months} months to {month}"


# A person's part in one view: who they were (their team) and what they add, or None.
# For "answered", the value is True; for a domain, the status of its change.
_Part = tuple[str, object] | None


@dataclass
class _Person:
    record_key: int
    # (view, what) -> (team, value): view is a window's months; what is "answered" or a
    # domain code.
    parts: dict[tuple[tuple[str, ...], str], tuple[str, object]]


@dataclass(frozen=True)
class DomainPool:
    improved: Shown
    not_improved: Shown
    people: Shown  # young people with a change to compare in the window
    share: Shown  # improved, of them


@dataclass(frozen=True)
class Pooled:
    window: Window
    people: Shown  # young people who answered in the window
    domains: Mapping[str, DomainPool]


def _quarter_months(label: str) -> tuple[str, ...]:
    year, month = int(label[:4]), int(label[5:])
    first = (month - 1) // 3 * 3 + 1
    return tuple(f"{year}-{m:02d}" for m in range(first, first + 3))


def _publishable(window: Window) -> bool:
    """Months, and windows of whole quarters: consecutive rolling windows would differ
    by one month's few young people, and so could never both be shown."""
    return window.months == 1 or window.last.month % 3 == 0


def report_windows(month: date) -> list[Window]:
    """The windows a report of ``month`` may show a figure over, smallest first: the
    month, the latest calendar quarter ended with it, and the 12 months to that quarter's
    end."""
    quarter_end = _shift(month, -(month.month % 3))
    return [Window(month, 1), *(Window(quarter_end, n) for n in WINDOW_MONTHS[1:])]


def _comparisons(window: Window, today: date) -> list[tuple[str, ...]]:
    """Every view anyone may ask for that overlaps the window and has ended, as its
    months: each month, each calendar quarter and each 12 months to a quarter's end."""
    ended = date(today.year, today.month, 1)
    views: set[tuple[str, ...]] = set()
    wanted = set(window.labels)
    for months in WINDOW_MONTHS:
        for offset in range(-months, window.months + months):
            other = Window(_shift(window.first, offset), months)
            if _publishable(other) and other.end <= ended and wanted & set(other.labels):
                views.add(other.labels)
    views.add(window.labels)
    return sorted(views)


def _status(framework: Framework, domain: str, change: int) -> str | None:
    thresholds = {d.code: d.reliable_change for d in framework.domains}
    if domain not in thresholds:
        return None
    status = classify_change(0.0, change / MILLION, thresholds[domain])
    return IMPROVED if status == "improved" else NOT_IMPROVED


def _summary_parts(
    framework: Framework,
    facts: Sequence[summary.OccasionFacts],
    kind: str,
    views: Iterable[tuple[str, ...]],
) -> dict[tuple[tuple[str, ...], str], tuple[str, object]]:
    """A person's parts in months and calendar quarters, exactly as the summaries hold
    them (their team at their first occasion of the quarter)."""
    wanted = set(views)
    contribution = summary.contribution(facts)
    parts: dict[tuple[tuple[str, ...], str], tuple[str, object]] = {}
    for month, row_kind, strand, team, _age, _gender in contribution.months:
        if row_kind != kind or strand != ALL:
            continue
        for view in ((month,), _quarter_months(month)):
            if view in wanted:
                parts[(view, "answered")] = (team, True)
    for key in contribution.changes:
        period_type, period, domain, row_kind, strand, team, _age, _gender, change, _q = key
        if row_kind != kind or strand != ALL:
            continue
        if period_type == "month":
            view = (period,)
        else:
            quarter = int(period[-1])
            view = _quarter_months(f"{period[:4]}-{(quarter - 1) * 3 + 1:02d}")
        status = _status(framework, domain, change)
        if view in wanted and status is not None:
            parts[(view, domain)] = (team, status)
    return parts


def _window_parts(
    framework: Framework,
    facts: Sequence[summary.OccasionFacts],
    kind: str,
    view: tuple[str, ...],
) -> dict[tuple[tuple[str, ...], str], tuple[str, object]]:
    """A person's parts in a pooled window: their team at their first occasion in it,
    and each domain's change from their baseline to their latest occasion in it (the
    summaries' rule for a period, `summary.change_in_period`)."""
    series = sorted((o for o in facts if o.kind == kind), key=lambda o: (o.measured_at, o.id))
    month_of = {o.id: _label(o.measured_at) for o in series}
    in_window = [o for o in series if month_of[o.id] in view]
    if not in_window:
        return {}
    team = in_window[0].team
    parts: dict[tuple[tuple[str, ...], str], tuple[str, object]] = {
        (view, "answered"): (team, True)
    }
    history = [o for o in series if month_of[o.id] <= view[-1]]
    for domain, change in summary.change_in_period(history, in_window).items():
        status = _status(framework, domain, change)
        if status is not None:
            parts[(view, domain)] = (team, status)
    return parts


def _people(
    session: Session, framework: Framework, filters: Filters, views: list[tuple[str, ...]]
) -> list[_Person]:
    first = min(view[0] for view in views)
    last = max(view[-1] for view in views)
    pseudonyms = set(
        session.scalars(
            select(Occasion.pseudonym)
            .where(
                Occasion.framework_code == framework.code,
                Occasion.framework_version == framework.version,
                Occasion.questionnaire_kind == filters.kind,
                Occasion.measured_at >= date.fromisoformat(first + "-01"),
                Occasion.measured_at < _shift(date.fromisoformat(last + "-01"), 1),
            )
            .distinct()
        )
    )
    if not pseudonyms:
        return []
    keys: dict[str, int] = {
        pseudonym: key
        for pseudonym, key in session.execute(
            select(Person.pseudonym, Person.record_key).where(Person.pseudonym.in_(pseudonyms))
        )
    }
    # The store's own reader of a person's occasions, so that these facts are the ones the
    # summaries were built from.
    facts = summaries.load_facts(session, framework.code, framework.version, pseudonyms)
    single = [v for v in views if len(v) == 1 or v == _quarter_months(v[0])]
    pooled_views = [v for v in views if v not in single]
    out = []
    for pseudonym in pseudonyms:
        mine = facts.get(pseudonym, [])
        parts = _summary_parts(framework, mine, filters.kind, single)
        for view in pooled_views:
            parts.update(_window_parts(framework, mine, filters.kind, view))
        out.append(_Person(record_key=keys.get(pseudonym, 0), parts=parts))
    return out


def _smallest_differences(
    people: Sequence[_Person],
    view: tuple[str, ...],
    other: tuple[str, ...],
    what: str,
    value: object | None,
    teams: tuple[str, ...] | None,
    all_teams: Sequence[str],
    rule: Rule,
    wider_only: bool = False,
) -> bool:
    """Whether, over every set of teams, the other view's cell (where it can be shown at
    all) differs from this one's by nobody or at least the threshold. ``value`` None: the
    cell of everybody with a part."""

    def in_cell(part: tuple[str, object] | None) -> bool:
        return part is not None and (value is None or part[1] == value)

    z = 0  # in this cell, not in the other view's cell at all
    x: dict[str, int] = {}  # in this cell; in the other's cell as one of team t
    y: dict[str, int] = {}  # not in this cell; in the other's cell as one of team t
    for person in people:
        mine = person.parts.get((view, what))
        theirs = person.parts.get((other, what))
        here = in_cell(mine) and (teams is None or mine is not None and mine[0] in teams)
        there = in_cell(theirs)
        if here and not there:
            z += 1
        elif there:
            assert theirs is not None
            into = x if here else y
            into[theirs[0]] = into.get(theirs[0], 0) + 1
    # Over a set of teams U, the people who differ are z, plus x of each team not in U
    # (the other view leaves them out), plus y of each team in U (it takes them in); the
    # other view's cell holds x + y of each team in U. A cell of fewer than the threshold
    # is never shown anywhere, so only the sets where it reaches it matter. Every reachable
    # pair is worked out, each capped at the threshold.
    top = rule.threshold
    reachable = {(min(z, top), 0)}
    for team in {*all_teams, *x, *y}:
        left_out = (x.get(team, 0), 0)
        taken_in = (y.get(team, 0), x.get(team, 0) + y.get(team, 0))
        # ``wider_only``: only sets of teams that hold the view's own.
        choices = (taken_in,) if wider_only and teams and team in teams else (left_out, taken_in)
        reachable = {
            (min(d + dd, top), min(n + dn, top)) for d, n in reachable for dd, dn in choices
        }
    return not any(0 < d < top and n >= top for d, n in reachable)


def pooled(
    session: Session,
    framework: Framework,
    filters: Filters,
    window: Window,
    all_teams: Sequence[str],
    rule: Rule = DEFAULT_RULE,
    people: Sequence[_Person] | None = None,
) -> Pooled:
    """The window's figures for the filters' teams (None: every team), protected. Age
    band, gender and strand filters are not read: the report has none."""
    views = _comparisons(window, filters.today())
    if people is None:
        people = _people(session, framework, filters, views)
    teams = filters.teams
    view = window.labels

    def count(what: str, value: object | None) -> tuple[int, int]:
        n = key = 0
        for person in people:
            part = person.parts.get((view, what))
            if part is None or (value is not None and part[1] != value):
                continue
            if teams is None or part[0] in teams:
                n += 1
                key += person.record_key
        return n, key

    def answers_for(other: tuple[str, ...]) -> bool:
        """Whether this view answers for its pair with ``other``. Months and quarters come
        from `outcomes.reports`, which knows nothing of pooled windows: always. The same
        window over other teams: only the wider ones, since a narrower one is checked
        against this one when it is made (as `outcomes.reports` does). Another pooled
        window: the later of the two answers for the pair."""
        if other == view:
            return teams is not None
        if len(other) == 1 or other == _quarter_months(other[0]):
            return True
        return other[-1] < view[-1]

    def safe(what: str, value: object | None) -> bool:
        return all(
            _smallest_differences(
                people, view, other, what, value, teams, all_teams, rule, other == view
            )
            for other in views
            if answers_for(other)
        )

    answered_n, answered_key = count("answered", None)
    answered = protect_count(answered_n, rule, key=answered_key)
    if not answered.suppressed and not safe("answered", None):
        answered = Shown("c", None, True, "differencing")
    domains: dict[str, DomainPool] = {}
    for domain in (d.code for d in framework.domains):
        counts, keys, unsafe = {}, {}, set()
        for column in COLUMNS:
            n, key = count(domain, column)
            counts[(domain, column)] = n
            keys[(domain, column)] = key
            if not safe(domain, column):
                unsafe.add((domain, column))
        total_n, total_key = count(domain, None)
        keys[(domain, TOTAL)] = keys[(TOTAL, TOTAL)] = total_key
        for column in COLUMNS:
            keys[(TOTAL, column)] = keys[(domain, column)]
        if not safe(domain, None):
            unsafe |= {(domain, TOTAL), (TOTAL, TOTAL), *((domain, c) for c in COLUMNS)}
        table = protect_table(counts, (domain,), COLUMNS, rule, unsafe=unsafe, keys=keys)
        improved = table.cell(domain, IMPROVED)
        total = table.row_totals[domain]
        share = safe_percentage(
            perturbed_count(counts[(domain, IMPROVED)], keys[(domain, IMPROVED)]),
            improved,
            perturbed_count(total_n, total_key),
            total,
            rule,
        )
        domains[domain] = DomainPool(improved, table.cell(domain, NOT_IMPROVED), total, share)
    return Pooled(window=window, people=answered, domains=MappingProxyType(domains))


def report_figures(
    session: Session,
    framework: Framework,
    filters: Filters,
    month: date,
    all_teams: Sequence[str],
    rule: Rule = DEFAULT_RULE,
) -> list[Pooled]:
    """The figures over each of `report_windows`, smallest first, reading the store once."""
    windows = report_windows(month)
    views = sorted({v for w in windows for v in _comparisons(w, filters.today())})
    people = _people(session, framework, filters, views)
    return [pooled(session, framework, filters, w, all_teams, rule, people) for w in windows]


def smallest_shown(
    session: Session,
    framework: Framework,
    filters: Filters,
    month: date,
    all_teams: Sequence[str],
    rule: Rule = DEFAULT_RULE,
) -> tuple[dict[str, Pooled], Pooled]:
    """For each domain, the figures over the smallest window of `report_windows` whose
    share improved is shown (the largest where none is); and "answered" over the smallest
    window where it is shown."""
    return smallest_of(framework, report_figures(session, framework, filters, month, all_teams))


def smallest_of(
    framework: Framework, results: Sequence[Pooled]
) -> tuple[dict[str, Pooled], Pooled]:
    by_domain = {
        domain: next((r for r in results if not r.domains[domain].share.suppressed), results[-1])
        for domain in (d.code for d in framework.domains)
    }
    answered = next((r for r in results if not r.people.suppressed), results[-1])
    return by_domain, answered
