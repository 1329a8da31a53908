"""Staff accounts: create, authenticate. Services flush; callers commit."""

from __future__ import annotations

import re

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.staff.models import ROLES, Team, User
from feedback.staff.passwords import dummy_hash, hasher

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 12


class StaffError(ValueError):
    pass


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
    session: Session, *, email: str, name: str, role: str, password: str, team_codes: list[str]
) -> User:
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise StaffError(f"{email!r} is not an email address")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"the password must be at least {MIN_PASSWORD} characters")
    if session.scalar(select(User).where(func.lower(User.email) == email)):
        raise StaffError(f"there is already a user with the email {email}")
    teams = []
    for code in team_codes:
        team = find_team(session, code)
        if team is None:
            raise StaffError(f"there is no team with the code {code!r}")
        teams.append(team)
    if role != "admin" and not teams:
        raise StaffError("practitioners and managers belong to at least one team")
    user = User(
        email=email, name=name, role=role, password_hash=hash_password(password), teams=teams
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    try:
        hasher().verify(user.password_hash if user else dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user
