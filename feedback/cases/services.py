"""Cases: opened by a practitioner, seen by the staff of the case's team."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

import phonenumbers
from blinker import Namespace
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.audit.services import record
from feedback.cases.models import (
    CLOSURE_REASONS,
    Case,
    CaseReferral,
    CaseStrand,
    FamilyContact,
)
from feedback.i18n import s_
from feedback.staff import access
from feedback.staff.models import User
from feedback.staff.services import EMAIL
from outcomes.vocabulary import GENDERS, STRANDS

_signals = Namespace()
# Sent when a case has closed, in the same transaction, as
# receiver(case, session=, now=, by_id=): its live links stop working.
case_closed = _signals.signal("case-closed")
# Sent when a parent or carer contact is removed, in the same way, as
# receiver(contact, session=, now=, by_id=): a live link of theirs stops working.
family_contact_removed = _signals.signal("family-contact-removed")
# Sent when a closed case reopens on a re-referral, in the same way: its exit link stops.
case_reopened = _signals.signal("case-reopened")


class CaseError(ValueError):
    """A step that cannot be taken: the message is fit to show the member of staff.
    `field` names the form field at fault, where one is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


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
        raise CaseError(s_("There is already a case with that reference"), "reference")
    if details.team_id not in practitioner.team_ids:
        raise CaseError(s_("Choose one of your own teams"), "team")
    if any(t.id == details.team_id and t.retired_at is not None for t in practitioner.teams):
        raise CaseError(
            s_("That team has been retired and takes no new cases: choose another team"), "team"
        )
    unknown = set(details.strands) - set(STRANDS)
    if unknown:
        raise CaseError(
            s_("Unknown exploitation strand: %(codes)s", codes=", ".join(sorted(unknown)))
        )
    if details.gender is not None and details.gender not in GENDERS:
        raise CaseError(s_("Unknown gender option"))
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
        raise CaseError(s_("This case is already closed"))
    if reason not in CLOSURE_REASONS:
        raise CaseError(s_("Unknown reason for closing: %(reason)r", reason=reason))
    if closed_on > now.date():
        raise CaseError(s_("The closure date must be today or in the past"))
    referral = current_referral(case)
    if closed_on < referral.opened_at.date():
        day = f"{referral.opened_at:%-d %B %Y}"
        if referral.number > 1:
            raise CaseError(
                s_(
                    "The closure date must be on or after the day the case reopened, %(day)s",
                    day=day,
                )
            )
        raise CaseError(
            s_("The closure date must be on or after the day the case opened, %(day)s", day=day)
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


def reopen_case(session: Session, case: Case, *, by: User | None, now: datetime) -> CaseReferral:
    """Reopen a closed case on a re-referral: a new referral, counted as a re-referral;
    its exit link stops working (`case_reopened`). Audited."""
    if case.status != "closed":
        raise CaseError(s_("This case is already open"))
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


# --- parents and carers ------------------------------------------------------------------

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class ContactDetails:
    name: str
    relationship: str
    phone: str | None = None
    email: str | None = None
    language: str = "en"


class ContactError(CaseError):
    """Bad contact details: `field` is the one at fault ("name", "relationship",
    "phone", "email" or "language")."""

    def __init__(self, field: str, message: str):
        super().__init__(message, field)


def uk_phone(number: str) -> str:
    """A UK phone number in E.164 (+447700900123). Raises ContactError if it is not one."""
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        parsed = None
    if (
        parsed is None
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.region_code_for_number(parsed) not in ("GB", "GG", "JE", "IM")
    ):
        raise ContactError("phone", s_("Enter a UK phone number, like 020 7946 0018"))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def check_contact(details: ContactDetails) -> ContactDetails:
    """The details tidied, or ContactError for the first thing wrong with them."""
    name = (details.name or "").strip()
    relationship = (details.relationship or "").strip()
    phone = (details.phone or "").strip() or None
    email = (details.email or "").strip().lower() or None
    language = (details.language or "en").strip().lower()
    if not name or len(name) > 100:
        raise ContactError("name", s_("Enter their name, 100 characters or fewer"))
    if not relationship or len(relationship) > 60:
        raise ContactError(
            "relationship", s_("Enter how they are related to the young person, like Mum")
        )
    if phone is None and email is None:
        raise ContactError("phone", s_("Enter a phone number or an email address"))
    if phone is not None:
        phone = uk_phone(phone)
    if email is not None and (not EMAIL.match(email) or len(email) > 254):
        raise ContactError("email", s_("Enter an email address, like name@example.com"))
    if not LANGUAGE_CODE.match(language):
        raise ContactError("language", s_("Enter a language code, like en or pl"))
    return ContactDetails(name, relationship, phone, email, language)


def add_family_contact(
    session: Session, case: Case, details: ContactDetails, *, by: User | None, now: datetime
) -> FamilyContact:
    """Keep a parent or carer's contact details with the case. Audited (without them)."""
    details = check_contact(details)
    contact = FamilyContact(
        case_id=case.id,
        name=details.name,
        relationship=details.relationship,
        phone=details.phone,
        email=details.email,
        language=details.language,
        created_at=now,
    )
    case.family_contacts.append(contact)
    session.flush()
    record(
        session,
        actor=by,
        action="family-contact-added",
        target=f"case {case.id}",
        detail={"contact": contact.id},
        at=now,
    )
    return contact


def remove_family_contact(
    session: Session, contact: FamilyContact, *, by: User | None, now: datetime
) -> None:
    """Forget a parent or carer's details; a live link of theirs stops working. Audited."""
    case_id = contact.case_id
    family_contact_removed.send(contact, session=session, now=now, by_id=getattr(by, "id", None))
    session.delete(contact)
    session.flush()
    record(
        session,
        actor=by,
        action="family-contact-removed",
        target=f"case {case_id}",
        detail={"contact": contact.id},
        at=now,
    )


def parse_contact_option(text: str) -> ContactDetails:
    """ "NAME;RELATIONSHIP;PHONE-OR-EMAIL", as the command line takes a contact."""
    parts = [p.strip() for p in text.split(";")]
    if len(parts) != 3:
        raise ContactError("name", f"{text!r} is not NAME;RELATIONSHIP;PHONE-OR-EMAIL")
    name, relationship, reach = parts
    if "@" in reach:
        return ContactDetails(name, relationship, email=reach)
    return ContactDetails(name, relationship, phone=reach)
