"""One-time links to set a password: an invited member of staff's first, or a new one
after an admin's reset. The token is 256 random bits; only its SHA-256 is kept, so the
table gives no working link away. A link works once, until it expires
(STAFF_LINK_HOURS), and a new link for the same person withdraws the older ones.
Services flush; callers commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from feedback.audit.services import record
from feedback.i18n import sl_
from feedback.staff.models import LINK_PURPOSES, PasswordLink, User
from feedback.staff.services import StaffError, set_password

# Translated where they are shown (str()), in the staff catalogue.
PROBLEMS = {
    "unknown": sl_(
        "This link to set a password does not work. It may have been mistyped, or "
        "a newer link has replaced it."
    ),
    "used": sl_(
        "This link to set a password has been used already. Sign in with the password "
        "you set, or ask an admin for a new link."
    ),
    "expired": sl_("This link to set a password has expired. Ask an admin for a new link."),
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(
    session: Session, user: User, purpose: str, *, by: User | None, now: datetime, hours: int
) -> str:
    """A new link's token (to put in the message, never to keep)."""
    if purpose not in LINK_PURPOSES:
        raise ValueError(f"purpose must be one of {LINK_PURPOSES}")
    session.execute(
        delete(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
    )
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordLink(
            user_id=user.id,
            token_hash=_hash(token),
            purpose=purpose,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
            created_by_id=getattr(by, "id", None),
        )
    )
    session.flush()
    return token


def find_link(session: Session, token: str, now: datetime) -> tuple[PasswordLink | None, str]:
    """The link of a token and "" where it works, else None or the link and what is wrong
    with it (a key of PROBLEMS)."""
    if not token or len(token) > 100:
        return None, "unknown"
    link = session.scalar(select(PasswordLink).where(PasswordLink.token_hash == _hash(token)))
    if link is None or not link.user.active:
        return None, "unknown"
    if link.used_at is not None:
        return link, "used"
    if link.expires_at <= now:
        return link, "expired"
    return link, ""


def use_link(session: Session, token: str, password: str, now: datetime) -> User:
    """Set the password with a working link, which then stops working."""
    link, problem = find_link(session, token, now)
    if problem or link is None:
        raise StaffError(str(PROBLEMS[problem or "unknown"]))
    set_password(session, link.user, password, by=link.user)
    link.used_at = now
    session.flush()
    record(
        session,
        actor=link.user,
        action=f"staff-{link.purpose}-link-used",
        target=f"staff {link.user.id}",
        detail={"email": link.user.email},
        at=now,
    )
    return link.user
