"""The one outbox: messages written in the same transaction as what they tell of, and
handed to a sender afterwards by `flask outbox send`.

A message goes to a member of staff (`recipient_id`: their email address is looked up
when it is sent, so it is never copied here) or to a young person or a parent or carer,
whose phone number or email address is kept in a row of its own (`OutboxAddress`). That
row goes as soon as the message is delivered, given up on or no longer wanted, and with
the case or the contact it belongs to (the database removes it: ON DELETE CASCADE).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.db import Base
from feedback.staff.models import User

# queued: waiting (again, after a failed try, from next_attempt_at); sending: claimed by a
# sender until lease_until; sent; dead: given up after OUTBOX_MAX_ATTEMPTS tries or a
# refusal that trying again cannot change; cancelled: its link stopped working first.
MESSAGE_STATES = ("queued", "sending", "sent", "dead", "cancelled")
CHANNELS = ("email", "sms")


class OutboxMessage(Base):
    """A message waiting to go, or gone. Never holds a young person's words; a message
    to a young person or parent holds their link only until it is delivered."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_unsent", "sent_at"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'dead', 'cancelled')",
            name="outbox_message_status",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A member of staff; None for a message to the address in `address`.
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE")
    )
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("safeguarding_alert.id", ondelete="CASCADE"), index=True
    )
    # The link a message to a young person or parent carries: it goes with the link.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="queued", server_default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    # The sender's last complaint, for whoever looks after the outbox (never an address).
    last_error: Mapped[str | None] = mapped_column(String(200))

    recipient: Mapped[User | None] = relationship()
    address: Mapped[OutboxAddress | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )


class OutboxAddress(Base):
    """Where a message to a young person or a parent or carer goes. Identifiable: kept
    only until the message is delivered, and removed with the case or the contact."""

    __tablename__ = "outbox_address"
    __table_args__ = (CheckConstraint("channel IN ('email', 'sms')", name="outbox_channel"),)

    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(8))
    # An email address, or a UK mobile number in E.164.
    address: Mapped[str] = mapped_column(String(254))
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    family_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("family_contact.id", ondelete="CASCADE"), index=True
    )
