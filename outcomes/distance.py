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

For one young person (the case page's journey) `distance_for_pseudonym` reads the series
directly. For many (the dashboard), the same definitions are applied per period when
occasions are written, by `outcomes.summary`, and the reliable change is applied as the
summary cells are read; both judge a change with `classify_change`.

Public API::

    Status = Literal["improved", "no-reliable-change", "worse", "no-baseline"]
    classify_change(baseline, latest, threshold) -> Status

    @dataclass(frozen=True) class DomainChange:
        domain: str; baseline: float | None; latest: float | None
        change: float | None; status: Status; threshold: float

    distance_for_pseudonym(session, pseudonym, framework, *, kinds=YOUNG_PERSON_KINDS,
                           measured_to=None) -> list[DomainChange]
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import (
    case,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import CTE, ColumnElement

from outcomes.framework import Domain, Framework
from outcomes.store import DomainScore, Occasion
from outcomes.summary import YOUNG_PERSON_KINDS

Status = Literal["improved", "no-reliable-change", "worse", "no-baseline"]
STATUSES: tuple[Status, ...] = ("improved", "no-reliable-change", "worse", "no-baseline")

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
    measured_to: datetime | None = None,
) -> list[DomainChange]:
    """One young person's change per domain of the framework, in the framework's order,
    as it stood before ``measured_to`` if given.

    Empty when they have no occasion under the framework. With one occasion, its scores
    are the baseline and every status is ``no-baseline``."""
    series = _series(framework, kinds=kinds, pseudonym=pseudonym, measured_to=measured_to)
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
