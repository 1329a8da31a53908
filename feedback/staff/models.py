from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.db import Base
from feedback.i18n import sl_

# Each role's name, in the staff catalogue (translated where it is shown: str()).
ROLES = {"practitioner": sl_("Practitioner"), "manager": sl_("Manager"), "admin": sl_("Admin")}

staff_team = Table(
    "staff_team",
    Base.metadata,
    Column("user_id", ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
)


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # A retired team takes no new cases and is left out of pickers; its history stays.
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)

    members: Mapped[list[User]] = relationship(secondary=staff_team, back_populates="teams")


class User(UserMixin, Base):
    __tablename__ = "staff_user"
    __table_args__ = (
        CheckConstraint("role IN ('practitioner', 'manager', 'admin')", name="staff_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # Kept in each signed-in browser's session: raising it (sign-out, deactivation, a new
    # password) ends every session of the account at its next request.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The second step of signing in (feedback/staff/mfa.py): the TOTP secret, kept from the
    # start of enrolment; enrolled once a code from it has been typed back. The last time
    # step a code was accepted for, so that no code works twice.
    mfa_secret: Mapped[str | None] = mapped_column(String(64))
    mfa_enrolled_at: Mapped[datetime | None] = mapped_column(DateTime)
    mfa_last_step: Mapped[int | None] = mapped_column(Integer)

    teams: Mapped[list[Team]] = relationship(secondary=staff_team, back_populates="members")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the account and its session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def team_ids(self) -> set[int]:
        return {t.id for t in self.teams}

    @property
    def role_name(self) -> str:
        return str(ROLES[self.role])

    @property
    def has_password(self) -> bool:
        """An invited account has none until its link is used."""
        return bool(self.password_hash)

    @property
    def mfa_enrolled(self) -> bool:
        return self.mfa_enrolled_at is not None and bool(self.mfa_secret)


class RecoveryCode(Base):
    """A one-time code that stands in for a TOTP code when the phone is lost: shown once,
    kept only as a hash, each usable once."""

    __tablename__ = "staff_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


LINK_PURPOSES = ("invite", "reset")


class PasswordLink(Base):
    """A one-time link to set a password: for an invited member of staff, or after an
    admin's reset. Only a hash of its token is kept."""

    __tablename__ = "staff_password_link"
    __table_args__ = (
        CheckConstraint("purpose IN ('invite', 'reset')", name="password_link_purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
