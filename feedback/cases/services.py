"""Cases: opened by a practitioner, seen by the staff of the case's team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases.models import Case, CaseStrand
from feedback.staff import access
from feedback.staff.models import User
from outcomes.vocabulary import GENDERS, STRANDS


class CaseError(ValueError):
    pass


@dataclass(frozen=True)
class CaseDetails:
    reference: str
    label: str
    date_of_birth: date
    team_id: int
    strands: tuple[str, ...]
    gender: str | None = None


def normalise_reference(reference: str) -> str:
    return reference.strip().upper()


def open_case(session: Session, details: CaseDetails, practitioner: User, now: datetime) -> Case:
    reference = normalise_reference(details.reference)
    if session.scalar(select(Case.id).where(Case.reference == reference)):
        raise CaseError("There is already a case with that reference")
    if details.team_id not in practitioner.team_ids:
        raise CaseError("Choose one of your own teams")
    unknown = set(details.strands) - set(STRANDS)
    if unknown:
        raise CaseError(f"Unknown exploitation strand: {', '.join(sorted(unknown))}")
    if details.gender is not None and details.gender not in GENDERS:
        raise CaseError("Unknown gender option")
    case = Case(
        reference=reference,
        label=details.label.strip(),
        date_of_birth=details.date_of_birth,
        gender=details.gender,
        team_id=details.team_id,
        practitioner_id=practitioner.id,
        status="open",
        opened_at=now,
        strand_rows=[CaseStrand(strand=s) for s in sorted(set(details.strands))],
    )
    session.add(case)
    session.flush()
    return case


def visible_cases(session: Session, user: User) -> list[Case]:
    if not access.may_read_cases(user):
        return []
    query = (
        select(Case)
        .where(access.team_condition(user, Case.team_id))
        .order_by(Case.status.desc(), Case.opened_at.desc(), Case.id.desc())
    )
    return list(session.scalars(query))


def get_visible_case(session: Session, user: User, case_id: int) -> Case | None:
    case = session.get(Case, case_id)
    return case if case is not None and access.may_see_case(user, case) else None


def find_case(session: Session, reference: str) -> Case | None:
    return session.scalar(select(Case).where(Case.reference == normalise_reference(reference)))


def close_case(case: Case, now: datetime) -> None:
    case.status = "closed"
    case.closed_at = now
