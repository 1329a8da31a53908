"""Requests to speak to a manager, and the "you said, we did" notes managers publish."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.alerts.models import Alert
from feedback.cases.models import Case
from feedback.db import Base
from feedback.i18n import N_, s_, sl_
from feedback.staff.models import Team, User

# What a request is about, how to reach the person, and when: codes, then the words a
# young person reads (the pages and the managers' list say the same; marked for both
# catalogues, and translated where they are shown: the young person's pages from theirs,
# staff pages from the staff catalogue).
ABOUT = {
    "going-well": N_("Something that is going well"),
    "could-be-better": N_("Something that could be better"),
    "worried": N_("Something that is worrying me"),
}
CONTACT = {
    "phone": N_("A phone call"),
    "text": N_("A text message"),
    "worker": N_("Through my worker"),
    "trusted": N_("Through someone else I trust"),
    "none": N_("I don't want to be contacted: I'm just passing it on"),
}
# Ways that need a phone number, and the one that needs someone named.
BY_PHONE = ("phone", "text")
GOOD_TIME = {
    "morning": N_("In the morning"),
    "afternoon": N_("In the afternoon"),
    "after-school": N_("After school or college (3pm to 6pm)"),
    "evening": N_("In the evening (6pm to 8pm)"),
    "any": N_("Any time"),
}
# Where a request stands, in the words staff read.
STATES = {"new": sl_("New"), "contacted": sl_("Contacted"), "resolved": sl_("Resolved")}
ASKED_BY = {"young-person": "Young person", "family": "Parent or carer"}


def _in(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class TalkRequest(Base):
    """A young person's (or parent's) request to speak to a manager.

    An anonymous request ("just passing it on", or asked from anonymous feedback) is kept
    like anonymous answers: the team only, no case, a random key below zero and its time
    to the day. The phone number, the person to go through, the good time and the message
    are personal data: retention and erasure remove them (`feedback.privacy`).
    """

    __tablename__ = "talk_request"
    __table_args__ = (
        CheckConstraint(_in("state", STATES), name="talk_request_state"),
        CheckConstraint(_in("about", ABOUT), name="talk_request_about"),
        CheckConstraint(_in("contact", CONTACT), name="talk_request_contact"),
        CheckConstraint(_in("asked_by", ASKED_BY), name="talk_request_asked_by"),
        CheckConstraint("NOT anonymous OR case_id IS NULL", name="anonymous_talk_has_no_case"),
        Index("ix_talk_request_state_due", "state", "due_at"),
        Index("ix_talk_request_case", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id", ondelete="SET NULL"))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    asked_by: Mapped[str] = mapped_column(String(16), default="young-person")
    about: Mapped[str] = mapped_column(String(32))
    contact: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(20))
    trusted_person: Mapped[str | None] = mapped_column(String(200))
    good_time: Mapped[str | None] = mapped_column(String(16))
    message: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="new")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # When first contact is due, from the service standard on the day it was asked.
    due_at: Mapped[datetime] = mapped_column(DateTime)
    overdue_told_at: Mapped[datetime | None] = mapped_column(DateTime)
    contacted_at: Mapped[datetime | None] = mapped_column(DateTime)
    contacted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    contact_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    outcome: Mapped[str | None] = mapped_column(Text)
    # The practitioner a manager shared it with (only when the young person chose to be
    # reached through their worker): until then the worker cannot see it.
    shared_with_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    shared_at: Mapped[datetime | None] = mapped_column(DateTime)
    shared_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # The safeguarding alert the message raised, if it worried the detector.
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("safeguarding_alert.id", ondelete="SET NULL")
    )

    team: Mapped[Team | None] = relationship()
    case: Mapped[Case | None] = relationship()
    alert: Mapped[Alert | None] = relationship()
    contacted_by: Mapped[User | None] = relationship(foreign_keys=[contacted_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    shared_with: Mapped[User | None] = relationship(foreign_keys=[shared_with_id])
    shared_by: Mapped[User | None] = relationship(foreign_keys=[shared_by_id])

    @property
    def about_name(self) -> str:
        return s_(ABOUT[self.about])

    @property
    def contact_name(self) -> str:
        return s_(CONTACT[self.contact])

    @property
    def good_time_name(self) -> str | None:
        return s_(GOOD_TIME[self.good_time]) if self.good_time in GOOD_TIME else None

    @property
    def state_name(self) -> str:
        return str(STATES[self.state])

    @property
    def wants_contact(self) -> bool:
        return self.contact != "none"


class YouSaidWeDid(Base):
    """A short public note: what managers heard, and what changed. No personal data: the
    page that writes it warns of names, places and numbers before it is published."""

    __tablename__ = "you_said_we_did"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the whole service.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str] = mapped_column(Text)
    published_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )

    team: Mapped[Team | None] = relationship()
