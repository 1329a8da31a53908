from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, false, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.cases.models import Case, FamilyContact
from feedback.db import Base

CURRENT = "withdrawn_at IS NULL AND used_at IS NULL"
CURRENT_FOR_YOUNG_PERSON = f"{CURRENT} AND family_contact_id IS NULL"
CURRENT_FOR_CONTACT = f"{CURRENT} AND family_contact_id IS NOT NULL"


class Invitation(Base):
    """A link and a short code that let one young person (or family) answer once.

    Only hashes of the token and code are stored, so a copy of the database opens nothing.
    A case has at most one current invitation (neither used nor withdrawn) to each
    questionnaire: issuing a new one withdraws the old, and the unique index makes that a
    rule of the schema, so two practitioners pressing at once cannot leave two links live.
    """

    __tablename__ = "invitation"
    __table_args__ = (
        Index(
            "uq_invitation_current",
            "case_id",
            "questionnaire_code",
            unique=True,
            sqlite_where=text(CURRENT_FOR_YOUNG_PERSON),
            postgresql_where=text(CURRENT_FOR_YOUNG_PERSON),
        ),
        # A family exit interview has one current link for each parent or carer.
        Index(
            "uq_invitation_current_contact",
            "case_id",
            "questionnaire_code",
            "family_contact_id",
            unique=True,
            sqlite_where=text(CURRENT_FOR_CONTACT),
            postgresql_where=text(CURRENT_FOR_CONTACT),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"))
    questionnaire_code: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )

    # The language and version the practitioner chose for the pages and messages: opening
    # the link keeps them for the journey (feedback.i18n), and its message is written in it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    easy_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    # Whom a family exit interview's link is for; None for the young person's links.
    family_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("family_contact.id", ondelete="SET NULL")
    )

    case: Mapped[Case] = relationship()
    family_contact: Mapped[FamilyContact | None] = relationship()
