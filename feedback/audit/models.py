from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from feedback.audit.actions import ACTIONS
from feedback.db import Base
from feedback.i18n import s_


def action_words(code: str) -> str:
    """An action code as the audit log shows it: its words in the staff language."""
    return s_(ACTIONS[code]) if code in ACTIONS else code


class AuditEvent(Base):
    """One thing a person did with data. Never holds a young person's words or name."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"), Index("ix_audit_event_action", "action"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    # Kept as text too, so the record outlives the account.
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    # JSON: the filters of a view or export, or the step of an alert.
    detail: Mapped[str] = mapped_column(Text, default="{}")

    @property
    def action_in_words(self) -> str:
        """What was done, in the staff language (the code where an old row's action has
        no words any more)."""
        return action_words(self.action)

    @property
    def target_in_words(self) -> str:
        """What the event was about, in the staff language: kept as "case 9" (a kind and
        a reference), shown as the kind's words with the reference."""
        kind, _space, ref = self.target.rpartition(" ")
        words = {
            "case": lambda: s_("case %(ref)s", ref=ref),
            "alert": lambda: s_("alert %(ref)s", ref=ref),
            "staff": lambda: s_("staff %(ref)s", ref=ref),
            "team": lambda: s_("team %(ref)s", ref=ref),
            "talk request": lambda: s_("talk request %(ref)s", ref=ref),
            "note": lambda: s_("note %(ref)s", ref=ref),
            "setting": lambda: s_("setting %(ref)s", ref=ref),
            "monthly report": lambda: s_("monthly report %(ref)s", ref=ref),
        }
        whole = {
            "dashboard": lambda: s_("dashboard"),
            "retention": lambda: s_("retention"),
            "a case": lambda: s_("a case"),
        }
        if self.target in whole:
            return whole[self.target]()
        return words[kind]() if kind in words else self.target
