"""The second step of staff sign-in: TOTP codes (RFC 6238, `pyotp`) from an app on the
member of staff's phone, and one-time recovery codes for when the phone is lost.

Managers and admins must have it (they see safeguarding alerts and figures about many
young people); practitioners may, and must where MFA_REQUIRED_FOR_PRACTITIONERS is set.
A code is accepted for the 30-second step before or after the server's (clocks drift),
and never for a step at or before the last one accepted: no code works twice.
Services flush; callers commit.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app, has_app_context
from markupsafe import Markup, escape
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from feedback.audit.services import record
from feedback.i18n import s_
from feedback.staff.models import RecoveryCode, User
from feedback.staff.services import end_sessions

STEP_SECONDS = 30
RECOVERY_CODES = 10
# No letters or digits that read alike (0/o, 1/l/i): the codes are typed from paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 12  # about 59 bits: unguessable, so a plain SHA-256 keeps it safe
SIX_DIGITS = re.compile(r"^[0-9]{6}$")


class MfaError(ValueError):
    """A step that cannot be taken: the message is fit to show the member of staff."""


def required(user: User) -> bool:
    """Whether the user must sign in with a code."""
    if user.role in ("manager", "admin"):
        return True
    return bool(
        has_app_context() and current_app.config.get("MFA_REQUIRED_FOR_PRACTITIONERS", False)
    )


def needs_code(user: User) -> bool:
    """Whether signing in takes a second step: enrolled, or bound to enrol."""
    return user.mfa_enrolled or required(user)


def step_at(moment: datetime) -> int:
    """The TOTP time step of a moment of the app's clock (UTC without a zone)."""
    return int(moment.replace(tzinfo=UTC).timestamp()) // STEP_SECONDS


def start_enrolment(session: Session, user: User) -> str:
    """The secret to enrol with: the same one until enrolment is confirmed, so that a
    page reloaded shows the same QR code."""
    if user.mfa_enrolled:
        raise MfaError(s_("You have already set up sign-in codes"))
    if not user.mfa_secret:
        user.mfa_secret = pyotp.random_base32()
        session.flush()
    return user.mfa_secret


def issuer() -> str:
    return current_app.config.get("SERVICE_NAME", "Youth Voice") if has_app_context() else ""


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.mfa_secret or "").provisioning_uri(name=user.email, issuer_name=issuer())


def qr_svg(uri: str) -> Markup:
    """The enrolment QR code as inline SVG: nothing to download, no script to run."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    label = escape(s_("QR code to scan with your authenticator app"))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="app-qr-code" ', 1)
    # Built by qrcode from the URI of our own secret, and our own label escaped: no text
    # of anyone else's in it.
    return Markup(svg)  # noqa: S704  # nosec B704  # qrcode's SVG of our own URI


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, as it is easiest to type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = step_at(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def verify_totp(session: Session, user: User, code: str, now: datetime) -> bool:
    """A code from the user's app for now, not used before. Remembers its step."""
    code = _clean(code)
    if not user.mfa_secret or not SIX_DIGITS.match(code):
        return False
    step = _matching_step(user.mfa_secret, code, now)
    if step is None or (user.mfa_last_step is not None and step <= user.mfa_last_step):
        return False
    user.mfa_last_step = step
    session.flush()
    return True


def _hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def new_recovery_codes(session: Session, user: User, now: datetime, *, by: User) -> list[str]:
    """Ten new one-time codes, replacing any the user had. Shown once: only hashes stay."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4)))
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    session.flush()
    record(
        session,
        actor=by,
        action="mfa-recovery-codes-made",
        target=f"staff {user.id}",
        detail={"email": user.email},
        at=now,
    )
    return codes


def recovery_codes_left(session: Session, user: User) -> int:
    return len(
        session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def use_recovery_code(session: Session, user: User, code: str, now: datetime) -> bool:
    if len(_clean(code)) != RECOVERY_LENGTH:
        return False
    row = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = now
    record(
        session,
        actor=user,
        action="mfa-recovery-code-used",
        target=f"staff {user.id}",
        detail={"email": user.email, "left": recovery_codes_left(session, user)},
        at=now,
    )
    return True


def check_second_step(session: Session, user: User, code: str, now: datetime) -> bool:
    """A code from the app, or one of the user's recovery codes."""
    if not user.mfa_enrolled:
        return False
    return verify_totp(session, user, code, now) or use_recovery_code(session, user, code, now)


def confirm_enrolment(session: Session, user: User, code: str, now: datetime) -> list[str]:
    """Enrolled once a code from the new secret is typed back; returns the recovery
    codes, to be shown once."""
    if user.mfa_enrolled:
        raise MfaError(s_("You have already set up sign-in codes"))
    if not verify_totp(session, user, code, now):
        raise MfaError(
            s_("That code is not right: type the 6 digits your app shows now for this account")
        )
    user.mfa_enrolled_at = now
    record(
        session,
        actor=user,
        action="mfa-enrolled",
        target=f"staff {user.id}",
        detail={"email": user.email},
        at=now,
    )
    return new_recovery_codes(session, user, now, by=user)


def reset(session: Session, user: User, *, by: User | None, now: datetime) -> None:
    """An admin's reset of someone's sign-in codes (a lost phone): they set up again at
    their next sign-in, and every session of theirs ends now."""
    user.mfa_secret = None
    user.mfa_enrolled_at = None
    user.mfa_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_sessions(session, user)
    record(
        session,
        actor=by,
        action="mfa-reset",
        target=f"staff {user.id}",
        detail={"email": user.email},
        at=now,
    )
