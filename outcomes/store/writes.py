"""The write path: one call records an occasion with its scores and comments, one erases
a pseudonym; each updates the summaries once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Select,
    delete,
    select,
)
from sqlalchemy.orm import Session

from outcomes.store import summaries
from outcomes.store.models import (
    OCCASION_TYPES,
    Comment,
    CommentTheme,
    DomainScore,
    Measurement,
    Occasion,
    OccasionStrand,
    OccasionType,
    Person,
    day_of,
)

if TYPE_CHECKING:
    pass


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
    measured_at: date | datetime,
    indicator_scores: dict[str, float],
    domain_scores: dict[str, float | None],
    comments: Sequence[NewComment] = (),
) -> Occasion:
    """Write one occasion's scores and the comments on its free-text answers, replacing
    any earlier scoring of the same response under the same framework version, with one
    update of the summaries for it all. Flushes; the caller commits."""
    if occasion_type not in OCCASION_TYPES:
        raise ValueError(f"unknown occasion type {occasion_type!r}")
    replaced = select(Occasion.id).where(
        Occasion.response_ref == context.response_ref,
        Occasion.framework_code == framework_code,
        Occasion.framework_version == framework_version,
    )
    people = summaries.people_of(session, replaced) | {
        (framework_code, framework_version, context.pseudonym)
    }
    before = summaries.contributions(session, people)
    _delete_occasions(session, replaced)
    occasion = Occasion(
        pseudonym=context.pseudonym,
        response_ref=context.response_ref,
        framework_code=framework_code,
        framework_version=framework_version,
        questionnaire_code=questionnaire_code,
        questionnaire_kind=questionnaire_kind,
        occasion_type=occasion_type,
        measured_at=day_of(measured_at),
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
    _add_comments(session, occasion, comments)
    summaries.refresh(session, before)
    return occasion


def erase_pseudonym(session: Session, pseudonym: str) -> int:
    """Remove every occasion (and so every measurement and comment) under a pseudonym,
    and the person from the summaries. Returns how many occasions went. Flushes; the
    caller commits."""
    occasions = select(Occasion.id).where(Occasion.pseudonym == pseudonym)
    before = summaries.contributions(session, summaries.people_of(session, occasions))
    count = _delete_occasions(session, occasions)
    summaries.refresh(session, before)
    session.execute(delete(Person).where(Person.pseudonym == pseudonym))
    session.flush()
    return count


def _delete_occasions(session: Session, occasion_ids: Select[int]) -> int:
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


@dataclass(frozen=True)
class NewComment:
    """What one free-text answer said: themes and sentiment, and the quote only if the
    writer agreed, already redacted by the caller."""

    question: str
    sentiment: str
    polarity: float
    themes: tuple[ThemeRow, ...]
    quote: str | None


def record_comments(
    session: Session, occasion: Occasion, comments: Sequence[NewComment]
) -> list[Comment]:
    """Every free-text answer of one occasion, with one update of the summaries for them
    all. Flushes; the caller commits."""
    if not comments:
        return []
    before = summaries.contributions(
        session, {(occasion.framework_code, occasion.framework_version, occasion.pseudonym)}
    )
    written = _add_comments(session, occasion, comments)
    summaries.refresh(session, before)
    return written


def _add_comments(
    session: Session, occasion: Occasion, comments: Sequence[NewComment]
) -> list[Comment]:
    written: list[Comment] = []
    if not comments:
        return written
    for new in comments:
        seen: dict[str, ThemeRow] = {}
        for theme in new.themes:
            # One row a theme: a mixed mention counts once, with its first sentiment.
            seen.setdefault(theme.code, theme)
        comment = Comment(
            occasion_id=occasion.id,
            question=new.question,
            sentiment=new.sentiment,
            polarity=new.polarity,
            quote=new.quote,
            themes=[
                CommentTheme(theme=t.code, domain=t.domain, sentiment=t.sentiment)
                for t in seen.values()
            ],
        )
        session.add(comment)
        written.append(comment)
    session.flush()
    return written


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
    """One free-text answer (see `record_comments`). Flushes; the caller commits."""
    (comment,) = record_comments(
        session, occasion, [NewComment(question, sentiment, polarity, themes, quote)]
    )
    return comment
