from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.db import Base


class Response(Base):
    """One person's answers to one questionnaire: a draft until it is sent.

    An anonymous response carries no case and no invitation: who took part is recorded
    on the invitation, apart from what they said, and the CHECK makes that a rule of the
    schema rather than a habit of the code.
    """

    __tablename__ = "response"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted')", name="response_status"),
        CheckConstraint(
            "NOT anonymous OR (case_id IS NULL AND invitation_id IS NULL)",
            name="anonymous_has_no_respondent",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), unique=True
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    questionnaire_code: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # Consent to quote free text (without a name) in reports; None until asked.
    quote_consent: Mapped[bool | None] = mapped_column(Boolean)
    started_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # Set by the services, never by the database on update: an anonymous response keeps
    # the day only, and an update to the second would match its invitation's used_at.
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # An optional 4-digit PIN that lets the young person see their saved answers on
    # another device: a slow, keyed hash only, and a count of wrong tries since the last
    # right one, so that changing address does not buy more guesses.
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    pin_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    answers: Mapped[list[Answer]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, back_populates="response"
    )

    def answer_map(self) -> dict[str, object]:
        return {a.question_id: a.value for a in self.answers}


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    # JSON text: an option id, a list of option ids, free text, or "rather-not-say".
    value_json: Mapped[str] = mapped_column(Text)
    # Set by save_answer each time (the day only, for anonymous feedback); never stamped on
    # other updates of the row, such as forgetting who may see it.
    answered_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # A hash of the secret held by the browser session that gave this answer (or proved
    # the PIN): only that session is shown the answer again. Cleared when it leaves.
    viewer_hash: Mapped[str | None] = mapped_column(String(64))
    # The most urgent worry this answer has ever raised ("danger-now", "worrying"): such
    # words are never quoted, even if they are changed afterwards.
    concern: Mapped[str | None] = mapped_column(String(16))
    response: Mapped[Response] = relationship(back_populates="answers")

    @property
    def value(self) -> object:
        return json.loads(self.value_json)
