from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.db import Base
from feedback.i18n import sl_
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

    family_contacts: Mapped[list[FamilyContact]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="FamilyContact.id"
    )

    referrals: Mapped[list[CaseReferral]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CaseReferral.number",
        back_populates="case",
    )

    @property
    def strands(self) -> list[str]:
        return [s.strand for s in self.strand_rows]

    @property
    def status_name(self) -> str:
        return str(CASE_STATUSES[self.status])

    @property
    def referral(self) -> CaseReferral | None:
        """The current (latest) referral: open while the case is open."""
        return self.referrals[-1] if self.referrals else None


# A case's status, in the words staff read.
CASE_STATUSES = {"open": sl_("Open"), "closed": sl_("Closed")}

# Why a case closed, in the words staff choose from (translated where they are shown).
CLOSURE_REASONS = {
    "planned": sl_("Planned ending"),
    "moved": sl_("Moved away"),
    "stopped-engaging": sl_("Stopped engaging"),
    "transferred": sl_("Transferred to another service"),
    "other": sl_("Other"),
}


class CaseReferral(Base):
    """One spell of work with a young person: the first referral opens the case, each
    re-referral reopens it. A case with more than one has been re-referred."""

    __tablename__ = "case_referral"
    __table_args__ = (
        UniqueConstraint("case_id", "number"),
        CheckConstraint(
            "closure_reason IS NULL OR closure_reason IN "
            "('planned', 'moved', 'stopped-engaging', 'transferred', 'other')",
            name="case_referral_reason",
        ),
        # A reason needs a day; a case closed before reasons were kept has a day only.
        CheckConstraint(
            "closure_reason IS NULL OR closed_on IS NOT NULL", name="case_referral_closed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"))
    # 1 for the first referral, 2 for the first re-referral, and so on.
    number: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    # The day the work ended, as the practitioner gives it, and why.
    closed_on: Mapped[date | None] = mapped_column(Date)
    closure_reason: Mapped[str | None] = mapped_column(String(32))

    case: Mapped[Case] = relationship(back_populates="referrals")

    @property
    def closure_reason_text(self) -> str | None:
        reason = CLOSURE_REASONS.get(self.closure_reason or "")
        return str(reason) if reason is not None else None


class CaseStrand(Base):
    __tablename__ = "case_strand"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), primary_key=True
    )
    strand: Mapped[str] = mapped_column(String(64), primary_key=True)


class FamilyContact(Base):
    """A parent or carer of the case's young person, to invite to the family exit
    interview. Identifiable: kept with the case, never in the analytical store, and
    removed with the case (retention, erasure)."""

    __tablename__ = "family_contact"
    __table_args__ = (
        CheckConstraint("phone IS NOT NULL OR email IS NOT NULL", name="family_contact_reach"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    relationship: Mapped[str] = mapped_column(String(60))
    # A UK number in E.164 (+447700900123), and/or an email address.
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    # An ISO 639-1 code: the language they would rather be written to in.
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(DateTime)
