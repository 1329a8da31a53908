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

ROLES = {"practitioner": "Practitioner", "manager": "Manager", "admin": "Admin"}

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
        return ROLES[self.role]
