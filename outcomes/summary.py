"""What one young person adds to the store's summary tables: pure functions, no database.

The dashboard reads small summary tables rather than every measurement, so that its cost
stays flat as the store grows (see `outcomes.store` for the tables and how they are kept
up to date on every write). This module says what a person's occasions contribute to
them; it never touches a session, so the same code serves the write path, a full rebuild
and the tests.

Each young person counts once in each period (month or quarter) they answered in, with
the facts of their latest occasion in that period: team, age band, gender and strands.
That is what makes the cells add up: within one period and domain a person sits in exactly
one cell of each table, so summing cells over teams, age bands or genders gives exact
counts of distinct people.

- Score cells: per period, domain, kind (``"*"`` for every kind but the anonymous ones,
  whose writers may be counted there already under their own pseudonyms) and strand
  (``"*"`` for every strand, or one of the person's strands): people, the number of
  scores, their sum, and the band of the person's latest score in the domain in the
  period.
- Change cells (distance travelled): per period, the change in each domain from the
  person's baseline (their earliest occasion of type ``baseline`` up to the end of the
  period, else their earliest) to their latest occasion in the period, as an exact
  integer in millionths of a point. The framework's reliable-change threshold is applied
  when the cells are read, so the stored cells do not depend on it. Kind ``"*"`` here is
  the young person's own kinds, so a parent's exit interview is never read as the young
  person's latest view.
- Person-months: which people answered in which month, for counts of distinct people over
  several months.
- Comment-months: which people wrote in which month, and the themes they wrote about
  with their sentiment, for the themes and their counts of distinct people. The theme
  ``""`` with sentiment ``""`` is "wrote anything".

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
    to_millionths(score) -> int
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

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
    measured_at: datetime
    kind: str
    occasion_type: str
    team: str
    age_band: str
    gender: str | None
    strands: tuple[str, ...]
    scores: Mapping[str, float]  # domain code -> score 0-100
    wrote: bool = False  # any free-text answer
    themes: tuple[tuple[str, str], ...] = ()  # (theme code, sentiment) of what was written


# (period_type, period, domain, kind, strand, team, age_band, gender, band)
ScoreKey = tuple[str, str, str, str, str, str, str, str, str]
# (period_type, period, domain, kind, strand, team, age_band, gender, change_millionths)
ChangeKey = tuple[str, str, str, str, str, str, str, str, int]
# (month, kind, strand, team, age_band, gender)
MonthRow = tuple[str, str, str, str, str, str]
# (month, kind, strand, team, age_band, gender, theme, sentiment)
CommentRow = tuple[str, str, str, str, str, str, str, str]
WROTE = ("", "")  # the theme and sentiment of the row that says "wrote anything"


@dataclass
class Contribution:
    """What one person adds: score cells as [people, scores, total millionths], change
    cells as people, and the person's month and comment-month rows."""

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


def _score_cells(
    into: Contribution, period_type: str, period: str, series: Sequence[OccasionFacts], kind: str
) -> None:
    latest = series[-1]
    who = _who(latest)
    strands = _strand_keys(latest)
    per_domain: dict[str, list] = {}
    for occasion in series:
        for domain, score in occasion.scores.items():
            entry = per_domain.setdefault(domain, [0, 0, 0.0])
            entry[0] += 1
            entry[1] += to_millionths(score)
            entry[2] = score  # the series is in time order, so the last one is the latest
    for domain, (n, total, latest_score) in per_domain.items():
        band = band_of(latest_score)
        for strand in strands:
            key = (period_type, period, domain, kind, strand, *who, band)
            cell = into.scores.setdefault(key, [0, 0, 0])
            cell[0] += 1
            cell[1] += n
            cell[2] += total


def _change_cells(
    into: Contribution,
    period_type: str,
    period: str,
    history: Sequence[OccasionFacts],
    labels: Mapping[int, str],
    kind: str,
) -> None:
    """``history``: the person's occasions of the series up to the end of the period."""
    in_period = [o for o in history if labels[o.id] == period]
    if not in_period:
        return
    latest = in_period[-1]
    baseline = next((o for o in history if o.occasion_type == "baseline"), history[0])
    if baseline.id == latest.id:
        return  # nothing to compare yet
    who = _who(latest)
    strands = _strand_keys(latest)
    for domain, score in latest.scores.items():
        before = baseline.scores.get(domain)
        if before is None:
            continue
        change = to_millionths(score) - to_millionths(before)
        for strand in strands:
            key = (period_type, period, domain, kind, strand, *who, change)
            into.changes[key] = into.changes.get(key, 0) + 1


def contribution(
    occasions: Iterable[OccasionFacts], into: Contribution | None = None
) -> Contribution:
    """Everything one person's occasions (under one framework version) add to the
    summaries, added to ``into`` if given (a rebuild sums everybody in one)."""
    ordered = sorted(occasions, key=lambda o: (o.measured_at, o.id))
    out = Contribution() if into is None else into
    if not ordered:
        return out
    for period_type in PERIODS:
        labels = {o.id: period_label(o.measured_at, period_type) for o in ordered}
        by_period: dict[str, list[OccasionFacts]] = {}
        for occasion in ordered:
            by_period.setdefault(labels[occasion.id], []).append(occasion)
        for period, in_period in by_period.items():
            for kind in _kinds(in_period):
                series = [
                    o
                    for o in in_period
                    if (o.kind not in ANONYMOUS_KINDS if kind == ALL else o.kind == kind)
                ]
                _score_cells(out, period_type, period, series, kind)
                series_kinds = YOUNG_PERSON_KINDS if kind == ALL else (kind,)
                history = [o for o in ordered if o.kind in series_kinds and labels[o.id] <= period]
                if history:
                    _change_cells(out, period_type, period, history, labels, kind)
            if period_type == "month":
                for kind in {o.kind for o in in_period}:
                    of_kind = [o for o in in_period if o.kind == kind]
                    said = {WROTE} if any(o.wrote for o in of_kind) else set()
                    said.update(theme for o in of_kind for theme in o.themes)
                    for strand in _strand_keys(of_kind[-1]):
                        row = (period, kind, strand, *_who(of_kind[-1]))
                        out.months.add(row)
                        out.comments.update((*row, *theme) for theme in said)
    return out
