"""Staff accounts: create, authenticate, end sessions, administer. Services flush; callers
commit."""

from __future__ import annotations

import re

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.audit.services import record
from feedback.fields import whole_number
from feedback.i18n import s_
from feedback.staff.models import ROLES, Team, User
from feedback.staff.passwords import dummy_hash, hasher

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 12
MAX_PASSWORD = 200


class StaffError(ValueError):
    """A change that cannot be made. The message is fit to show the member of staff (in
    the staff catalogue); `field` names the form field it is about, where there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def hash_password(password: str) -> str:
    return hasher().hash(password)


def find_team(session: Session, code: str) -> Team | None:
    return session.scalar(select(Team).where(Team.code == code))


def create_team(session: Session, code: str, name: str) -> Team:
    team = Team(code=code, name=name)
    session.add(team)
    session.flush()
    return team


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str | None,
    team_codes: list[str],
) -> User:
    """A new account. Without a password (an invited member of staff) it cannot sign in
    until a link sets one (`feedback.staff.links`)."""
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise StaffError(s_("%(email)s is not an email address", email=repr(email)), "email")
    if role not in ROLES:
        raise StaffError(s_("role must be one of %(roles)s", roles=", ".join(ROLES)), "role")
    if password is not None and len(password) < MIN_PASSWORD:
        raise StaffError(
            s_("the password must be at least %(num)d characters", num=MIN_PASSWORD), "password"
        )
    if not name.strip():
        raise StaffError(s_("Enter their name"), "name")
    if session.scalar(select(User).where(func.lower(User.email) == email)):
        raise StaffError(
            s_("there is already a user with the email %(email)s", email=email), "email"
        )
    teams = []
    for code in team_codes:
        team = find_team(session, code)
        if team is None or team.retired_at is not None:
            raise StaffError(
                s_("there is no team with the code %(code)s", code=repr(code)), "teams"
            )
        teams.append(team)
    if role != "admin" and not teams:
        raise StaffError(s_("practitioners and managers belong to at least one team"), "teams")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password) if password is not None else "",
        teams=teams,
    )
    session.add(user)
    session.flush()
    return user


def normalise_email(email: str) -> str:
    """An email as accounts are matched by it: case and surrounding spaces do not count."""
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    # An invited account has no password yet: it is checked against the dummy as well,
    # so that it takes as long as any other, and then refused.
    stored = user.password_hash if user is not None and user.has_password else dummy_hash()
    try:
        hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active or not user.has_password:
        return None
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


# --- sessions -----------------------------------------------------------------------------


def end_sessions(session: Session, user: User) -> None:
    """Every browser signed in as the user is signed out at its next request."""
    user.session_version = (user.session_version or 0) + 1
    session.flush()


def session_matches(user: User | None, version: str) -> bool:
    """Whether a session that holds `version` still belongs to a live sign-in of `user`."""
    return user is not None and user.active and whole_number(version, 2**63) == user.session_version


def check_password(password: str) -> None:
    """The rules every password keeps."""
    if len(password) < MIN_PASSWORD:
        raise StaffError(
            s_("The password must be at least %(num)d characters", num=MIN_PASSWORD), "password"
        )
    if len(password) > MAX_PASSWORD:
        raise StaffError(
            s_("The password must be %(num)d characters or fewer", num=MAX_PASSWORD), "password"
        )


def set_password(session: Session, user: User, password: str, *, by: User | None) -> None:
    """A new password ends every session that was signed in with the old one."""
    check_password(password)
    user.password_hash = hash_password(password)
    end_sessions(session, user)
    record(
        session,
        actor=by,
        action="staff-password-set",
        target=f"staff {user.id}",
        detail={"email": user.email},
    )


# --- administration -----------------------------------------------------------------------


def all_staff(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.active.desc(), User.name, User.email)))


def all_teams(session: Session, *, retired: bool = True) -> list[Team]:
    """Every team, or (retired=False) those that may take new cases and members."""
    query = select(Team).order_by(Team.name)
    if not retired:
        query = query.where(Team.retired_at.is_(None))
    return list(session.scalars(query))


def set_active(session: Session, user: User, active: bool, *, by: User) -> None:
    """Deactivate (which ends their sessions at once) or reactivate a member of staff."""
    if not active and user.id == by.id:
        raise StaffError(s_("You cannot deactivate your own account"))
    if user.active == active:
        return
    user.active = active
    if not active:
        end_sessions(session, user)
    record(
        session,
        actor=by,
        action="staff-reactivated" if active else "staff-deactivated",
        target=f"staff {user.id}",
        detail={"email": user.email},
    )


def set_role_and_teams(
    session: Session, user: User, role: str, team_ids: list[int], *, by: User
) -> None:
    if role not in ROLES:
        roles = ", ".join(str(name) for name in ROLES.values())
        raise StaffError(s_("Role must be one of %(roles)s", roles=roles), "role")
    if user.id == by.id and role != user.role:
        raise StaffError(s_("You cannot change your own role"), "role")
    teams = [session.get(Team, team_id) for team_id in team_ids]
    if any(team is None for team in teams):
        raise StaffError(s_("Choose teams from the list"), "teams")
    if role != "admin" and not teams:
        raise StaffError(s_("Practitioners and managers belong to at least one team"), "teams")
    before = {"role": user.role, "teams": sorted(t.code for t in user.teams)}
    after = {"role": role, "teams": sorted(t.code for t in teams)}
    if before == after:
        return
    user.role = role
    user.teams = teams
    from feedback.staff import mfa  # mfa uses this module's end_sessions

    if mfa.required(user) and not user.mfa_enrolled:
        # A new role that needs sign-in codes: they set them up at their next sign-in.
        end_sessions(session, user)
    session.flush()
    record(
        session,
        actor=by,
        action="staff-role-changed",
        target=f"staff {user.id}",
        detail={"email": user.email, "before": before, "after": after},
    )
