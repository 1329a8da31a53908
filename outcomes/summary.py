"""What one young person adds to the store's summary tables: pure functions, no database.

The dashboard reads small summary tables rather than every measurement, so that its cost
stays flat as the store grows (see `outcomes.store` for the tables and how they are kept
up to date on every write). This module says what a person's occasions contribute to
them; it never touches a session, so the same code serves the write path, a full rebuild
and the tests.

Each young person counts once in each period (month or quarter) they answered in, with
the facts of their first occasion of the quarter: team, age band, gender and strands. That
is what makes the cells add up: within one period and domain a person sits in exactly one
cell of each table, so summing cells over teams, age bands or genders gives exact counts of
distinct people. Taking the facts from the first occasion of the quarter, for the quarter
and for each of its months alike, puts a person in the same cell of a month as of its
quarter, so the disclosure step can tell exactly who differs between the two (see
`outcomes.disclosure`); a month that has ended never changes group afterwards.

- Score cells: per period, domain, kind (``"*"`` for every kind but the anonymous ones,
  whose writers may be counted there already under their own pseudonyms) and strand
  (``"*"`` for every strand, or one of the person's strands): people, the number of
  scores, their sum, the band of the person's latest score in the domain in the period,
  and the sum of the people's record keys (the cell key of `outcomes.disclosure`). A
  month's cell also says how the person's quarter differs from the month
  (``quarter_band``): ``""`` when the person has no score in the domain in the quarter's
  other months (the quarter holds the same for them), else the band of their latest score
  in the quarter.
- Change cells (distance travelled): per period, the change in each domain from the
  person's baseline (their earliest occasion of type ``baseline`` up to the end of the
  period, else their earliest) to their latest occasion in the period, as an exact
  integer in millionths of a point. The framework's reliable-change threshold is applied
  when the cells are read, so the stored cells do not depend on it. Kind ``"*"`` here is
  the young person's own kinds, so a parent's exit interview is never read as the young
  person's latest view. A month's cell says how the person's quarter differs
  (``quarter_change``): ``""`` the same change, ``"-"`` none in the quarter, else the
  quarter's change.
- Person-months: which people answered in which month, for counts of distinct people over
  several months.
- Comment-months: which people wrote in which month, and the themes they wrote about
  with their sentiment, for the themes and their counts of distinct people. The theme
  ``""`` with sentiment ``""`` is "wrote anything"; with sentiment ``"not-analysed"``,
  "wrote an answer in another language", which has no sentiment or themes.

Scores are kept as integer millionths so that adding a person's contribution and later
taking it away leaves no floating-point residue.

Public API::

    ALL = "*"
    SCORE_BANDS, BAND_CODES, band_of(score) -> str
    period_label(day, period) -> str
    @dataclass(frozen=True) class OccasionFacts: id, measured_at, kind, occasion_type,
        team, age_band, gender, strands, scores
    @dataclass class Contribution: scores, changes, months, comments
    contribution(occasions, into=None) -> Contribution
    change_in_period(history, in_period) -> dict[str, int]
    to_millionths(score) -> int
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Literal

from outcomes.framework import ANONYMOUS_KINDS, KIND_SOURCES

Period = Literal["month", "quarter"]
PERIODS: tuple[Period, ...] = ("month", "quarter")
ALL = "*"
YOUNG_PERSON_KINDS: tuple[str, ...] = tuple(
    kind
    for kind, source in KIND_SOURCES.items()
    if source == "young-person" and kind not in ANONYMOUS_KINDS
)

# Score bands of the distribution: (code, low, high exclusive), the last taking 100.
SCORE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("0-24", 0, 25),
    ("25-49", 25, 50),
    ("50-74", 50, 75),
    ("75-100", 75, 101),
)
BAND_CODES = tuple(code for code, _low, _high in SCORE_BANDS)
MILLION = 1_000_000


def band_of(score: float) -> str:
    for code, low, high in SCORE_BANDS:
        if low <= score < high:
            return code
    return BAND_CODES[-1]


def to_millionths(score: float) -> int:
    return round(score * MILLION)


def period_label(day: date | datetime, period: Period) -> str:
    if period == "quarter":
        return f"{day.year}-Q{(day.month + 2) // 3}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    raise ValueError(f"unknown period {period!r}")


@dataclass(frozen=True)
class OccasionFacts:
    """One occasion as the summaries need it."""

    id: int
    measured_at: date  # the day only, as the store keeps it
    kind: str
    occasion_type: str
    team: str
    age_band: str
    gender: str | None
    strands: tuple[str, ...]
    scores: Mapping[str, float]  # domain code -> score 0-100
    wrote: bool = False  # any free-text answer
    themes: tuple[tuple[str, str], ...] = ()  # (theme code, sentiment) of what was written


# (period_type, period, domain, kind, strand, team, age_band, gender, band, quarter_band)
ScoreKey = tuple[str, str, str, str, str, str, str, str, str, str]
# (period_type, period, domain, kind, strand, team, age_band, gender, change, quarter_change)
ChangeKey = tuple[str, str, str, str, str, str, str, str, int, str]
# (month, kind, strand, team, age_band, gender)
MonthRow = tuple[str, str, str, str, str, str]
# (month, kind, strand, team, age_band, gender, theme, sentiment)
CommentRow = tuple[str, str, str, str, str, str, str, str]
WROTE = ("", "")  # the theme and sentiment of the row that says "wrote anything"
# The sentiment of a comment in another language, which sentiment and themes do not read
# (`outcomes.text.analyse`), and the row of a person who wrote one.
NOT_ANALYSED: Final = "not-analysed"
WROTE_ANOTHER_LANGUAGE = ("", NOT_ANALYSED)
SAME = ""  # a month's cell: the person's quarter holds the same for them
NONE_IN_QUARTER = "-"  # a month's change cell: no change for the person in the quarter


@dataclass
class Contribution:
    """What one person adds: score cells as [people, scores, total millionths], change
    cells as people, and the person's month and comment-month rows. Each cell holds the
    person once, so their record key adds to a cell as many times as they add people."""

    scores: dict[ScoreKey, list[int]] = field(default_factory=dict)
    changes: dict[ChangeKey, int] = field(default_factory=dict)
    months: set[MonthRow] = field(default_factory=set)
    comments: set[CommentRow] = field(default_factory=set)


def _who(occasion: OccasionFacts) -> tuple[str, str, str]:
    # The key columns are never NULL, so that cells can be matched on them.
    return occasion.team, occasion.age_band, occasion.gender or ""


def _strand_keys(occasion: OccasionFacts) -> tuple[str, ...]:
    return (ALL, *sorted(set(occasion.strands)))


def _kinds(occasions: Iterable[OccasionFacts]) -> list[str]:
    kinds = sorted({o.kind for o in occasions})
    # Anonymous answers are never in "every kind": their writer may be counted there
    # already, under their own pseudonym.
    named = any(kind not in ANONYMOUS_KINDS for kind in kinds)
    return [ALL, *kinds] if named else kinds


def _domain_figures(series: Sequence[OccasionFacts]) -> dict[str, tuple[int, int, float]]:
    """Per domain: how many scores, their sum in millionths, and the latest score."""
    figures: dict[str, tuple[int, int, float]] = {}
    for occasion in series:  # in time order, so the last score kept is the latest
        for domain, score in occasion.scores.items():
            n, total, _ = figures.get(domain, (0, 0, 0.0))
            figures[domain] = (n + 1, total + to_millionths(score), score)
    return figures


def _score_cells(
    into: Contribution,
    period_type: str,
    period: str,
    series: Sequence[OccasionFacts],
    kind: str,
    first: OccasionFacts,
    quarter: Sequence[OccasionFacts],
) -> None:
    """``first``: the person's first occasion of the series in the quarter, whose facts
    place them; ``quarter``: their occasions of the series in the quarter."""
    who = _who(first)
    strands = _strand_keys(first)
    in_quarter = _domain_figures(quarter) if period_type == "month" else {}
    for domain, (n, total, latest_score) in _domain_figures(series).items():
        band = band_of(latest_score)
        quarter_band = SAME
        if period_type == "month" and in_quarter[domain][0] != n:
            quarter_band = band_of(in_quarter[domain][2])
        for strand in strands:
            key = (period_type, period, domain, kind, strand, *who, band, quarter_band)
            cell = into.scores.setdefault(key, [0, 0, 0])
            cell[0] += 1
            cell[1] += n
            cell[2] += total


def _changes(
    history: Sequence[OccasionFacts], in_period: Sequence[OccasionFacts]
) -> dict[str, int]:
    """Per domain, the change from the baseline to the latest occasion of the period.
    ``history``: the person's occasions of the series up to the end of the period."""
    if not in_period:
        return {}
    latest = in_period[-1]
    baseline = next((o for o in history if o.occasion_type == "baseline"), history[0])
    if baseline.id == latest.id:
        return {}  # nothing to compare yet
    return {
        domain: to_millionths(score) - to_millionths(baseline.scores[domain])
        for domain, score in latest.scores.items()
        if domain in baseline.scores
    }


def change_in_period(
    history: Sequence[OccasionFacts], in_period: Sequence[OccasionFacts]
) -> dict[str, int]:
    """Per domain, the change in millionths from the baseline to the latest occasion of a
    period (any run of months): the rule every period's distance travelled follows.
    ``history``: the person's occasions of the series up to the end of the period."""
    return _changes(history, in_period)


def contribution(
    occasions: Iterable[OccasionFacts], into: Contribution | None = None
) -> Contribution:
    """Everything one person's occasions (under one framework version) add to the
    summaries, added to ``into`` if given (a rebuild sums everybody in one)."""
    ordered = sorted(occasions, key=lambda o: (o.measured_at, o.id))
    out = Contribution() if into is None else into
    if not ordered:
        return out
    months = {o.id: period_label(o.measured_at, "month") for o in ordered}
    quarters = {o.id: period_label(o.measured_at, "quarter") for o in ordered}
    labels = {"month": months, "quarter": quarters}
    for kind in _kinds(ordered):
        series = [
            o for o in ordered if (o.kind not in ANONYMOUS_KINDS if kind == ALL else o.kind == kind)
        ]
        history_kinds = YOUNG_PERSON_KINDS if kind == ALL else (kind,)
        history = [o for o in ordered if o.kind in history_kinds]
        firsts: dict[str, OccasionFacts] = {}
        history_firsts: dict[str, OccasionFacts] = {}
        for occasion in series:
            firsts.setdefault(quarters[occasion.id], occasion)
        for occasion in history:
            history_firsts.setdefault(quarters[occasion.id], occasion)
        quarter_changes = {
            quarter: _changes(
                [o for o in history if quarters[o.id] <= quarter],
                [o for o in history if quarters[o.id] == quarter],
            )
            for quarter in history_firsts
        }
        for period_type in PERIODS:
            of = labels[period_type]
            by_period: dict[str, list[OccasionFacts]] = {}
            for occasion in series:
                by_period.setdefault(of[occasion.id], []).append(occasion)
            for period, in_period in by_period.items():
                quarter = quarters[in_period[0].id]
                in_quarter = [o for o in series if quarters[o.id] == quarter]
                _score_cells(out, period_type, period, in_period, kind, firsts[quarter], in_quarter)
            history_periods = {of[o.id] for o in history}
            for period in history_periods:
                quarter = quarters[next(o for o in history if of[o.id] == period).id]
                changes = _changes(
                    [o for o in history if of[o.id] <= period],
                    [o for o in history if of[o.id] == period],
                )
                first = history_firsts[quarter]
                for domain, change in changes.items():
                    quarter_change = SAME
                    if period_type == "month":
                        in_q = quarter_changes[quarter].get(domain)
                        if in_q is None:
                            quarter_change = NONE_IN_QUARTER
                        elif in_q != change:
                            quarter_change = str(in_q)
                    for strand in _strand_keys(first):
                        key = (
                            period_type,
                            period,
                            domain,
                            kind,
                            strand,
                            *_who(first),
                            change,
                            quarter_change,
                        )
                        out.changes[key] = out.changes.get(key, 0) + 1
    for month in sorted(set(months.values())):
        in_month = [o for o in ordered if months[o.id] == month]
        quarter = quarters[in_month[0].id]
        for kind in {o.kind for o in in_month}:
            of_kind = [o for o in in_month if o.kind == kind]
            first = next(o for o in ordered if o.kind == kind and quarters[o.id] == quarter)
            said = {WROTE} if any(o.wrote for o in of_kind) else set()
            said.update(theme for o in of_kind for theme in o.themes)
            for strand in _strand_keys(first):
                row = (month, kind, strand, *_who(first))
                out.months.add(row)
                out.comments.update((*row, *theme) for theme in said)
    return out
