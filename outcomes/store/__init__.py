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

By job: `models` (the tables), `pseudonym` (case reference to pseudonym), `writes` (record
and erase occasions and comments), `summaries` (keep the dashboard's summaries in step,
and rebuild them), `upsert` (many rows at once on either database).
"""

from outcomes.store.models import (
    OCCASION_TYPES,
    RECORD_KEYS,
    ChangeCell,
    Comment,
    CommentMonth,
    CommentTheme,
    DomainScore,
    Measurement,
    Occasion,
    OccasionStrand,
    OccasionType,
    OutcomesBase,
    Person,
    PersonMonth,
    ScoreCell,
    day_of,
    new_record_key,
    random_key,
)
from outcomes.store.pseudonym import pseudonymise
from outcomes.store.summaries import rebuild_summaries, summary_counts
from outcomes.store.upsert import insert_for
from outcomes.store.writes import (
    Context,
    NewComment,
    ThemeRow,
    erase_pseudonym,
    record_comment,
    record_comments,
    record_occasion,
)

__all__ = [
    "OCCASION_TYPES",
    "RECORD_KEYS",
    "ChangeCell",
    "Comment",
    "CommentMonth",
    "CommentTheme",
    "Context",
    "DomainScore",
    "Measurement",
    "NewComment",
    "Occasion",
    "OccasionStrand",
    "OccasionType",
    "OutcomesBase",
    "Person",
    "PersonMonth",
    "ScoreCell",
    "ThemeRow",
    "day_of",
    "erase_pseudonym",
    "insert_for",
    "new_record_key",
    "pseudonymise",
    "random_key",
    "rebuild_summaries",
    "record_comment",
    "record_comments",
    "record_occasion",
    "summary_counts",
]
