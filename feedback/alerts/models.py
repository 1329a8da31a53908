"""Safeguarding alerts and each team's duty manager (the outbox that tells staff about
them is `feedback.outbox`)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.cases.models import Case
from feedback.db import Base
from feedback.i18n import sl_
from feedback.outbox.models import OutboxMessage  # noqa: F401 - its first home; one outbox
from feedback.staff.models import Team, User

# How urgent an alert is, and where it stands, in the words staff read.
LEVEL_NAMES = {"danger-now": sl_("Danger now"), "worrying": sl_("Worrying")}

STATES = {
    "new": sl_("New"),
    "acknowledged": sl_("Acknowledged"),
    "action-taken": sl_("Action taken"),
    "closed": sl_("Closed"),
}


class Alert(Base):
    """A disclosure spotted in a young person's answers: one open alert per draft.

    The flagged words are copied here rather than read from the answer, so that a young
    person editing their answer afterwards cannot make a disclosure disappear.

    An alert from anonymous feedback belongs to the team that sent the link and holds
    nothing that joins it to the response, the invitation or the case: only `draft_key`,
    a hash of a secret that the young person's browser session holds while they answer,
    so that the same words saved twice still raise one alert.
    """

    __tablename__ = "safeguarding_alert"
    __table_args__ = (
        CheckConstraint(
            "state IN ('new', 'acknowledged', 'action-taken', 'closed')", name="alert_state"
        ),
        CheckConstraint("level IN ('danger-now', 'worrying')", name="alert_level"),
        CheckConstraint(
            "NOT anonymous OR (case_id IS NULL AND response_id IS NULL)",
            name="anonymous_alert_has_no_respondent",
        ),
        Index("ix_safeguarding_alert_response", "response_id"),
        Index("ix_safeguarding_alert_draft_key", "draft_key"),
        Index("ix_safeguarding_alert_state_raised", "state", "raised_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # SET NULL: a purged draft or a retention-expired case leaves the alert's counts behind.
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id", ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    draft_key: Mapped[str | None] = mapped_column(String(64))
    # The most urgent level of the words in it: it decides how soon it escalates.
    level: Mapped[str] = mapped_column(String(16), default="worrying", server_default="worrying")
    state: Mapped[str] = mapped_column(String(16), default="new")
    # Comma-separated category codes of the detector, in its order.
    categories: Mapped[str] = mapped_column(String(200))
    # JSON list of {"question", "text", "categories", "at"}: every distinct flagged text.
    texts_json: Mapped[str] = mapped_column(Text, default="[]")
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    action_at: Mapped[datetime | None] = mapped_column(DateTime)
    action_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    action_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # Said by the manager who closes an alert on words in another language, having read
    # them: whether they hold nothing worrying and may be quoted (where the young person
    # agreed). None where nobody has said, or the alert has no such words.
    words_quotable: Mapped[bool | None] = mapped_column(Boolean)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime)
    escalations: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[Case | None] = relationship()
    team: Mapped[Team | None] = relationship()
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    action_by: Mapped[User | None] = relationship(foreign_keys=[action_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def category_codes(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]

    @property
    def texts(self) -> list[dict]:
        return json.loads(self.texts_json or "[]")

    @property
    def state_name(self) -> str:
        return str(STATES[self.state])

    @property
    def level_name(self) -> str:
        return str(LEVEL_NAMES[self.level])


class TeamDuty(Base):
    """Who is the team's duty manager today; without a row every manager of the team is."""

    __tablename__ = "team_duty"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship()


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class TeamDutyDay(Base):
    """The team's duty manager rota: who is duty manager on each day of the week (0 is
    Monday). A day of the rota wins over `TeamDuty`; a day with neither goes to every
    manager of the team (`feedback.alerts.services.duty_manager`)."""

    __tablename__ = "team_duty_day"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="duty_weekday"),)

    team_id: Mapped[int] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    weekday: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship()
