"""The analytical store: pseudonymised measurements and comments, nothing else.

No names, no case references, no dates of birth. A young person appears only as a keyed
pseudonym (HMAC-SHA256 of the case reference with a secret key held by the host app), so
these tables cannot be joined back to a person without that key. Everything a manager sees
is aggregated from here.

Nor can they be joined back through anything else: no time finer than the day, and
row keys drawn at random, so that neither a key nor the order of the keys follows the
order in which answers were sent. On SQLite every table either uses its random key as
the row id or has none ("WITHOUT ROWID"), so no hidden row id counts the inserts either.

The tables have their own declarative base so that the store can live in a database of
its own; by default it shares the app's.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    MappedColumn,
    Session,
    mapped_column,
    relationship,
)

from outcomes import summary

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

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
    people = _people_of(session, replaced) | {
        (framework_code, framework_version, context.pseudonym)
    }
    before = _contributions(session, people)
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
    _refresh_summaries(session, before)
    return occasion


def erase_pseudonym(session: Session, pseudonym: str) -> int:
    """Remove every occasion (and so every measurement and comment) under a pseudonym,
    and the person from the summaries. Returns how many occasions went. Flushes; the
    caller commits."""
    occasions = select(Occasion.id).where(Occasion.pseudonym == pseudonym)
    before = _contributions(session, _people_of(session, occasions))
    count = _delete_occasions(session, occasions)
    _refresh_summaries(session, before)
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


# --- keeping the summaries up to date -------------------------------------------------------

PersonKey = tuple[str, int, str]  # framework code, framework version, pseudonym


def _people_of(session: Session, occasion_ids: Select[int]) -> set[PersonKey]:
    rows = session.execute(
        select(Occasion.framework_code, Occasion.framework_version, Occasion.pseudonym)
        .where(Occasion.id.in_(occasion_ids))
        .distinct()
    )
    return {(code, version, pseudonym) for code, version, pseudonym in rows}


def _load_facts(
    session: Session, framework_code: str, framework_version: int, pseudonyms: Iterable[str]
) -> dict[str, list[summary.OccasionFacts]]:
    """Each named person's occasions under one framework version, as the summaries need
    them: three queries however many people are asked for."""
    where = (
        Occasion.framework_code == framework_code,
        Occasion.framework_version == framework_version,
        Occasion.pseudonym.in_(list(pseudonyms)),
    )
    ids = select(Occasion.id).where(*where)
    scores: dict[int, dict[str, float]] = {}
    for occasion_id, domain, score in session.execute(
        select(DomainScore.occasion_id, DomainScore.domain, DomainScore.score).where(
            DomainScore.occasion_id.in_(ids)
        )
    ):
        scores.setdefault(occasion_id, {})[domain] = score
    strands: dict[int, list[str]] = {}
    for occasion_id, strand in session.execute(
        select(OccasionStrand.occasion_id, OccasionStrand.strand).where(
            OccasionStrand.occasion_id.in_(ids)
        )
    ):
        strands.setdefault(occasion_id, []).append(strand)
    wrote: set[int] = set()
    themes: dict[int, list[tuple[str, str]]] = {}
    comments = select(Comment.id).where(Comment.occasion_id.in_(ids))
    for occasion_id, theme, sentiment in session.execute(
        select(Comment.occasion_id, CommentTheme.theme, CommentTheme.sentiment)
        .outerjoin(CommentTheme, CommentTheme.comment_id == Comment.id)
        .where(Comment.id.in_(comments))
    ):
        wrote.add(occasion_id)
        if theme is not None:
            themes.setdefault(occasion_id, []).append((theme, sentiment))
    facts: dict[str, list[summary.OccasionFacts]] = {}
    for row in session.execute(
        select(
            Occasion.id,
            Occasion.pseudonym,
            Occasion.measured_at,
            Occasion.questionnaire_kind,
            Occasion.occasion_type,
            Occasion.team,
            Occasion.age_band,
            Occasion.gender,
        ).where(*where)
    ):
        facts.setdefault(row.pseudonym, []).append(
            summary.OccasionFacts(
                id=row.id,
                measured_at=row.measured_at,
                kind=row.questionnaire_kind,
                occasion_type=row.occasion_type,
                team=row.team,
                age_band=row.age_band,
                gender=row.gender,
                strands=tuple(strands.get(row.id, ())),
                scores=scores.get(row.id, {}),
                wrote=row.id in wrote,
                themes=tuple(sorted(set(themes.get(row.id, ())))),
            )
        )
    return facts


def _contributions(
    session: Session, people: set[PersonKey]
) -> dict[PersonKey, summary.Contribution]:
    by_framework: dict[tuple[str, int], set[str]] = {}
    for code, version, pseudonym in people:
        by_framework.setdefault((code, version), set()).add(pseudonym)
    out: dict[PersonKey, summary.Contribution] = {}
    for (code, version), pseudonyms in by_framework.items():
        facts = _load_facts(session, code, version, pseudonyms)
        for pseudonym in pseudonyms:
            out[(code, version, pseudonym)] = summary.contribution(facts.get(pseudonym, ()))
    return out


# One row's values by column name: the parameters of an insert, an update or a delete.
RowValues = dict[str, Any]
_Key = TypeVar("_Key", summary.ScoreKey, summary.ChangeKey)


def _add_to_cells(
    session: Session, table: Table, rows: list[RowValues], add: tuple[str, ...]
) -> None:
    """Add each row's `add` columns (people first) to its cell, and delete the cells left
    with nobody. A row that brings a person in may make the cell (an upsert); one that
    takes away or changes a person's numbers finds the cell there already (an update), so
    the CHECK that people is never negative stays a guard."""
    _upsert(session, table, [row for row in rows if row["people"] > 0], add)
    shrinking = [row for row in rows if row["people"] <= 0]
    if not shrinking:
        return
    keys = [c.name for c in table.primary_key.columns]
    same_key = [table.c[k] == bindparam(f"key_{k}") for k in keys]
    params = [
        {**{f"key_{k}": row[k] for k in keys}, **{f"add_{c}": row[c] for c in add}}
        for row in shrinking
    ]
    connection = _connection(session, table)
    connection.execute(
        update(table).where(*same_key).values({c: table.c[c] + bindparam(f"add_{c}") for c in add}),
        params,
    )
    emptied = [{f"key_{k}": row[k] for k in keys} for row in shrinking if row["people"] < 0]
    if emptied:
        connection.execute(delete(table).where(*same_key, table.c.people == 0), emptied)


def _connection(session: Session, table: Table) -> Connection:
    """The session's connection to the database that holds ``table``: the store may
    have a database of its own."""
    return session.connection(bind_arguments={"clause": table})


def insert_for(dialect: str, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for `table` in the dialect's own kind, which has the ON CONFLICT methods
    the common Insert lacks: for the upserts of the store and of the app alike."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise NotImplementedError(f"no upsert for {dialect}")  # pragma: no cover


def _upsert(
    session: Session, table: Table, rows: list[RowValues], add: tuple[str, ...] = ()
) -> None:
    """Insert rows; where a row's key is there already, add to its `add` columns (or,
    with none, leave it). Safe against a concurrent writer doing the same."""
    if not rows:
        return
    statement = insert_for(_connection(session, table).dialect.name, table)
    keys = [c.name for c in table.primary_key.columns] if add else None
    if add:
        statement = statement.on_conflict_do_update(
            index_elements=keys,
            set_={name: table.c[name] + statement.excluded[name] for name in add},
        )
    else:
        statement = statement.on_conflict_do_nothing()
    session.execute(statement, rows)


def _person_ids(session: Session, pseudonyms: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Each pseudonym's person number and record key, making the person where new with a
    number drawn at random (a number drawn twice is refused by the key and drawn again);
    an existing person keeps their number and key."""
    wanted = set(pseudonyms)
    ids: dict[str, tuple[int, int]] = {}
    while missing := sorted(wanted - ids.keys()):
        _upsert(
            session,
            Person.__table__,
            [
                {
                    "id": secrets.randbelow(2**31 - 1) + 1,
                    "pseudonym": p,
                    "record_key": new_record_key(),
                }
                for p in missing
            ],
        )
        query = select(Person.pseudonym, Person.id, Person.record_key).where(
            Person.pseudonym.in_(missing)
        )
        ids.update(
            {pseudonym: (person_id, key) for pseudonym, person_id, key in session.execute(query)}
        )
    return ids


_SCORE_KEY = (
    "period_type",
    "period",
    "domain",
    "kind",
    "strand",
    "team",
    "age_band",
    "gender",
    "band",
    "quarter_band",
)
_CHANGE_KEY = (*_SCORE_KEY[:-2], "change", "quarter_change")
_MONTH_COLUMNS = ("month", "kind", "strand", "team", "age_band", "gender")
_COMMENT_COLUMNS = (*_MONTH_COLUMNS, "theme", "sentiment")


def _score_rows(
    framework_code: str, framework_version: int, cells: Mapping[summary.ScoreKey, list[int]]
) -> list[RowValues]:
    """``cells``: {key: [people, scores, total, key_sum]}."""
    base = {"framework_code": framework_code, "framework_version": framework_version}
    return [
        {
            **base,
            **dict(zip(_SCORE_KEY, key, strict=True)),
            "people": people,
            "scores": n,
            "total": total,
            "key_sum": key_sum,
        }
        for key, (people, n, total, key_sum) in cells.items()
    ]


def _change_rows(
    framework_code: str, framework_version: int, cells: Mapping[summary.ChangeKey, list[int]]
) -> list[RowValues]:
    """``cells``: {key: [people, key_sum]}."""
    base = {"framework_code": framework_code, "framework_version": framework_version}
    return [
        {
            **base,
            **dict(zip(_CHANGE_KEY, key, strict=True)),
            "people": people,
            "key_sum": key_sum,
        }
        for key, (people, key_sum) in cells.items()
    ]


def _keyed(
    contribution: summary.Contribution, key: int
) -> tuple[dict[summary.ScoreKey, list[int]], dict[summary.ChangeKey, list[int]]]:
    """A person's cells with their record key added once for each person they add."""
    scores = {k: [p, n, total, p * key] for k, (p, n, total) in contribution.scores.items()}
    changes = {k: [p, p * key] for k, p in contribution.changes.items()}
    return scores, changes


def _add_into(into: dict[_Key, list[int]], cells: Mapping[_Key, list[int]]) -> None:
    for key, values in cells.items():
        cell = into.setdefault(key, [0] * len(values))
        for i, value in enumerate(values):
            cell[i] += value


def _person_rows(
    framework_code: str,
    framework_version: int,
    person_id: int,
    record_key: int,
    rows: Iterable[tuple[str, ...]],
    columns: tuple[str, ...],
) -> list[RowValues]:
    base = {
        "framework_code": framework_code,
        "framework_version": framework_version,
        "person_id": person_id,
        "record_key": record_key,
    }
    return [{**base, **dict(zip(columns, row, strict=True))} for row in rows]


# A person's rows in each person-level table, from their contribution.
_PersonModel = type[PersonMonth] | type[CommentMonth]
_PER_PERSON: tuple[
    tuple[
        _PersonModel,
        tuple[str, ...],
        Callable[[summary.Contribution], AbstractSet[tuple[str, ...]]],
    ],
    ...,
] = (
    (PersonMonth, _MONTH_COLUMNS, lambda contribution: contribution.months),
    (CommentMonth, _COMMENT_COLUMNS, lambda contribution: contribution.comments),
)


def _refresh_summaries(session: Session, before: dict[PersonKey, summary.Contribution]) -> None:
    """Take each person's old contribution out of the summaries and put their new one in.
    ``before`` is what `_contributions` said before the occasions changed."""
    after = _contributions(session, set(before))
    people = _person_ids(session, [p for (_c, _v, p) in before])
    for (code, version, pseudonym), old in before.items():
        new = after[(code, version, pseudonym)]
        person, key = people[pseudonym]
        old_scores, old_changes = _keyed(old, key)
        new_scores, new_changes = _keyed(new, key)
        score_add = ("people", "scores", "total", "key_sum")
        score_delta = _delta(old_scores, new_scores, len(score_add))
        score_rows = _score_rows(code, version, score_delta)
        _add_to_cells(session, ScoreCell.__table__, score_rows, score_add)
        change_add = ("people", "key_sum")
        change_delta = _delta(old_changes, new_changes, len(change_add))
        change_rows = _change_rows(code, version, change_delta)
        _add_to_cells(session, ChangeCell.__table__, change_rows, change_add)
        for model, columns, rows_of in _PER_PERSON:
            if rows_of(old) == rows_of(new):
                continue
            session.execute(
                delete(model).where(
                    model.framework_code == code,
                    model.framework_version == version,
                    model.person_id == person,
                )
            )
            rows = _person_rows(code, version, person, key, rows_of(new), columns)
            if rows:
                session.execute(insert(model), rows)


def _delta(
    was: Mapping[_Key, list[int]], now: Mapping[_Key, list[int]], width: int
) -> dict[_Key, list[int]]:
    """What changed in each cell, of ``width`` numbers, from ``was`` to ``now``."""
    delta: dict[_Key, list[int]] = {}
    for cell in was.keys() | now.keys():
        o, n = was.get(cell, [0] * width), now.get(cell, [0] * width)
        change = [b - a for a, b in zip(o, n, strict=True)]
        if any(change):
            delta[cell] = change
    return delta


def rebuild_summaries(session: Session, batch: int = 500) -> int:
    """Build every summary afresh from the occasions: after a bulk load or a migration.
    Returns how many people are in the store. Flushes; the caller commits.

    People keep their number and record key (so the same occasions give the same cells);
    a person with no occasions left goes."""
    for model in (ScoreCell, ChangeCell, PersonMonth, CommentMonth):
        session.execute(delete(model))
    session.execute(
        delete(Person).where(Person.pseudonym.not_in(select(Occasion.pseudonym).distinct()))
    )
    pseudonyms = list(session.scalars(select(Occasion.pseudonym).distinct()))
    people: dict[str, tuple[int, int]] = {}
    for start in range(0, len(pseudonyms), batch):
        people.update(_person_ids(session, pseudonyms[start : start + batch]))
    frameworks = session.execute(
        select(Occasion.framework_code, Occasion.framework_version).distinct()
    ).all()
    for code, version in frameworks:
        of_framework = list(
            session.scalars(
                select(Occasion.pseudonym)
                .where(Occasion.framework_code == code, Occasion.framework_version == version)
                .distinct()
            )
        )
        # One accumulator for everybody's cells: a rebuild sums the contributions of every
        # person, as the writes did one at a time.
        scores: dict[summary.ScoreKey, list[int]] = {}
        changes: dict[summary.ChangeKey, list[int]] = {}
        for start in range(0, len(of_framework), batch):
            facts = _load_facts(session, code, version, of_framework[start : start + batch])
            people_rows: dict[_PersonModel, list[RowValues]] = {
                model: [] for model, _c, _r in _PER_PERSON
            }
            for pseudonym, occasions in facts.items():
                person, key = people[pseudonym]
                one = summary.contribution(occasions)
                keyed_scores, keyed_changes = _keyed(one, key)
                _add_into(scores, keyed_scores)
                _add_into(changes, keyed_changes)
                for model, columns, rows_of in _PER_PERSON:
                    people_rows[model].extend(
                        _person_rows(code, version, person, key, rows_of(one), columns)
                    )
            for model, rows in people_rows.items():
                _insert_sorted(session, model.__table__, rows)
        _insert_sorted(session, ScoreCell.__table__, _score_rows(code, version, scores))
        _insert_sorted(session, ChangeCell.__table__, _change_rows(code, version, changes))
    session.flush()
    return len(pseudonyms)


def _insert_sorted(session: Session, table: Table, rows: list[RowValues]) -> None:
    """A bulk insert straight through the driver: the rows are plain strings and numbers,
    and a rebuild can write hundreds of thousands of them. In key order, so that each
    insert lands at the end of the table's b-tree."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    rows.sort(key=lambda row: tuple(row[k] for k in keys))
    connection = _connection(session, table)
    compiled = insert(table).compile(dialect=connection.dialect)
    if compiled.positional:
        names = compiled.positiontup
        assert names is not None  # a positional statement knows its parameters' order
        connection.exec_driver_sql(str(compiled), [tuple(row[n] for n in names) for row in rows])
    else:
        connection.exec_driver_sql(str(compiled), rows)


def summary_counts(session: Session) -> dict[str, int]:
    """Rows in each summary table, for the benchmark and for checking a rebuild."""
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Person, PersonMonth, CommentMonth, ScoreCell, ChangeCell)
    }


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
    before = _contributions(
        session, {(occasion.framework_code, occasion.framework_version, occasion.pseudonym)}
    )
    written = _add_comments(session, occasion, comments)
    _refresh_summaries(session, before)
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
