"""Inviting a member of staff, and an admin's password reset: each writes the account's
one-time link into the outbox, in the same transaction, for the outbox to deliver to
the member of staff's email. Services flush; callers commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from feedback.alerts.models import OutboxMessage
from feedback.audit.services import record
from feedback.i18n import s_, sN_
from feedback.staff import links
from feedback.staff.access import ADMIN, MANAGER, PRACTITIONER
from feedback.staff.models import Team, User
from feedback.staff.services import StaffError, create_user, end_sessions

# The invitation's first sentence for each role, whole, so that each language can say
# it its own way (English: "a manager", "an admin").
INVITED = {
    PRACTITIONER: sN_("%(by)s has given you a practitioner account on %(service)s."),
    MANAGER: sN_("%(by)s has given you a manager account on %(service)s."),
    ADMIN: sN_("%(by)s has given you an admin account on %(service)s."),
}


def _link_message(
    session: Session,
    user: User,
    purpose: str,
    *,
    by: User,
    now: datetime,
    base_url: str,
    hours: int,
    service_name: str,
) -> OutboxMessage:
    token = links.issue_link(session, user, purpose, by=by, now=now, hours=hours)
    url = f"{base_url.rstrip('/')}/set-password/{token}"
    # In the words of the staff catalogue, as the member of staff's pages are.
    if purpose == "invite":
        subject = s_("Set your password for %(service)s", service=service_name)
        opening = s_(INVITED[user.role], by=by.name, service=service_name)
    else:
        subject = s_("Set a new password for %(service)s", service=service_name)
        opening = s_(
            "%(by)s has reset your password on %(service)s: your old password no longer works.",
            by=by.name,
            service=service_name,
        )
    set_here = s_("Set your password here:")
    expiry = s_(
        "The link works once, for %(hours)s hours. If it has expired, ask an admin for a new "
        "one. If you were not expecting this, tell your manager.",
        hours=hours,
    )
    body = f"{opening}\n\n{set_here}\n{url}\n\n{expiry}"
    message = OutboxMessage(recipient_id=user.id, subject=subject, body=body, created_at=now)
    session.add(message)
    session.flush()
    return message


def invite_member(
    session: Session,
    *,
    name: str,
    email: str,
    role: str,
    team_ids: list[int],
    by: User,
    now: datetime,
    base_url: str,
    hours: int,
    service_name: str,
) -> User:
    """A new account with no password, and a message with the link to set one."""
    teams = [session.get(Team, team_id) for team_id in team_ids]
    if any(team is None or team.retired_at is not None for team in teams):
        raise StaffError(s_("Choose teams from the list"), "teams")
    user = create_user(
        session,
        email=email,
        name=name,
        role=role,
        password=None,
        team_codes=[t.code for t in teams if t is not None],
    )
    _link_message(
        session,
        user,
        "invite",
        by=by,
        now=now,
        base_url=base_url,
        hours=hours,
        service_name=service_name,
    )
    record(
        session,
        actor=by,
        action="staff-invited",
        target=f"staff {user.id}",
        detail={"email": user.email, "role": role, "teams": sorted(t.code for t in user.teams)},
        at=now,
    )
    return user


def reset_password(
    session: Session,
    user: User,
    *,
    by: User,
    now: datetime,
    base_url: str,
    hours: int,
    service_name: str,
) -> None:
    """The old password stops working and every session ends; a link to set a new one
    goes to the member of staff (a new invitation, if they have never set one)."""
    if not user.active:
        raise StaffError(s_("%(name)s is deactivated: reactivate them first", name=user.name))
    # Someone who never used their invitation gets a new invitation.
    purpose = "reset" if user.has_password else "invite"
    user.password_hash = ""
    end_sessions(session, user)
    _link_message(
        session,
        user,
        purpose,
        by=by,
        now=now,
        base_url=base_url,
        hours=hours,
        service_name=service_name,
    )
    record(
        session,
        actor=by,
        action="staff-password-reset",
        target=f"staff {user.id}",
        detail={"email": user.email},
        at=now,
    )
