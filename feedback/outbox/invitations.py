"""How a link reaches a young person or a parent or carer: read out from the case page,
or sent by text or email through the outbox, in the transaction that makes the link.

A number or address typed for one invitation is kept only in the outbox's address row,
which goes once the message is delivered; a parent or carer's kept details are used for
them. What is sent is short and could be read by anyone holding the phone: the service's
neutral name (YOUNG_PERSON_SERVICE_NAME), the link, the code and the day it runs out;
never what the service is about, an alert, or the case reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import phonenumbers
from flask_babel import force_locale, format_date, gettext
from sqlalchemy.orm import Session

from feedback.cases.models import FamilyContact
from feedback.cases.services import ContactError, uk_phone
from feedback.i18n import s_
from feedback.invitations.links import young_person_link, young_person_start
from feedback.invitations.services import InvitationError, IssuedInvitation
from feedback.outbox.models import OutboxMessage
from feedback.outbox.services import queue_to_address
from feedback.settings import services as settings
from feedback.staff.services import EMAIL

# How a practitioner gives a young person their link, in the words of the form.
HOW = {
    "show": "Show me the link and code to read out or copy",
    "sms": "Text it to their mobile",
    "email": "Email it to them",
}
MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


class DeliveryError(InvitationError):
    """A way of sending that cannot work: `field` is the form field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Delivery:
    channel: str  # "sms" or "email"
    address: str

    @property
    def in_words(self) -> str:
        return s_("a text message") if self.channel == "sms" else s_("an email")


def is_mobile(e164: str) -> bool:
    return phonenumbers.number_type(phonenumbers.parse(e164, "GB")) in MOBILE_TYPES


def uk_mobile(typed: str, field: str = "phone") -> str:
    """A UK mobile number in E.164, or DeliveryError saying what is wrong."""
    try:
        number = uk_phone(typed)
    except ContactError as error:
        raise DeliveryError(field, s_("Enter a UK mobile number, starting 07")) from error
    if not is_mobile(number):
        raise DeliveryError(
            field, s_("That is not a mobile number: a text needs one, like 07700 900123")
        )
    return number


def check_email(typed: str, field: str = "email") -> str:
    email = (typed or "").strip()
    if not email:
        raise DeliveryError(field, s_("Enter the email address to send the link to"))
    if len(email) > 254 or not EMAIL.match(email):
        raise DeliveryError(
            field, s_("Enter an email address in the right format, like name@example.com")
        )
    return email


def check_delivery(
    how: str, phone: str | None, email: str | None, channels: tuple[str, ...]
) -> Delivery | None:
    """What the practitioner chose, checked: None to show the link, else where to send
    it. Raises DeliveryError before anything is written."""
    if how == "show":
        return None
    if how not in HOW:
        raise DeliveryError("how", s_("Choose how to give them the link"))
    if how not in channels:
        raise DeliveryError(
            "how",
            s_("Text messages cannot be sent from here yet: show the link or email it")
            if how == "sms"
            else s_("Emails cannot be sent from here yet: show the link"),
        )
    if how == "sms":
        if not (phone or "").strip():
            raise DeliveryError("phone", s_("Enter the mobile number to text the link to"))
        return Delivery("sms", uk_mobile(phone or ""))
    return Delivery("email", check_email(email or ""))


def contact_delivery(contact: FamilyContact, channels: tuple[str, ...]) -> Delivery:
    """A parent or carer's link goes by text to their kept mobile, else by email."""
    if contact.phone and "sms" in channels and is_mobile(contact.phone):
        return Delivery("sms", contact.phone)
    if contact.email and "email" in channels:
        return Delivery("email", contact.email)
    who = {"name": contact.name, "relationship": contact.relationship}
    if contact.phone and "sms" in channels:
        problem = s_(
            "%(name)s (%(relationship)s) has no mobile number or email address kept: choose "
            "to show the links, or add their details first",
            **who,
        )
    elif contact.phone:
        problem = s_(
            "%(name)s (%(relationship)s) has no email address kept, and text messages cannot "
            "be sent from here yet: choose to show the links, or add their details first",
            **who,
        )
    else:
        problem = s_(
            "%(name)s (%(relationship)s) cannot be sent to: choose to show the links, or add "
            "their details first",
            **who,
        )
    raise DeliveryError("family_how", problem)


def invitation_message(issued: IssuedInvitation, config: Mapping) -> tuple[str, str]:
    """The subject and words of a link's message: the same for a young person and a
    parent, and safe for anyone else holding the phone to read. Written in the language
    the practitioner chose for the link, its day named in that language."""
    name = config["YOUNG_PERSON_SERVICE_NAME"]
    link, start = young_person_link(issued.token), young_person_start()
    with force_locale(issued.invitation.language):
        body = gettext(
            "%(name)s: here is your link %(link)s or go to %(start)s and type the code "
            "%(code)s. It works until %(expires)s.",
            name=name,
            link=link,
            start=start,
            code=issued.display_code,
            expires=format_date(issued.invitation.expires_at, "d MMMM y"),
        )
        subject = gettext("%(name)s: your link", name=name)
    return subject, body


def send_link(
    session: Session,
    issued: IssuedInvitation,
    delivery: Delivery,
    *,
    now: datetime,
    contact: FamilyContact | None = None,
    config=None,
) -> OutboxMessage:
    """Queue the link's message, in the caller's transaction (flushes, never commits)."""
    # The neutral name as an admin has set it (settings), else as configured; in the
    # link's language where an admin gave it in that language.
    values = settings.current(session, config)
    name = settings.young_words(session, "YOUNG_PERSON_SERVICE_NAME", issued.invitation.language)
    subject, body = invitation_message(issued, {**values, "YOUNG_PERSON_SERVICE_NAME": name})
    return queue_to_address(
        session,
        channel=delivery.channel,
        address=delivery.address,
        subject=subject,
        body=body,
        case_id=issued.invitation.case_id,
        now=now,
        invitation_id=issued.invitation.id,
        family_contact_id=contact.id if contact is not None else None,
    )
