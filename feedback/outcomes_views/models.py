"""Case facts a practitioner records, and a young person's own goals with their ratings.

These are app tables (identifiable, beside the case); only their scores reach the
pseudonymised store, when a response is scored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.db import Base

MAX_MISSING_EPISODES = 99
GOAL_TEXT_MAX = 200
MAX_GOALS = 3


class CaseFacts(Base):
    """What the worker knows about the case at one check-in point."""

    __tablename__ = "case_facts"
    __table_args__ = (
        CheckConstraint(
            f"missing_episodes >= 0 AND missing_episodes <= {MAX_MISSING_EPISODES}",
            name="case_facts_missing_episodes",
        ),
        CheckConstraint("in_education IN ('yes', 'partly', 'no')", name="case_facts_in_education"),
        CheckConstraint(
            "living_at_home IN ('home', 'placement')", name="case_facts_living_at_home"
        ),
        CheckConstraint("in_borough IN ('in', 'out')", name="case_facts_in_borough"),
        Index("ix_case_facts_case_recorded", "case_id", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    missing_episodes: Mapped[int] = mapped_column(Integer)
    in_education: Mapped[str] = mapped_column(String(8))
    living_at_home: Mapped[str] = mapped_column(String(16))
    in_borough: Mapped[str] = mapped_column(String(8))


class Goal(Base):
    """A goal the young person set for themselves; shared only with their worker."""

    __tablename__ = "goal"
    __table_args__ = (Index("ix_goal_case", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(GOAL_TEXT_MAX))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    ratings: Mapped[list[GoalRating]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", passive_deletes=True
    )


class GoalRating(Base):
    """How far along a goal is (0 not started, 10 done), given at one check-in."""

    __tablename__ = "goal_rating"
    __table_args__ = (
        UniqueConstraint("goal_id", "response_id"),
        CheckConstraint("rating >= 0 AND rating <= 10", name="goal_rating_range"),
        Index("ix_goal_rating_response", "response_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)
    rated_at: Mapped[datetime] = mapped_column(DateTime)

    goal: Mapped[Goal] = relationship(back_populates="ratings")
