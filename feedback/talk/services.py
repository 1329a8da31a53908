"""Requests to speak to a manager, from asking to an answer, and "you said, we did".

Services flush and never commit: the request or command commits once. Every step is
audited; no audit row or outbox message holds what the young person wrote or their
phone number.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from flask_babel import force_locale, format_number, gettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from feedback.alerts import services as alerts
from feedback.alerts.models import OutboxMessage
from feedback.audit.services import record
from feedback.cases.services import ContactError, uk_phone
from feedback.config import YOUNG_PERSON_UNSAID
from feedback.i18n import DEFAULT, s_, sn_
from feedback.invitations.models import Invitation
from feedback.invitations.services import InvitationState, keep_the_day, state_of
from feedback.safeguarding.detector import scan
from feedback.staff import access
from feedback.staff.models import Team, User
from feedback.talk.models import (
    ABOUT,
    BY_PHONE,
    CONTACT,
    GOOD_TIME,
    STATES,
    TalkRequest,
    YouSaidWeDid,
)
from feedback.talk.workdays import add_working_days
from outcomes.questionnaires import get_questionnaire
from outcomes.text import redact

# A link or code used, or run out, this long ago still lets its holder ask to talk.
RECENT_DAYS = 90
DEFAULT_CONTACT_WITHIN_WORKING_DAYS = 1
MESSAGE_MAX = 2000
TRUSTED_MAX = 200
NOTE_MAX = 1000
HANDLING_MAX = 5000
# The steps of asking, one question a page, in order.
STEPS = ("about", "contact", "time", "message")
REMOVED = "[removed after retention period]"


class TalkError(ValueError):
    """A step that cannot be taken: the message is fit to show the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _config(name: str, default):
    return current_app.config.get(name, default) if has_app_context() else default


def contact_within_working_days() -> int:
    return int(_config("TALK_CONTACT_WITHIN_WORKING_DAYS", DEFAULT_CONTACT_WITHIN_WORKING_DAYS))


def due_by(asked_at: datetime, *, day_only: bool = False, days: int | None = None) -> datetime:
    """When first contact is due for a request asked at `asked_at` (the service standard)."""
    days = contact_within_working_days() if days is None else days
    return add_working_days(asked_at, days, day_only=day_only)


# --------------------------------------------------------------------------
# Asking


def may_ask_with(invitation: Invitation | None, now: datetime) -> InvitationState:
    """LIVE if this link or code lets its holder ask to talk: live, or used or run out
    within the last RECENT_DAYS days. Otherwise why not (a withdrawn link stays refused:
    it may have gone to the wrong person)."""
    state = state_of(invitation, now)
    if state in (InvitationState.UNKNOWN, InvitationState.WITHDRAWN, InvitationState.LIVE):
        return state
    assert invitation is not None
    # Used: since it was used. Run out: since its time ended (or, for a case that closed
    # under a check-in link, now).
    since = invitation.used_at or min(invitation.expires_at, now)
    return InvitationState.LIVE if since >= now - timedelta(days=RECENT_DAYS) else state


def is_anonymous_link(invitation: Invitation) -> bool:
    return get_questionnaire(
        invitation.questionnaire_code, invitation.questionnaire_version
    ).anonymous


def clean_step(step: str, data: dict[str, Any], *, anonymous_link: bool = False) -> dict:
    """One page's answers, tidied, or TalkError naming the field at fault."""
    if step == "about":
        about = data.get("about")
        if about not in ABOUT:
            raise TalkError(gettext("Choose what you want to talk about"), "about")
        return {"about": about}
    if step == "contact":
        contact = data.get("contact")
        if contact not in CONTACT or (contact == "worker" and anonymous_link):
            raise TalkError(gettext("Choose how we can get in touch with you"), "contact")
        found: dict[str, Any] = {"contact": contact, "phone": None, "trusted_person": None}
        if contact in BY_PHONE:
            field = "phone"
            typed = (data.get(field) or "").strip()
            try:
                found["phone"] = uk_phone(typed)
            except ContactError as error:
                raise TalkError(
                    gettext("Enter a UK phone number, like 07911 123456")
                    if typed
                    else gettext("Enter the phone number we can use"),
                    field,
                ) from error
        if contact == "trusted":
            trusted = (data.get("trusted_person") or "").strip()
            if not trusted:
                raise TalkError(
                    gettext("Tell us who we should go through, and how to reach them"),
                    "trusted_person",
                )
            if len(trusted) > TRUSTED_MAX:
                raise TalkError(
                    gettext(
                        "This must be %(most)s characters or fewer. It has %(count)s",
                        most=format_number(TRUSTED_MAX),
                        count=format_number(len(trusted)),
                    ),
                    "trusted_person",
                )
            found["trusted_person"] = trusted
        return found
    if step == "time":
        good_time = data.get("good_time")
        if good_time not in GOOD_TIME:
            raise TalkError(gettext("Choose a good time to get in touch"), "good_time")
        return {"good_time": good_time}
    if step == "message":
        message = (data.get("message") or "").strip()
        if len(message) > MESSAGE_MAX:
            raise TalkError(
                gettext(
                    "Your message must be %(most)s characters or fewer. "
                    "It has %(count)s. Your words are still in the box",
                    most=format_number(MESSAGE_MAX),
                    count=format_number(len(message)),
                ),
                "message",
            )
        return {"message": message or None}
    raise TalkError(gettext("There is no such step"))


def steps_for(answers: dict) -> list[str]:
    """The pages this request asks: no good time to ask for if nobody is to get in touch."""
    return [s for s in STEPS if not (s == "time" and answers.get("contact") == "none")]


# The answer each page gives, by the name it is kept under.
STEP_KEY = {"about": "about", "contact": "contact", "time": "good_time", "message": "message"}


def first_missing(answers: dict) -> str | None:
    return next((s for s in steps_for(answers) if STEP_KEY[s] not in answers), None)


def _anonymous_key(session: Session) -> int:
    """A key below zero drawn at random, like an anonymous response's: neither its value
    nor its order follows the named requests."""
    while True:
        key = -(secrets.randbelow(2**31 - 1) + 1)
        if session.get(TalkRequest, key) is None:
            return key


@dataclass(frozen=True)
class Asked:
    request: TalkRequest
    worrying: bool
    level: str | None


def make_request(
    session: Session,
    invitation: Invitation,
    answers: dict,
    now: datetime,
    *,
    base_url: str | None = None,
) -> Asked:
    """Keep a request from the holder of `invitation`, with every page's answers checked
    again. "Just passing it on", or asking from anonymous feedback, keeps the team only
    and the day. A worrying message raises a safeguarding alert."""
    if may_ask_with(invitation, now) is not InvitationState.LIVE:
        raise TalkError(gettext("This link can no longer be used to ask"))
    anonymous_link = is_anonymous_link(invitation)
    cleaned: dict[str, Any] = {}
    for step in steps_for(answers):
        cleaned.update(clean_step(step, answers, anonymous_link=anonymous_link))
    anonymous = anonymous_link or cleaned["contact"] == "none"
    asked_at = keep_the_day(now) if anonymous else now
    talk = TalkRequest(
        id=_anonymous_key(session) if anonymous else None,
        team_id=invitation.case.team_id,
        case_id=None if anonymous else invitation.case_id,
        anonymous=anonymous,
        asked_by="family" if invitation.family_contact_id else "young-person",
        about=cleaned["about"],
        contact=cleaned["contact"],
        phone=cleaned.get("phone"),
        trusted_person=cleaned.get("trusted_person"),
        good_time=cleaned.get("good_time"),
        message=cleaned.get("message"),
        state="new",
        created_at=asked_at,
        due_at=due_by(asked_at, day_only=anonymous),
    )
    session.add(talk)
    session.flush()
    scanned = scan(talk.message) if talk.message else None
    if scanned is not None and scanned.flag:
        alert = alerts.raise_for_words(
            session,
            scanned,
            now,
            team_id=talk.team_id,
            anonymous=anonymous,
            source="talk-request",
            base_url=base_url,
        )
        talk.alert_id = alert.id if alert else None
        session.flush()
    # The audit keeps neither the words nor the number, and of an anonymous request the day.
    record(
        session,
        actor=None,
        action="talk-requested",
        target=f"talk request {talk.id}",
        detail={"about": talk.about, "contact": talk.contact, "alert": talk.alert_id},
        at=asked_at,
    )
    return Asked(
        talk, talk.alert_id is not None, scanned.level if scanned and scanned.flag else None
    )


# --------------------------------------------------------------------------
# Answering


def visible_requests(session: Session, user: User, state: str | None = None) -> list[TalkRequest]:
    query = (
        select(TalkRequest)
        .where(access.talk_condition(user, TalkRequest))
        .order_by(TalkRequest.due_at, TalkRequest.created_at)
    )
    if state in STATES:
        query = query.where(TalkRequest.state == state)
    return list(session.scalars(query))


def get_visible_request(session: Session, user: User, request_id: int) -> TalkRequest | None:
    talk = session.get(TalkRequest, request_id)
    return talk if talk is not None and access.may_see_talk_request(user, talk) else None


def is_overdue(talk: TalkRequest, now: datetime) -> bool:
    return talk.state == "new" and talk.due_at <= now


def record_view(session: Session, user: User, talk: TalkRequest, now: datetime) -> None:
    record(session, actor=user, action="talk-viewed", target=f"talk request {talk.id}", at=now)


def _note(text: str | None, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise TalkError(missing, "note")
    if len(text) > HANDLING_MAX:
        raise TalkError(
            s_("The note must be %(most)s characters or fewer", most=format(HANDLING_MAX, ",")),
            "note",
        )
    return text


def mark_contacted(
    session: Session, talk: TalkRequest, user: User, note: str | None, now: datetime
) -> None:
    if not access.may_handle_talk_request(user, talk):
        raise TalkError(s_("Only a manager can record contact"))
    if talk.state != "new":
        raise TalkError(s_("Contact has already been recorded for this request"))
    text = _note(note, s_("Enter what was done: who got in touch, how, and what was said"))
    talk.state = "contacted"
    talk.contacted_at = now
    talk.contacted_by_id = user.id
    talk.contact_note = text
    session.flush()
    record(
        session,
        actor=user,
        action="talk-contacted",
        target=f"talk request {talk.id}",
        detail={"in_time": now <= talk.due_at, "note_length": len(text)},
        at=now,
    )


def resolve(
    session: Session, talk: TalkRequest, user: User, outcome: str | None, now: datetime
) -> None:
    if not access.may_handle_talk_request(user, talk):
        raise TalkError(s_("Only a manager can resolve a request"))
    if talk.state == "resolved":
        raise TalkError(s_("This request is already resolved"))
    if talk.state == "new" and talk.wants_contact:
        raise TalkError(s_("Record the first contact before resolving the request"), "note")
    text = _note(outcome, s_("Enter the outcome: what changed or was agreed"))
    if talk.state == "new":
        # Passed on with no contact wanted: reading it is the first step.
        talk.contacted_at = now
        talk.contacted_by_id = user.id
    talk.state = "resolved"
    talk.resolved_at = now
    talk.resolved_by_id = user.id
    talk.outcome = text
    session.flush()
    record(
        session,
        actor=user,
        action="talk-resolved",
        target=f"talk request {talk.id}",
        detail={"outcome_length": len(text)},
        at=now,
    )


def share_with_worker(session: Session, talk: TalkRequest, user: User, now: datetime) -> User:
    if not access.may_share_talk_request(user, talk):
        raise TalkError(
            s_(
                "A request is shared with the worker only when the young person asked to be "
                "reached through them"
            )
        )
    assert talk.case is not None
    worker = talk.case.practitioner
    talk.shared_with_id = worker.id
    talk.shared_at = now
    talk.shared_by_id = user.id
    session.flush()
    record(
        session,
        actor=user,
        action="talk-shared",
        target=f"talk request {talk.id}",
        detail={"with": worker.id},
        at=now,
    )
    return worker


def request_link(talk: TalkRequest, base_url: str | None = None) -> str:
    base = base_url if base_url is not None else _config("BASE_URL", "")
    return f"{base.rstrip('/')}/requests/{talk.id}"


def overdue_recipients(session: Session, team_id: int | None) -> list[User]:
    """The team's duty manager, else its managers, else the admins: the rule the alerts
    follow (`feedback.alerts.services`)."""
    return alerts.active(alerts.duty_managers(session, team_id)) or alerts.admins(session)


def notify_overdue(
    session: Session, now: datetime, *, base_url: str | None = None
) -> list[TalkRequest]:
    """Tell the duty manager of each request not contacted by its due time, once."""
    overdue = list(
        session.scalars(
            select(TalkRequest)
            .where(
                TalkRequest.state == "new",
                TalkRequest.due_at <= now,
                TalkRequest.overdue_told_at.is_(None),
            )
            .order_by(TalkRequest.due_at, TalkRequest.id)
        )
    )
    for talk in overdue:
        people = overdue_recipients(session, talk.team_id)
        # In the staff pages' language, whichever page's request sends it.
        with force_locale(DEFAULT):
            subject = s_("Request to speak to a manager: overdue")
            body = "\n\n".join(
                (
                    s_(
                        "A request to speak to a manager was due first contact by %(date)s at "
                        "%(time)s and nobody has recorded contact yet.",
                        date=talk.due_at.strftime("%-d %B %Y"),
                        time=talk.due_at.strftime("%H:%M"),
                    ),
                    s_(
                        "Open the request (you will need to sign in): %(link)s",
                        link=request_link(talk, base_url),
                    ),
                    s_("This message does not contain what was written or any contact details."),
                )
            )
        session.add_all(
            OutboxMessage(
                recipient_id=user.id,
                subject=subject,
                body=body,
                created_at=now,
            )
            for user in people
        )
        talk.overdue_told_at = now
        session.flush()
        record(
            session,
            actor=None,
            action="talk-overdue",
            target=f"talk request {talk.id}",
            detail={"told": sorted(u.id for u in people)},
            at=now,
        )
    return overdue


# --------------------------------------------------------------------------
# Retention and erasure (called by feedback.privacy)

PERSONAL = ("phone", "trusted_person", "good_time", "message", "contact_note", "outcome")


def _forget(talk: TalkRequest) -> None:
    for name in PERSONAL:
        if getattr(talk, name):
            setattr(talk, name, REMOVED if name in ("message", "contact_note", "outcome") else None)


def forget_for_cases(session: Session, case_ids: list[int], *, erase: bool) -> int:
    """A case leaves: its requests' personal data goes. Erasure deletes its requests;
    retention keeps them, words and numbers removed and no case, for the monthly counts."""
    if not case_ids:
        return 0
    found = list(session.scalars(select(TalkRequest).where(TalkRequest.case_id.in_(case_ids))))
    for talk in found:
        if erase:
            session.delete(talk)
        else:
            _forget(talk)
            talk.case_id = None
            talk.shared_with_id = None
    session.flush()
    return len(found)


def forget_old_details(session: Session, before: datetime, *, apply: bool) -> int:
    """Resolved requests asked before `before`: their contact details and words go."""
    old = [
        t
        for t in session.scalars(
            select(TalkRequest).where(
                TalkRequest.state == "resolved", TalkRequest.created_at < before
            )
        )
        if any(getattr(t, name) not in (None, REMOVED) for name in PERSONAL)
    ]
    if apply:
        for talk in old:
            _forget(talk)
        session.flush()
    return len(old)


# --------------------------------------------------------------------------
# "You said, we did"


@dataclass(frozen=True)
class NoteCheck:
    warnings: list[str]
    refused: list[str]


_PLACEHOLDER = re.compile(r"\[[a-z ]+\]")


def check_note(text: str) -> NoteCheck:
    """What the quote redaction would take out of a note (names, places, numbers), as
    warnings; words a young person's page never shows, as refusals."""
    warnings = []
    redacted = redact(text)
    if redacted != text:
        kinds = sorted(set(_PLACEHOLDER.findall(redacted)) - set(_PLACEHOLDER.findall(text)))
        warnings.append(
            s_(
                "This may name a person, a place or a number (%(kinds)s). Without them it "
                "reads: \u201c%(redacted)s\u201d",
                kinds=", ".join(k.strip("[]") for k in kinds),
                redacted=redacted,
            )
        )
    lowered = text.lower()
    refused = [
        s_(
            "Young people's pages never say \u201c%(word)s\u201d: a phone may be seen by others",
            word=word,
        )
        for word in YOUNG_PERSON_UNSAID
        if word in lowered
    ]
    return NoteCheck(warnings, refused)


def note_teams(session: Session, user: User) -> list[Team]:
    """Teams a user may publish for: an admin every team, a manager their own."""
    if access.sees_every_team(user):
        return list(session.scalars(select(Team).order_by(Team.name)))
    return sorted(user.teams, key=lambda t: t.name)


def publish_note(
    session: Session,
    user: User,
    *,
    team_id: int | None,
    you_said: str,
    we_did: str,
    today: date,
    now: datetime,
) -> YouSaidWeDid:
    if not access.may_publish_notes(user):
        raise TalkError(s_("Only a manager can publish notes"))
    you_said, we_did = (you_said or "").strip(), (we_did or "").strip()
    for field, text, missing in (
        ("you_said", you_said, s_("Enter what young people and families said")),
        ("we_did", we_did, s_("Enter what the service did")),
    ):
        if not text:
            raise TalkError(missing, field)
        if len(text) > NOTE_MAX:
            raise TalkError(
                s_("This must be %(most)s characters or fewer", most=format(NOTE_MAX, ",")), field
            )
        refused = check_note(text).refused
        if refused:
            raise TalkError(refused[0], field)
    if team_id is None:
        if not access.sees_every_team(user) and user.role != access.MANAGER:
            raise TalkError(s_("Choose a team"), "team")
    elif team_id not in {t.id for t in note_teams(session, user)}:
        raise TalkError(s_("Choose one of your teams"), "team")
    note = YouSaidWeDid(
        team_id=team_id,
        you_said=you_said,
        we_did=we_did,
        published_on=today,
        created_at=now,
        created_by_id=user.id,
    )
    session.add(note)
    session.flush()
    record(
        session,
        actor=user,
        action="you-said-we-did-published",
        target=f"note {note.id}",
        detail={"team": team_id},
        at=now,
    )
    return note


def public_notes(session: Session, limit: int = 50) -> list[YouSaidWeDid]:
    return list(
        session.scalars(
            select(YouSaidWeDid)
            .order_by(YouSaidWeDid.published_on.desc(), YouSaidWeDid.id.desc())
            .limit(limit)
        )
    )


# --------------------------------------------------------------------------
# Monthly report


def _team_ids(session: Session, teams) -> list[int] | None:
    if teams is None:
        return None
    return list(session.scalars(select(Team.id).where(Team.code.in_(list(teams)))))


def _asked_in(session: Session, month_start, month_end, teams):
    query = select(TalkRequest).where(
        TalkRequest.created_at >= month_start, TalkRequest.created_at < month_end
    )
    ids = _team_ids(session, teams)
    if ids is not None:
        query = query.where(TalkRequest.team_id.in_(ids or [-1]))
    return query


def report_about(session: Session, month_start, month_end, teams):
    """Requests asked in the month, by what they were about."""
    query = (
        _asked_in(session, month_start, month_end, teams)
        .with_only_columns(TalkRequest.about, func.count(TalkRequest.id))
        .group_by(TalkRequest.about)
    )
    counts = {code: n for code, n in session.execute(query).all()}
    # In the young person's words, as the requests' pages show them.
    rows = [(gettext(label), counts.get(code, 0)) for code, label in ABOUT.items()]
    return s_("Requests to speak to a manager"), rows, s_("Total requests")


def report_first_contact(session: Session, month_start, month_end, teams):
    """Requests asked in the month that wanted contact, against the service standard."""
    talks = [
        t
        for t in session.scalars(_asked_in(session, month_start, month_end, teams))
        if t.wants_contact
    ]
    in_time = sum(1 for t in talks if t.contacted_at is not None and t.contacted_at <= t.due_at)
    late = sum(1 for t in talks if t.contacted_at is not None and t.contacted_at > t.due_at)
    waiting = len(talks) - in_time - late
    days = contact_within_working_days()
    return (
        sn_(
            "First contact against the standard (%(num)d working day)",
            "First contact against the standard (%(num)d working days)",
            days,
        ),
        [
            (s_("Contacted in time"), in_time),
            (s_("Contacted late"), late),
            (s_("Not contacted yet"), waiting),
        ],
        s_("Requests that asked to be contacted"),
    )


def report_state(session: Session, month_start, month_end, teams):
    """Requests asked in the month, by where they stand now."""
    query = (
        _asked_in(session, month_start, month_end, teams)
        .with_only_columns(TalkRequest.state, func.count(TalkRequest.id))
        .group_by(TalkRequest.state)
    )
    counts = {code: n for code, n in session.execute(query).all()}
    rows = [(str(label), counts.get(code, 0)) for code, label in STATES.items()]
    return s_("Requests to speak to a manager: where they stand"), rows, s_("Total requests")


def report_notes(session: Session, month_start, month_end, teams):
    """The "you said, we did" notes published in the month: words, not numbers."""
    query = select(YouSaidWeDid).where(
        YouSaidWeDid.published_on >= month_start, YouSaidWeDid.published_on < month_end
    )
    ids = _team_ids(session, teams)
    if ids is not None:
        query = query.where(
            or_(YouSaidWeDid.team_id.is_(None), YouSaidWeDid.team_id.in_(ids or [-1]))
        )
    notes = list(session.scalars(query.order_by(YouSaidWeDid.published_on, YouSaidWeDid.id)))
    rows = [
        (
            f"{n.published_on:%-d %B %Y}",
            s_("You said: %(you_said)s We did: %(we_did)s", you_said=n.you_said, we_did=n.we_did),
        )
        for n in notes
    ] or [(s_("None published"), "-")]
    return s_("You said, we did: notes published"), rows


REPORT_SECTIONS = (report_about, report_first_contact, report_state, report_notes)
