"""Invitations: a link with an unguessable token, and a short code for typing.

Only keyed hashes are stored. The code alphabet leaves out characters that look alike
(0/O, 1/I/L), so a code read aloud or copied from a text message is typed right.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from blinker import Namespace
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from feedback.cases.models import Case, FamilyContact
from feedback.i18n import DEFAULT, is_language, s_
from feedback.invitations.models import Invitation
from outcomes.questionnaires import get_questionnaire

_signals = Namespace()
# Sent when a new link has been issued, in the same transaction, as
# receiver(invitation, session=, now=): a draft on the link it replaced carries over.
link_issued = _signals.signal("link-issued")

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
TOKEN_BYTES = 24  # 192 bits
LOOK_ALIKES = set("01OIL")


# The exit interviews a closing case offers: the young person's, and one link for each
# parent or carer (a questionnaire answered by a family is always for one contact).
EXIT_YOUNG_PERSON = "exit-young-person"
EXIT_FAMILY = "exit-family"


class InvitationState(Enum):
    LIVE = "live"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    WITHDRAWN = "withdrawn"


class InvitationError(ValueError):
    """A step that cannot be taken: the message is fit to show the member of staff."""


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str
    code: str

    @property
    def display_code(self) -> str:
        return format_code(self.code)


class CodeFormatError(ValueError):
    pass


def keep_the_day(moment: datetime) -> datetime:
    """A time about an anonymous questionnaire, to the day only: its invitation's and its
    responses' times must not line up with each other, nor with the exact time that an
    alert from its answers keeps."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def is_anonymous(code: str, version: int) -> bool:
    return get_questionnaire(code, version).anonymous


def _digest(secret: str, kind: str, value: str) -> str:
    return hmac.new(f"{kind}:{secret}".encode(), value.encode(), hashlib.sha256).hexdigest()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def normalise_code(typed: str) -> str:
    """What a person typed, as a code: spaces and dashes dropped, capitals. Raises
    CodeFormatError with a message fit to show them."""
    code = re.sub(r"[\s\-]", "", typed or "").upper()
    if not code:
        raise CodeFormatError(gettext("Enter your code"))
    if LOOK_ALIKES & set(code):
        raise CodeFormatError(
            gettext("Codes do not use the letters O, I or L or the numbers 0 or 1. Check your code")
        )
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise CodeFormatError(gettext("Your code is 8 letters and numbers, like ABCD-2345"))
    return code


def issue_invitation(
    session: Session,
    case: Case,
    *,
    secret: str,
    questionnaire_code: str,
    questionnaire_version: int,
    created_by_id: int | None,
    now: datetime,
    days: int,
    contact: FamilyContact | None = None,
    language: str = DEFAULT,
    easy_read: bool = False,
) -> IssuedInvitation:
    if not is_language(language):
        raise InvitationError(s_("Choose a language from the list"))
    for _ in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        code_hash = _digest(secret, "code", code)
        if session.scalar(select(Invitation.id).where(Invitation.code_hash == code_hash)) is None:
            break
    else:  # pragma: no cover - 10 collisions in a space of 8.5e11 codes
        raise RuntimeError("could not find a free invitation code")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires = now + timedelta(days=days)
    if is_anonymous(questionnaire_code, questionnaire_version):
        # Made on a day, working to the end of the last of its days: never less time.
        now, expires = keep_the_day(now), keep_the_day(now) + timedelta(days=days + 1)
    contact_id = contact.id if contact is not None else None
    replaced = current_invitations(session, case.id, questionnaire_code, contact_id)
    for old in replaced:
        withdraw(session, old, now, by_id=created_by_id)
    invitation = Invitation(
        case_id=case.id,
        questionnaire_code=questionnaire_code,
        questionnaire_version=questionnaire_version,
        family_contact_id=contact_id,
        token_hash=_digest(secret, "token", token),
        code_hash=code_hash,
        created_by_id=created_by_id,
        created_at=now,
        expires_at=expires,
        language=language,
        easy_read=easy_read,
    )
    session.add(invitation)
    session.flush()
    link_issued.send(invitation, session=session, now=now)
    return IssuedInvitation(invitation, token, code)


def current_invitations(
    session: Session, case_id: int, questionnaire_code: str, contact_id: int | None = None
) -> list[Invitation]:
    """Invitations neither used nor withdrawn (live, or run out): at most one (for the
    young person, or for one parent or carer)."""
    for_whom = (
        Invitation.family_contact_id.is_(None)
        if contact_id is None
        else Invitation.family_contact_id == contact_id
    )
    return list(
        session.scalars(
            select(Invitation).where(
                Invitation.case_id == case_id,
                Invitation.questionnaire_code == questionnaire_code,
                for_whom,
                Invitation.used_at.is_(None),
                Invitation.withdrawn_at.is_(None),
            )
        )
    )


def withdraw(
    session: Session, invitation: Invitation, now: datetime, *, by_id: int | None = None
) -> None:
    """The link and code stop working at once; anything saved with them is kept."""
    if invitation.used_at is not None:
        raise InvitationError(s_("This check-in has already been answered"))
    if invitation.withdrawn_at is not None:
        raise InvitationError(s_("This link has already been withdrawn"))
    invitation.withdrawn_at = now
    invitation.withdrawn_by_id = by_id
    # Before the new invitation is inserted: the unique index allows one current link.
    session.flush()


def withdraw_current_links(
    session: Session, case: Case, now: datetime, *, by_id: int | None = None
) -> list[Invitation]:
    """Every link of the case that is neither used nor withdrawn stops working: when the
    case closes (its check-ins) or reopens (its exit interview)."""
    current = list(
        session.scalars(
            select(Invitation).where(
                Invitation.case_id == case.id,
                Invitation.used_at.is_(None),
                Invitation.withdrawn_at.is_(None),
            )
        )
    )
    for invitation in current:
        withdraw(session, invitation, now, by_id=by_id)
    return current


def withdraw_links_of(
    case: Case, *, session: Session, now: datetime, by_id: int | None = None, **_
) -> list[Invitation]:
    """Receiver of the cases' `case_closed` and `case_reopened` signals."""
    return withdraw_current_links(session, case, now, by_id=by_id)


def withdraw_links_for_contact(
    contact: FamilyContact, *, session: Session, now: datetime, by_id: int | None = None, **_
) -> list[Invitation]:
    """Receiver of the cases' `family_contact_removed` signal: their live link stops."""
    current = list(
        session.scalars(
            select(Invitation).where(
                Invitation.family_contact_id == contact.id,
                Invitation.used_at.is_(None),
                Invitation.withdrawn_at.is_(None),
            )
        )
    )
    for invitation in current:
        withdraw(session, invitation, now, by_id=by_id)
    return current


# A link's state depends on its case (`works_on_case`): the case comes in the same query.
_WITH_CASE = (joinedload(Invitation.case),)


def find_by_token(session: Session, secret: str, token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return session.scalar(
        select(Invitation)
        .where(Invitation.token_hash == _digest(secret, "token", token))
        .options(*_WITH_CASE)
    )


def find_by_code(session: Session, secret: str, code: str) -> Invitation | None:
    return session.scalar(
        select(Invitation)
        .where(Invitation.code_hash == _digest(secret, "code", code))
        .options(*_WITH_CASE)
    )


def find_by_id(session: Session, invitation_id: int | None) -> Invitation | None:
    """The invitation a young person's session holds, with its case (for `state_of`)."""
    if not invitation_id:
        return None
    return session.get(Invitation, invitation_id, options=_WITH_CASE)


def state_of(invitation: Invitation | None, now: datetime) -> InvitationState:
    if invitation is None:
        return InvitationState.UNKNOWN
    if invitation.used_at is not None:
        return InvitationState.USED
    if invitation.withdrawn_at is not None:
        return InvitationState.WITHDRAWN
    if invitation.expires_at <= now or not works_on_case(invitation):
        return InvitationState.EXPIRED
    return InvitationState.LIVE


def works_on_case(invitation: Invitation) -> bool:
    """An exit interview's link works once the case has closed; every other link only
    while it is open."""
    is_exit = get_questionnaire(
        invitation.questionnaire_code, invitation.questionnaire_version
    ).is_exit
    return (invitation.case.status == "closed") == is_exit


def invitations_for_case(session: Session, case_id: int) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.case_id == case_id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def invite(
    session: Session,
    case: Case,
    questionnaire,
    *,
    config,
    created_by_id: int | None,
    now: datetime,
    contact: FamilyContact | None = None,
    language: str = DEFAULT,
    easy_read: bool = False,
) -> IssuedInvitation:
    """An invitation to `questionnaire` on the app's settings (secret, days it works);
    a family exit interview's is for one of the case's parent or carer `contact`s. Its
    pages and message are in `language`, easy read or not, as the practitioner chose."""
    if (questionnaire.answered_by == "family") != (contact is not None):
        raise InvitationError(
            s_("Choose which parent or carer to invite")
            if contact is None
            else s_("Only a family exit interview is for a parent or carer")
        )
    if contact is not None and contact.case_id != case.id:
        raise InvitationError(s_("That parent or carer is not a contact of this case"))
    if questionnaire.is_exit != (case.status == "closed"):
        raise InvitationError(
            s_("An exit interview is for a closed case")
            if questionnaire.is_exit
            else s_("That case is closed")
        )
    return issue_invitation(
        session,
        case,
        secret=config["SECRET_KEY"],
        questionnaire_code=questionnaire.code,
        questionnaire_version=questionnaire.version,
        created_by_id=created_by_id,
        now=now,
        # An exit interview's link has longer: a family may take weeks after the work ends.
        days=config["EXIT_LINK_DAYS"] if questionnaire.is_exit else config["INVITATION_DAYS"],
        contact=contact,
        language=language,
        easy_read=easy_read,
    )


@dataclass(frozen=True)
class Reading:
    """How a link's pages and message read: the language, and easy read or not."""

    language: str = DEFAULT
    easy_read: bool = False


@dataclass(frozen=True)
class FamilyReading(Reading):
    # Each parent or carer's own kept language, where it is one the pages are in.
    own_language: bool = True

    def language_for(self, contact: FamilyContact) -> str:
        if self.own_language and is_language(contact.language):
            return contact.language
        return self.language


@dataclass(frozen=True)
class ExitLinks:
    young_person: IssuedInvitation | None
    family: list[tuple[FamilyContact, IssuedInvitation]]


def invite_to_exit(
    session: Session,
    case: Case,
    *,
    young_person: bool,
    contacts: list[FamilyContact],
    config,
    created_by_id: int | None,
    now: datetime,
    reading: Reading = Reading(),
    family_reading: FamilyReading = FamilyReading(),
) -> ExitLinks:
    """The exit interview links of a case just closed: the young person's if asked, and
    one for each of `contacts`, each read as the practitioner chose."""
    issued = (
        invite(
            session,
            case,
            get_questionnaire(EXIT_YOUNG_PERSON),
            config=config,
            created_by_id=created_by_id,
            now=now,
            language=reading.language,
            easy_read=reading.easy_read,
        )
        if young_person
        else None
    )
    family = [
        (
            contact,
            invite(
                session,
                case,
                get_questionnaire(EXIT_FAMILY),
                config=config,
                created_by_id=created_by_id,
                now=now,
                contact=contact,
                language=family_reading.language_for(contact),
                easy_read=family_reading.easy_read,
            ),
        )
        for contact in contacts
    ]
    return ExitLinks(issued, family)
