"""Cases: opened by a practitioner, seen by the staff of the case's team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from blinker import Namespace
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.audit.services import record
from feedback.cases.models import CLOSURE_REASONS, Case, CaseReferral, CaseStrand
from feedback.staff import access
from feedback.staff.models import User
from outcomes.vocabulary import GENDERS, STRANDS

_signals = Namespace()
# Sent when a case has closed, in the same transaction, as
# receiver(case, session=, now=, by_id=): its live links stop working.
case_closed = _signals.signal("case-closed")
# Sent when a closed case reopens on a re-referral, in the same way: its exit link stops.
case_reopened = _signals.signal("case-reopened")


class CaseError(ValueError):
    """A step that cannot be taken: the message is fit to show the member of staff."""


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
        referrals=[CaseReferral(number=1, opened_at=now)],
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


def current_referral(case: Case) -> CaseReferral:
    """The case's latest referral; a case from before referrals were kept gets its
    first one, opened when the case was."""
    if not case.referrals:
        case.referrals.append(CaseReferral(number=1, opened_at=case.opened_at))
    return case.referrals[-1]


def close_case(
    session: Session,
    case: Case,
    *,
    reason: str,
    closed_on: date,
    by: User | None,
    now: datetime,
) -> CaseReferral:
    """Close an open case on `closed_on` for `reason` (a key of CLOSURE_REASONS): its
    live links stop working (`case_closed`), and goals are no longer rated. Audited.
    Raises CaseError, having changed nothing, for a closed case or a wrong reason or day."""
    if case.status != "open":
        raise CaseError("This case is already closed")
    if reason not in CLOSURE_REASONS:
        raise CaseError(f"Unknown reason for closing: {reason!r}")
    if closed_on > now.date():
        raise CaseError("The closure date must be today or in the past")
    referral = current_referral(case)
    if closed_on < referral.opened_at.date():
        raise CaseError(
            "The closure date must be on or after the day the case "
            f"{'reopened' if referral.number > 1 else 'opened'}, "
            f"{referral.opened_at:%-d %B %Y}"
        )
    referral.closed_on = closed_on
    referral.closure_reason = reason
    case.status = "closed"
    case.closed_at = datetime.combine(closed_on, time())
    session.flush()
    by_id = getattr(by, "id", None)
    case_closed.send(case, session=session, now=now, by_id=by_id)
    record(
        session,
        actor=by,
        action="case-closed",
        target=f"case {case.id}",
        detail={"reason": reason, "closed_on": closed_on.isoformat(), "referral": referral.number},
        at=now,
    )
    return referral


def reopen_case(session: Session, case: Case, *, by: User | None, now: datetime
                ) -> CaseReferral:
    """Reopen a closed case on a re-referral: a new referral, counted as a re-referral;
    its exit link stops working (`case_reopened`). Audited."""
    if case.status != "closed":
        raise CaseError("This case is already open")
    number = current_referral(case).number + 1
    referral = CaseReferral(number=number, opened_at=now)
    case.referrals.append(referral)
    case.status = "open"
    case.closed_at = None
    session.flush()
    by_id = getattr(by, "id", None)
    case_reopened.send(case, session=session, now=now, by_id=by_id)
    record(
        session,
        actor=by,
        action="case-reopened",
        target=f"case {case.id}",
        detail={"referral": number},
        at=now,
    )
    return referral


def re_referrals(session: Session, team_ids: list[int] | None = None) -> int:
    """How many times cases were referred again after closing (of some teams, or all)."""
    query = select(func.count(CaseReferral.id)).where(CaseReferral.number > 1)
    if team_ids is not None:
        query = query.join(Case, Case.id == CaseReferral.case_id).where(
            Case.team_id.in_(team_ids or [-1])
        )
    return session.scalar(query) or 0
