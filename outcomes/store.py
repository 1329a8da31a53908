"""The analytical store: pseudonymised measurements and comments, nothing else.

No names, no case references, no dates of birth. A young person appears only as a keyed
pseudonym (HMAC-SHA256 of the case reference with a secret key held by the host app), so
these tables cannot be joined back to a person without that key. Everything a manager sees
is aggregated from here.

The tables have their own declarative base so that the store can live in a database of
its own; by default it shares the app's.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

OccasionType = Literal["baseline", "review", "exit"]
OCCASION_TYPES = ("baseline", "review", "exit")


class OutcomesBase(DeclarativeBase):
    pass


def pseudonymise(key: bytes, value: str) -> str:
    """A stable pseudonym for a case reference (or any identifier) under one secret key."""
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


class Occasion(OutcomesBase):
    """One scored questionnaire: a young person (or family) at one point in time."""

    __tablename__ = "outcomes_occasion"
    __table_args__ = (
        UniqueConstraint("response_ref", "framework_code", "framework_version"),
        CheckConstraint("occasion_type IN ('baseline', 'review', 'exit')", name="occasion_type"),
        Index(
            "ix_outcomes_occasion_fw_measured", "framework_code", "framework_version", "measured_at"
        ),
        Index("ix_outcomes_occasion_pseudonym", "pseudonym"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64))
    # A pseudonym of the response too, so rescoring replaces rather than duplicates.
    response_ref: Mapped[str] = mapped_column(String(64))
    framework_code: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[int] = mapped_column(Integer)
    questionnaire_code: Mapped[str] = mapped_column(String(64))
    questionnaire_kind: Mapped[str] = mapped_column(String(32))
    occasion_type: Mapped[str] = mapped_column(String(16))
    measured_at: Mapped[datetime] = mapped_column(DateTime)
    team: Mapped[str] = mapped_column(String(64))
    age_band: Mapped[str] = mapped_column(String(16))
    gender: Mapped[str | None] = mapped_column(String(32))

    strands: Mapped[list[OccasionStrand]] = relationship(
        back_populates="occasion", cascade="all, delete-orphan", passive_deletes=True
    )
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="occasion", cascade="all, delete-orphan", passive_deletes=True
    )
    domain_scores: Mapped[list[DomainScore]] = relationship(
        back_populates="occasion", cascade="all, delete-orphan", passive_deletes=True
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="occasion", cascade="all, delete-orphan", passive_deletes=True
    )


class OccasionStrand(OutcomesBase):
    __tablename__ = "outcomes_occasion_strand"

    occasion_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes_occasion.id", ondelete="CASCADE"), primary_key=True
    )
    strand: Mapped[str] = mapped_column(String(64), primary_key=True)
    occasion: Mapped[Occasion] = relationship(back_populates="strands")


class Measurement(OutcomesBase):
    """One indicator score (0-100) on one occasion."""

    __tablename__ = "outcomes_measurement"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 100", name="score_range"),
        Index("ix_outcomes_measurement_occasion", "occasion_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion_id: Mapped[int] = mapped_column(ForeignKey("outcomes_occasion.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(128))
    domain: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    occasion: Mapped[Occasion] = relationship(back_populates="measurements")


class DomainScore(OutcomesBase):
    """A domain's score on one occasion; absent where too few indicators were answered."""

    __tablename__ = "outcomes_domain_score"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 100", name="domain_score_range"),
        Index("ix_outcomes_domain_score_domain", "domain", "occasion_id"),
    )

    occasion_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes_occasion.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    occasion: Mapped[Occasion] = relationship(back_populates="domain_scores")


class Comment(OutcomesBase):
    """What a free-text answer said, as themes and sentiment.

    The words themselves are kept only as a redacted quote, and only with the writer's
    consent to be quoted.
    """

    __tablename__ = "outcomes_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes_occasion.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(64))
    sentiment: Mapped[str] = mapped_column(String(16))
    polarity: Mapped[float] = mapped_column(Float)
    quote: Mapped[str | None] = mapped_column(Text)
    occasion: Mapped[Occasion] = relationship(back_populates="comments")
    themes: Mapped[list[CommentTheme]] = relationship(
        back_populates="comment", cascade="all, delete-orphan", passive_deletes=True
    )


class CommentTheme(OutcomesBase):
    __tablename__ = "outcomes_comment_theme"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes_comment.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(String(64), primary_key=True)
    domain: Mapped[str] = mapped_column(String(64))
    sentiment: Mapped[str] = mapped_column(String(16))
    comment: Mapped[Comment] = relationship(back_populates="themes")


@dataclass(frozen=True)
class Context:
    """Who an occasion is about, in the only terms the store may hold."""

    pseudonym: str
    response_ref: str
    team: str
    age_band: str
    strands: tuple[str, ...]
    gender: str | None = None


def record_occasion(
    session: Session,
    context: Context,
    *,
    framework_code: str,
    framework_version: int,
    questionnaire_code: str,
    questionnaire_kind: str,
    occasion_type: OccasionType,
    measured_at: datetime,
    indicator_scores: dict[str, float],
    domain_scores: dict[str, float | None],
) -> Occasion:
    """Write one occasion's scores, replacing any earlier scoring of the same response
    under the same framework version. Flushes; the caller commits."""
    if occasion_type not in OCCASION_TYPES:
        raise ValueError(f"unknown occasion type {occasion_type!r}")
    _delete_occasions(
        session,
        select(Occasion.id).where(
            Occasion.response_ref == context.response_ref,
            Occasion.framework_code == framework_code,
            Occasion.framework_version == framework_version,
        ),
    )
    occasion = Occasion(
        pseudonym=context.pseudonym,
        response_ref=context.response_ref,
        framework_code=framework_code,
        framework_version=framework_version,
        questionnaire_code=questionnaire_code,
        questionnaire_kind=questionnaire_kind,
        occasion_type=occasion_type,
        measured_at=measured_at,
        team=context.team,
        age_band=context.age_band,
        gender=context.gender,
        strands=[OccasionStrand(strand=s) for s in sorted(set(context.strands))],
        measurements=[
            Measurement(indicator=code, domain=code.split(".", 1)[0], score=score)
            for code, score in sorted(indicator_scores.items())
        ],
        domain_scores=[
            DomainScore(domain=d, score=s)
            for d, s in sorted(domain_scores.items())
            if s is not None
        ],
    )
    session.add(occasion)
    session.flush()
    return occasion


def erase_pseudonym(session: Session, pseudonym: str) -> int:
    """Remove every occasion (and so every measurement and comment) under a pseudonym.
    Returns how many occasions went. Flushes; the caller commits."""
    count = _delete_occasions(session, select(Occasion.id).where(Occasion.pseudonym == pseudonym))
    session.flush()
    return count


def _delete_occasions(session: Session, occasion_ids) -> int:
    # Children are deleted explicitly rather than left to ON DELETE CASCADE, because
    # SQLite enforces foreign keys only when the host connection asks it to.
    ids = session.scalars(occasion_ids).all()
    if not ids:
        return 0
    session.execute(
        delete(CommentTheme).where(
            CommentTheme.comment_id.in_(select(Comment.id).where(Comment.occasion_id.in_(ids)))
        )
    )
    for model in (Comment, Measurement, DomainScore, OccasionStrand):
        session.execute(delete(model).where(model.occasion_id.in_(ids)))
    session.execute(delete(Occasion).where(Occasion.id.in_(ids)))
    session.expire_all()
    return len(ids)


@dataclass(frozen=True)
class ThemeRow:
    code: str
    domain: str
    sentiment: str


def record_comment(
    session: Session,
    occasion: Occasion,
    *,
    question: str,
    sentiment: str,
    polarity: float,
    themes: tuple[ThemeRow, ...],
    quote: str | None,
) -> Comment:
    """What one free-text answer said, as themes and sentiment; the quote only if the
    writer agreed, already redacted by the caller. Flushes; the caller commits."""
    seen: dict[str, ThemeRow] = {}
    for theme in themes:
        # One row a theme: a mixed mention counts once, with its first sentiment.
        seen.setdefault(theme.code, theme)
    comment = Comment(
        occasion_id=occasion.id,
        question=question,
        sentiment=sentiment,
        polarity=polarity,
        quote=quote,
        themes=[
            CommentTheme(theme=t.code, domain=t.domain, sentiment=t.sentiment)
            for t in seen.values()
        ],
    )
    session.add(comment)
    session.flush()
    return comment
