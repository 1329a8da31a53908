"""Keeping the summaries the dashboard reads up to date with the occasions, in the same
transaction as each write, and rebuilding them whole."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import (
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from outcomes import summary
from outcomes.store.models import (
    ChangeCell,
    Comment,
    CommentMonth,
    CommentTheme,
    DomainScore,
    Occasion,
    OccasionStrand,
    Person,
    PersonMonth,
    ScoreCell,
    new_record_key,
)
from outcomes.store.upsert import RowValues, connection_for, insert_sorted, upsert

_Key = TypeVar("_Key", summary.ScoreKey, summary.ChangeKey)

if TYPE_CHECKING:
    pass

# --- keeping the summaries up to date -------------------------------------------------------

PersonKey = tuple[str, int, str]  # framework code, framework version, pseudonym


def people_of(session: Session, occasion_ids: Select[int]) -> set[PersonKey]:
    rows = session.execute(
        select(Occasion.framework_code, Occasion.framework_version, Occasion.pseudonym)
        .where(Occasion.id.in_(occasion_ids))
        .distinct()
    )
    return {(code, version, pseudonym) for code, version, pseudonym in rows}


def load_facts(
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
    for occasion_id, comment_sentiment, theme, sentiment in session.execute(
        select(Comment.occasion_id, Comment.sentiment, CommentTheme.theme, CommentTheme.sentiment)
        .outerjoin(CommentTheme, CommentTheme.comment_id == Comment.id)
        .where(Comment.id.in_(comments))
    ):
        wrote.add(occasion_id)
        if theme is not None:
            themes.setdefault(occasion_id, []).append((theme, sentiment))
        if comment_sentiment == summary.NOT_ANALYSED:
            themes.setdefault(occasion_id, []).append(summary.WROTE_ANOTHER_LANGUAGE)
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


def contributions(
    session: Session, people: set[PersonKey]
) -> dict[PersonKey, summary.Contribution]:
    by_framework: dict[tuple[str, int], set[str]] = {}
    for code, version, pseudonym in people:
        by_framework.setdefault((code, version), set()).add(pseudonym)
    out: dict[PersonKey, summary.Contribution] = {}
    for (code, version), pseudonyms in by_framework.items():
        facts = load_facts(session, code, version, pseudonyms)
        for pseudonym in pseudonyms:
            out[(code, version, pseudonym)] = summary.contribution(facts.get(pseudonym, ()))
    return out


def _add_to_cells(
    session: Session, table: Table, rows: list[RowValues], add: tuple[str, ...]
) -> None:
    """Add each row's `add` columns (people first) to its cell, and delete the cells left
    with nobody. A row that brings a person in may make the cell (an upsert); one that
    takes away or changes a person's numbers finds the cell there already (an update), so
    the CHECK that people is never negative stays a guard."""
    upsert(session, table, [row for row in rows if row["people"] > 0], add)
    shrinking = [row for row in rows if row["people"] <= 0]
    if not shrinking:
        return
    keys = [c.name for c in table.primary_key.columns]
    same_key = [table.c[k] == bindparam(f"key_{k}") for k in keys]
    params = [
        {**{f"key_{k}": row[k] for k in keys}, **{f"add_{c}": row[c] for c in add}}
        for row in shrinking
    ]
    connection = connection_for(session, table)
    connection.execute(
        update(table).where(*same_key).values({c: table.c[c] + bindparam(f"add_{c}") for c in add}),
        params,
    )
    emptied = [{f"key_{k}": row[k] for k in keys} for row in shrinking if row["people"] < 0]
    if emptied:
        connection.execute(delete(table).where(*same_key, table.c.people == 0), emptied)


def _person_ids(session: Session, pseudonyms: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Each pseudonym's person number and record key, making the person where new with a
    number drawn at random (a number drawn twice is refused by the key and drawn again);
    an existing person keeps their number and key."""
    wanted = set(pseudonyms)
    ids: dict[str, tuple[int, int]] = {}
    while missing := sorted(wanted - ids.keys()):
        upsert(
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


def refresh(session: Session, before: dict[PersonKey, summary.Contribution]) -> None:
    """Take each person's old contribution out of the summaries and put their new one in.
    ``before`` is what `contributions` said before the occasions changed."""
    after = contributions(session, set(before))
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
            facts = load_facts(session, code, version, of_framework[start : start + batch])
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
                insert_sorted(session, model.__table__, rows)
        insert_sorted(session, ScoreCell.__table__, _score_rows(code, version, scores))
        insert_sorted(session, ChangeCell.__table__, _change_rows(code, version, changes))
    session.flush()
    return len(pseudonyms)


def summary_counts(session: Session) -> dict[str, int]:
    """Rows in each summary table, for the benchmark and for checking a rebuild."""
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Person, PersonMonth, CommentMonth, ScoreCell, ChangeCell)
    }
