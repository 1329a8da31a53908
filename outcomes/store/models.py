"""The store's tables: occasions, their scores and comments, and the summaries the
dashboard reads. Every key is drawn at random and no time is finer than the day."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    MappedColumn,
    mapped_column,
    relationship,
)

if TYPE_CHECKING:
    pass

OccasionType = Literal["baseline", "review", "exit"]
RECORD_KEYS = 2**31  # record keys are drawn from 0 to this, less one
OCCASION_TYPES = ("baseline", "review", "exit")


class OutcomesBase(DeclarativeBase):
    # Every model here is mapped to a plain Table (SQLAlchemy types it as any FromClause).
    __table__: ClassVar[Table]


# A row key: 63 random bits. INTEGER on SQLite, so that the key is the row id itself.
RandomKey = BigInteger().with_variant(Integer(), "sqlite")


def random_key() -> int:
    return secrets.randbits(63)


def _key_column(**kwargs: Any) -> MappedColumn[int]:
    return mapped_column(
        RandomKey, primary_key=True, autoincrement=False, default=random_key, **kwargs
    )


def day_of(moment: date | datetime) -> date:
    """What the store keeps of a moment: its day, so that no time in the store lines up
    with a time in the case records."""
    return moment.date() if isinstance(moment, datetime) else moment


class Occasion(OutcomesBase):
    """One scored questionnaire: a young person (or family) at one point in time."""

    __tablename__ = "outcomes_occasion"
    __table_args__ = (
        UniqueConstraint("response_ref", "framework_code", "framework_version"),
        CheckConstraint("occasion_type IN ('baseline', 'review', 'exit')", name="occasion_type"),
        Index(
            "ix_outcomes_occasion_fw_measured", "framework_code", "framework_version", "measured_at"
        ),
        # One person's series: what every write reads back to keep the summaries.
        Index(
            "ix_outcomes_occasion_person",
            "pseudonym",
            "framework_code",
            "framework_version",
            "measured_at",
        ),
    )

    id: Mapped[int] = _key_column()
    pseudonym: Mapped[str] = mapped_column(String(64))
    # A pseudonym of the response too, so rescoring replaces rather than duplicates.
    response_ref: Mapped[str] = mapped_column(String(64))
    framework_code: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[int] = mapped_column(Integer)
    questionnaire_code: Mapped[str] = mapped_column(String(64))
    questionnaire_kind: Mapped[str] = mapped_column(String(32))
    occasion_type: Mapped[str] = mapped_column(String(16))
    measured_at: Mapped[date] = mapped_column(Date)  # the day only
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
    __table_args__ = ({"sqlite_with_rowid": False},)

    occasion_id: Mapped[int] = mapped_column(
        RandomKey, ForeignKey("outcomes_occasion.id", ondelete="CASCADE"), primary_key=True
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

    id: Mapped[int] = _key_column()
    occasion_id: Mapped[int] = mapped_column(
        RandomKey, ForeignKey("outcomes_occasion.id", ondelete="CASCADE")
    )
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
        {"sqlite_with_rowid": False},
    )

    occasion_id: Mapped[int] = mapped_column(
        RandomKey, ForeignKey("outcomes_occasion.id", ondelete="CASCADE"), primary_key=True
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

    id: Mapped[int] = _key_column()
    occasion_id: Mapped[int] = mapped_column(
        RandomKey, ForeignKey("outcomes_occasion.id", ondelete="CASCADE"), index=True
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
    __table_args__ = ({"sqlite_with_rowid": False},)

    comment_id: Mapped[int] = mapped_column(
        RandomKey, ForeignKey("outcomes_comment.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(String(64), primary_key=True)
    domain: Mapped[str] = mapped_column(String(64))
    sentiment: Mapped[str] = mapped_column(String(16))
    comment: Mapped[Comment] = relationship(back_populates="themes")


# --- summaries: what the dashboard reads (see `outcomes.summary`) ---------------------------
#
# Kept up to date in the same transaction as every write of occasions (`record_occasion`,
# `erase_pseudonym`), and rebuilt whole by `rebuild_summaries`. Their key columns are never
# NULL ("" for an unknown gender, "*" for every kind or strand) so that an upsert can find
# a cell by its key.

_KEY = String(64)


class Person(OutcomesBase):
    """A number for each pseudonym, so that counting distinct people compares integers
    (drawn at random, like every key in the store; 31 bits, because the summaries hold it as
    a plain integer), and the person's record key: a random number drawn once, whose sums
    over the people of a cell are that cell's key for the perturbation of
    `outcomes.disclosure`. It is kept for as long as the person is in the store, so a
    rebuild gives the same cells."""

    __tablename__ = "outcomes_person"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    record_key: Mapped[int] = mapped_column(BigInteger)


def new_record_key() -> int:
    return secrets.randbelow(RECORD_KEYS)


class _PersonRow:
    """What both person-level summaries hold besides their key: the framework version
    first in the key, the person last, and who they were (not in the key)."""

    framework_code: Mapped[str] = mapped_column(_KEY, primary_key=True, sort_order=-1)
    framework_version: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    month: Mapped[str] = mapped_column(String(7), primary_key=True, sort_order=1)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True, sort_order=1)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes_person.id", ondelete="CASCADE"), primary_key=True, sort_order=1
    )
    team: Mapped[str] = mapped_column(_KEY, sort_order=2)
    age_band: Mapped[str] = mapped_column(String(16), sort_order=2)
    gender: Mapped[str] = mapped_column(String(32), sort_order=2)
    # The person's record key, beside them, so a cell key is summed without a join.
    record_key: Mapped[int] = mapped_column(BigInteger, sort_order=2)


class PersonMonth(_PersonRow, OutcomesBase):
    """A person who answered in a month, as they were at their latest occasion of the
    kind that month; one row per strand of theirs and one for every strand ("*")."""

    __tablename__ = "outcomes_person_month"
    __table_args__ = (
        Index("ix_outcomes_person_month_person", "person_id"),
        {"sqlite_with_rowid": False},
    )

    strand: Mapped[str] = mapped_column(_KEY, primary_key=True)


class CommentMonth(_PersonRow, OutcomesBase):
    """A person who wrote in a month, and each theme they wrote about with its sentiment
    (theme and sentiment "" for "wrote anything"), as they were at their latest occasion
    of the kind that month; one row per strand of theirs and one for every strand."""

    __tablename__ = "outcomes_comment_month"
    __table_args__ = (
        Index("ix_outcomes_comment_month_person", "person_id"),
        {"sqlite_with_rowid": False},
    )

    strand: Mapped[str] = mapped_column(_KEY, primary_key=True)
    theme: Mapped[str] = mapped_column(_KEY, primary_key=True)
    sentiment: Mapped[str] = mapped_column(String(16), primary_key=True)


class _CellKey:
    """The key columns both kinds of cell share, in the order their primary key (and so
    their b-tree) sorts: the columns every query fixes first, then the period range, then
    what each table groups by (its own columns, sort order 1), then who the people were
    (sort order 2), so that the dashboard's GROUP BY reads the rows in key order."""

    framework_code: Mapped[str] = mapped_column(_KEY, primary_key=True)
    framework_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_type: Mapped[str] = mapped_column(String(8), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    strand: Mapped[str] = mapped_column(_KEY, primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    domain: Mapped[str] = mapped_column(_KEY, primary_key=True)
    team: Mapped[str] = mapped_column(_KEY, primary_key=True, sort_order=2)
    age_band: Mapped[str] = mapped_column(String(16), primary_key=True, sort_order=2)
    gender: Mapped[str] = mapped_column(String(32), primary_key=True, sort_order=2)


class ScoreCell(_CellKey, OutcomesBase):
    """People, scores and their sum per period, domain and who the people were."""

    __tablename__ = "outcomes_score_cell"
    __table_args__ = (
        CheckConstraint("people >= 0", name="score_cell_people"),
        {"sqlite_with_rowid": False},
    )

    # After the shared key (sort_order), so that the key sorts as _CellKey says.
    band: Mapped[str] = mapped_column(String(8), primary_key=True, sort_order=1)
    # A month's cell: "" where the people's quarter holds the same, else their quarter band.
    quarter_band: Mapped[str] = mapped_column(String(8), primary_key=True, sort_order=1)
    people: Mapped[int] = mapped_column(Integer, sort_order=3)
    scores: Mapped[int] = mapped_column(Integer, sort_order=3)
    total: Mapped[int] = mapped_column(BigInteger, sort_order=3)  # sum of scores, millionths
    key_sum: Mapped[int] = mapped_column(BigInteger, sort_order=3)  # of the record keys


class ChangeCell(_CellKey, OutcomesBase):
    """People per period, domain, who they were and their change since baseline."""

    __tablename__ = "outcomes_change_cell"
    __table_args__ = (
        CheckConstraint("people >= 0", name="change_cell_people"),
        {"sqlite_with_rowid": False},
    )

    change: Mapped[int] = mapped_column(BigInteger, primary_key=True, sort_order=1)  # millionths
    # A month's cell: "" the same change in the quarter, "-" none, else the quarter's change.
    quarter_change: Mapped[str] = mapped_column(String(24), primary_key=True, sort_order=1)
    people: Mapped[int] = mapped_column(Integer, sort_order=3)
    key_sum: Mapped[int] = mapped_column(BigInteger, sort_order=3)  # of the record keys
