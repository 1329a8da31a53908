"""Distance travelled: how a young person's domain scores moved from baseline to latest.

Definitions (one framework version at a time: scores under different versions are on
different rulers and are never compared):

- A young person's series is their occasions under the framework version, of the
  questionnaire kinds asked for (by default the young person's own, so that a parent's
  exit interview is never read as the young person's latest view) and within the date
  range if one is given.
- Baseline: the earliest occasion of type ``baseline`` in the series, else the earliest.
  Latest: the most recent occasion. Ties on time are broken by occasion id.
- Change: latest minus baseline, per domain. It is reliable when it is strictly more
  than the domain's ``reliable_change`` (the framework file gives the reasoning).
- ``no-baseline``: there is no pair to compare: only one occasion, the baseline is
  itself the latest (a late baseline), or the domain has no score on one of the two.

`distance_summary` counts young people (distinct pseudonyms) with at least two occasions
in their series. Team, age band, gender and strand describe the young person as they are
now, so those filters are applied to the latest occasion, not to every occasion; the date
range and kinds choose which occasions make up the series. The whole count runs in one
SQL statement (window functions, portable between SQLite and PostgreSQL), so its cost
does not grow with rows loaded into Python.

Public API::

    Status = Literal["improved", "no-reliable-change", "worse", "no-baseline"]
    classify_change(baseline, latest, threshold) -> Status

    @dataclass(frozen=True) class DomainChange:
        domain: str; baseline: float | None; latest: float | None
        change: float | None; status: Status; threshold: float

    distance_for_pseudonym(session, pseudonym, framework, *, kinds=YOUNG_PERSON_KINDS)
        -> list[DomainChange]
    distance_summary(session, framework, *, measured_from=None, measured_to=None,
                     teams=None, age_bands=None, genders=None, strands=None,
                     kinds=YOUNG_PERSON_KINDS) -> dict[str, Counter[Status]]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import (
    Float,
    String,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import CTE, ColumnElement

from outcomes.framework import KIND_SOURCES, Domain, Framework
from outcomes.store import DomainScore, Occasion, OccasionStrand

Status = Literal["improved", "no-reliable-change", "worse", "no-baseline"]
STATUSES: tuple[Status, ...] = ("improved", "no-reliable-change", "worse", "no-baseline")
YOUNG_PERSON_KINDS: tuple[str, ...] = tuple(
    kind for kind, source in KIND_SOURCES.items() if source == "young-person"
)

# Means of several scores carry float noise; without a tolerance a change of exactly the
# threshold could come out a hair above it and be counted as reliable.
_TOLERANCE = 1e-9


def classify_change(baseline: float | None, latest: float | None, threshold: float) -> Status:
    if baseline is None or latest is None:
        return "no-baseline"
    change = latest - baseline
    if change > threshold + _TOLERANCE:
        return "improved"
    if -change > threshold + _TOLERANCE:
        return "worse"
    return "no-reliable-change"


@dataclass(frozen=True)
class DomainChange:
    domain: str
    baseline: float | None
    latest: float | None
    change: float | None
    status: Status
    threshold: float


def domain_change(domain: Domain, baseline: float | None, latest: float | None) -> DomainChange:
    """A domain's change from baseline to latest, judged against its reliable change."""
    return DomainChange(
        domain=domain.code,
        baseline=baseline,
        latest=latest,
        change=None if baseline is None or latest is None else latest - baseline,
        status=classify_change(baseline, latest, domain.reliable_change),
        threshold=domain.reliable_change,
    )


def _as_tuple(values: str | Collection[str] | None) -> tuple[str, ...] | None:
    # A bare string is a Collection too; taken as one value, not as its letters.
    if values is None:
        return None
    return (values,) if isinstance(values, str) else tuple(values)


def _series(
    framework: Framework,
    *,
    kinds: str | Collection[str] | None,
    measured_from: datetime | None = None,
    measured_to: datetime | None = None,
    pseudonym: str | None = None,
) -> CTE:
    """Each occasion in a series, ranked from the baseline end and from the latest end."""
    is_baseline_type = case((Occasion.occasion_type == "baseline", 0), else_=1)
    conditions: list[ColumnElement[bool]] = [
        Occasion.framework_code == framework.code,
        Occasion.framework_version == framework.version,
    ]
    kinds = _as_tuple(kinds)
    if kinds is not None:
        conditions.append(Occasion.questionnaire_kind.in_(kinds))
    if measured_from is not None:
        conditions.append(Occasion.measured_at >= measured_from)
    if measured_to is not None:
        conditions.append(Occasion.measured_at < measured_to)
    if pseudonym is not None:
        conditions.append(Occasion.pseudonym == pseudonym)
    by_person = Occasion.pseudonym
    return (
        select(
            Occasion.id,
            Occasion.pseudonym,
            Occasion.team,
            Occasion.age_band,
            Occasion.gender,
            func.row_number()
            .over(
                partition_by=by_person,
                order_by=(is_baseline_type, Occasion.measured_at, Occasion.id),
            )
            .label("from_baseline"),
            func.row_number()
            .over(
                partition_by=by_person,
                order_by=(Occasion.measured_at.desc(), Occasion.id.desc()),
            )
            .label("from_latest"),
            func.count().over(partition_by=by_person).label("occasions"),
        )
        .where(*conditions)
        .cte("series")
    )


def distance_for_pseudonym(
    session: Session,
    pseudonym: str,
    framework: Framework,
    *,
    kinds: str | Collection[str] | None = YOUNG_PERSON_KINDS,
) -> list[DomainChange]:
    """One young person's change per domain of the framework, in the framework's order.

    Empty when they have no occasion under the framework. With one occasion, its scores
    are the baseline and every status is ``no-baseline``."""
    series = _series(framework, kinds=kinds, pseudonym=pseudonym)
    ends = session.execute(
        select(series.c.id, series.c.from_baseline, series.c.from_latest).where(
            or_(series.c.from_baseline == 1, series.c.from_latest == 1)
        )
    ).all()
    if not ends:
        return []
    baseline_id = next(row.id for row in ends if row.from_baseline == 1)
    latest_id = next(row.id for row in ends if row.from_latest == 1)
    scores = {
        (row.occasion_id, row.domain): row.score
        for row in session.execute(
            select(DomainScore.occasion_id, DomainScore.domain, DomainScore.score).where(
                DomainScore.occasion_id.in_({baseline_id, latest_id})
            )
        )
    }
    changes = []
    for domain in framework.domains:
        baseline = scores.get((baseline_id, domain.code))
        latest = None if latest_id == baseline_id else scores.get((latest_id, domain.code))
        changes.append(domain_change(domain, baseline, latest))
    return changes


def distance_summary(
    session: Session,
    framework: Framework,
    *,
    measured_from: datetime | None = None,
    measured_to: datetime | None = None,
    teams: str | Collection[str] | None = None,
    age_bands: str | Collection[str] | None = None,
    genders: str | Collection[str] | None = None,
    strands: str | Collection[str] | None = None,
    kinds: str | Collection[str] | None = YOUNG_PERSON_KINDS,
) -> dict[str, Counter[Status]]:
    """How many young people improved, did not change reliably, got worse, or had no
    pair of scores to compare, per domain (every domain of the framework is a key).

    ``measured_from`` is inclusive and ``measured_to`` exclusive, so months tile. A
    filter left as None does not filter; a collection matches any of its values. Counts
    here are unprotected: pass them through `outcomes.disclosure` before showing them."""
    series = _series(framework, kinds=kinds, measured_from=measured_from, measured_to=measured_to)

    # One pass over the series, grouped by person, finds each person's two ends. (A
    # join of the series to itself on pseudonym took SQLite minutes at a million rows.)
    def at_latest(column):
        return func.max(case((series.c.from_latest == 1, column)))

    ends = (
        select(
            func.max(case((series.c.from_baseline == 1, series.c.id))).label("baseline_id"),
            at_latest(series.c.id).label("latest_id"),
            at_latest(series.c.team).label("team"),
            at_latest(series.c.age_band).label("age_band"),
            at_latest(series.c.gender).label("gender"),
        )
        .group_by(series.c.pseudonym)
        .having(func.count() >= 2)
        .subquery("ends")
    )

    conditions: list[ColumnElement[bool]] = []
    for column, values in (
        (ends.c.team, teams),
        (ends.c.age_band, age_bands),
        (ends.c.gender, genders),
    ):
        values = _as_tuple(values)
        if values is not None:
            conditions.append(column.in_(values))
    strand_values = _as_tuple(strands)
    if strand_values is not None:
        conditions.append(
            exists().where(
                OccasionStrand.occasion_id == ends.c.latest_id,
                OccasionStrand.strand.in_(strand_values),
            )
        )
    pairs = select(ends.c.baseline_id, ends.c.latest_id).where(*conditions).subquery("pairs")

    # The domains and their thresholds as a small inline table, so that one statement
    # classifies every domain.
    domains = union_all(
        *(
            select(
                literal(d.code, String).label("domain"),
                literal(d.reliable_change + _TOLERANCE, Float).label("threshold"),
            )
            for d in framework.domains
        )
    ).subquery("domains")

    at_baseline = aliased(DomainScore, name="at_baseline")
    at_latest = aliased(DomainScore, name="at_latest")
    status = case(
        (
            or_(
                at_baseline.score.is_(None),
                at_latest.score.is_(None),
                pairs.c.baseline_id == pairs.c.latest_id,
            ),
            literal("no-baseline", String),
        ),
        (at_latest.score - at_baseline.score > domains.c.threshold, literal("improved", String)),
        (at_baseline.score - at_latest.score > domains.c.threshold, literal("worse", String)),
        else_=literal("no-reliable-change", String),
    )
    classified = (
        select(domains.c.domain, status.label("status"))
        .select_from(pairs)
        .join(domains, true())
        .outerjoin(
            at_baseline,
            and_(
                at_baseline.occasion_id == pairs.c.baseline_id,
                at_baseline.domain == domains.c.domain,
            ),
        )
        .outerjoin(
            at_latest,
            and_(
                at_latest.occasion_id == pairs.c.latest_id,
                at_latest.domain == domains.c.domain,
            ),
        )
        .subquery("classified")
    )
    # Grouping on the outer query's columns, not on the CASE itself: PostgreSQL does not
    # see two CASE expressions with separately bound parameters as the same expression.
    counts = session.execute(
        select(classified.c.domain, classified.c.status, func.count()).group_by(
            classified.c.domain, classified.c.status
        )
    )
    summary: dict[str, Counter[Status]] = {d.code: Counter() for d in framework.domains}
    for domain, status_value, n in counts:
        summary[domain][status_value] = n
    return summary
