from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.db import Base
from feedback.staff.models import Team, User


class Case(Base):
    """A young person's case. Identifiable: never leaves the app's own tables."""

    __tablename__ = "case_record"
    __table_args__ = (CheckConstraint("status IN ('open', 'closed')", name="case_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    # The practitioner's own label: initials or a first name, never a full name.
    label: Mapped[str] = mapped_column(String(60))
    date_of_birth: Mapped[date] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(32))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    status: Mapped[str] = mapped_column(String(8), default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    team: Mapped[Team] = relationship()
    practitioner: Mapped[User] = relationship()
    strand_rows: Mapped[list[CaseStrand]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CaseStrand.strand"
    )

    @property
    def strands(self) -> list[str]:
        return [s.strand for s in self.strand_rows]


class CaseStrand(Base):
    __tablename__ = "case_strand"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), primary_key=True
    )
    strand: Mapped[str] = mapped_column(String(64), primary_key=True)
