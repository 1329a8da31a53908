"""the store keeps days and random keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 19:40:00

The occasions, their measurements, scores, strands and comments are copied into tables
whose keys are drawn at random, in a shuffled order, with the day of each occasion only:
their old keys counted the answers as they were sent, and their times matched the
responses' to the microsecond. On SQLite the tables without a key of their own are made
WITHOUT ROWID, so that no hidden row id counts the inserts either. The summaries are
emptied and their people numbered afresh at random when `flask db upgrade` rebuilds them
(`feedback.cli.upgrade_database`).
"""

import random
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

RANDOM_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CHILDREN = (
    "outcomes_comment_theme",
    "outcomes_comment",
    "outcomes_measurement",
    "outcomes_domain_score",
    "outcomes_occasion_strand",
)
SUMMARIES = (
    "outcomes_person_month",
    "outcomes_comment_month",
    "outcomes_score_cell",
    "outcomes_change_cell",
    "outcomes_person",
)


def _create_tables(key, moment, rowid: bool, autoincrement: bool) -> None:
    """The six tables of occasions, with keys of type ``key`` and times of type
    ``moment``; ``rowid`` False makes the keyless ones WITHOUT ROWID on SQLite."""
    without = {} if rowid else {"sqlite_with_rowid": False}
    op.create_table(
        "outcomes_occasion",
        sa.Column("id", key, nullable=False, autoincrement=autoincrement),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("response_ref", sa.String(length=64), nullable=False),
        sa.Column("framework_code", sa.String(length=64), nullable=False),
        sa.Column("framework_version", sa.Integer(), nullable=False),
        sa.Column("questionnaire_code", sa.String(length=64), nullable=False),
        sa.Column("questionnaire_kind", sa.String(length=32), nullable=False),
        sa.Column("occasion_type", sa.String(length=16), nullable=False),
        sa.Column("measured_at", moment, nullable=False),
        sa.Column("team", sa.String(length=64), nullable=False),
        sa.Column("age_band", sa.String(length=16), nullable=False),
        sa.Column("gender", sa.String(length=32), nullable=True),
        sa.CheckConstraint("occasion_type IN ('baseline', 'review', 'exit')", name="occasion_type"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("response_ref", "framework_code", "framework_version"),
    )
    op.create_index(
        "ix_outcomes_occasion_fw_measured",
        "outcomes_occasion",
        ["framework_code", "framework_version", "measured_at"],
    )
    op.create_index(
        "ix_outcomes_occasion_person",
        "outcomes_occasion",
        ["pseudonym", "framework_code", "framework_version", "measured_at"],
    )
    op.create_table(
        "outcomes_comment",
        sa.Column("id", key, nullable=False, autoincrement=autoincrement),
        sa.Column("occasion_id", key, nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("sentiment", sa.String(length=16), nullable=False),
        sa.Column("polarity", sa.Float(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["occasion_id"], ["outcomes_occasion.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outcomes_comment_occasion_id", "outcomes_comment", ["occasion_id"])
    op.create_table(
        "outcomes_domain_score",
        sa.Column("occasion_id", key, nullable=False),
        sa.Column("domain", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 100", name="domain_score_range"),
        sa.ForeignKeyConstraint(["occasion_id"], ["outcomes_occasion.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("occasion_id", "domain"),
        **without,
    )
    op.create_index(
        "ix_outcomes_domain_score_domain", "outcomes_domain_score", ["domain", "occasion_id"]
    )
    op.create_table(
        "outcomes_measurement",
        sa.Column("id", key, nullable=False, autoincrement=autoincrement),
        sa.Column("occasion_id", key, nullable=False),
        sa.Column("indicator", sa.String(length=128), nullable=False),
        sa.Column("domain", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 100", name="score_range"),
        sa.ForeignKeyConstraint(["occasion_id"], ["outcomes_occasion.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outcomes_measurement_occasion", "outcomes_measurement", ["occasion_id"])
    op.create_table(
        "outcomes_occasion_strand",
        sa.Column("occasion_id", key, nullable=False),
        sa.Column("strand", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["occasion_id"], ["outcomes_occasion.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("occasion_id", "strand"),
        **without,
    )
    op.create_table(
        "outcomes_comment_theme",
        sa.Column("comment_id", key, nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=False),
        sa.Column("domain", sa.String(length=64), nullable=False),
        sa.Column("sentiment", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["outcomes_comment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("comment_id", "theme"),
        **without,
    )


def _read_all() -> dict[str, list[dict]]:
    connection = op.get_bind()
    return {
        name: [
            dict(row)
            for row in connection.execute(
                sa.select(sa.text("*")).select_from(sa.table(name))
            ).mappings()
        ]
        for name in ("outcomes_occasion", *CHILDREN)
    }


def _drop_all() -> None:
    for name in (*CHILDREN, "outcomes_occasion"):
        op.drop_table(name)


def _write_all(rows: dict[str, list[dict]], new_key, moment) -> None:
    """Every row again, with each key mapped through ``new_key`` and each occasion's
    time through ``moment``, in an order that follows nothing."""
    occasions = {row["id"]: new_key() for row in rows["outcomes_occasion"]}
    comments = {row["id"]: new_key() for row in rows["outcomes_comment"]}
    renamed = {
        "outcomes_occasion": [
            {**r, "id": occasions[r["id"]], "measured_at": moment(r["measured_at"])}
            for r in rows["outcomes_occasion"]
        ],
        "outcomes_comment": [
            {**r, "id": comments[r["id"]], "occasion_id": occasions[r["occasion_id"]]}
            for r in rows["outcomes_comment"]
        ],
        "outcomes_measurement": [
            {**r, "id": new_key(), "occasion_id": occasions[r["occasion_id"]]}
            for r in rows["outcomes_measurement"]
        ],
        "outcomes_domain_score": [
            {**r, "occasion_id": occasions[r["occasion_id"]]} for r in rows["outcomes_domain_score"]
        ],
        "outcomes_occasion_strand": [
            {**r, "occasion_id": occasions[r["occasion_id"]]}
            for r in rows["outcomes_occasion_strand"]
        ],
        "outcomes_comment_theme": [
            {**r, "comment_id": comments[r["comment_id"]]} for r in rows["outcomes_comment_theme"]
        ],
    }
    metadata = sa.MetaData()
    metadata.reflect(op.get_bind(), only=list(renamed))
    for name in ("outcomes_occasion", "outcomes_comment", *CHILDREN[2:], CHILDREN[0]):
        table_rows = renamed[name]
        random.SystemRandom().shuffle(table_rows)
        if table_rows:
            op.bulk_insert(metadata.tables[name], table_rows)


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _as_datetime(value) -> datetime:
    value = _as_date(value)
    return datetime(value.year, value.month, value.day)


def upgrade() -> None:
    if not migrating("store"):
        return
    rows = _read_all()
    _drop_all()
    _create_tables(RANDOM_KEY, sa.Date(), rowid=False, autoincrement=False)
    _write_all(rows, lambda: secrets.randbits(63), _as_date)
    # The people were numbered in the order they first answered: number them afresh.
    for name in SUMMARIES:
        op.execute(sa.delete(sa.table(name)))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("outcomes_person", "id", server_default=None)
        op.execute(sa.text("DROP SEQUENCE IF EXISTS outcomes_person_id_seq"))


def downgrade() -> None:
    if not migrating("store"):
        return
    rows = _read_all()
    _drop_all()
    _create_tables(sa.Integer(), sa.DateTime(), rowid=True, autoincrement=True)
    counter = iter(range(1, 2**31))
    _write_all(rows, lambda: next(counter), _as_datetime)
    for name in SUMMARIES:
        op.execute(sa.delete(sa.table(name)))
    if op.get_bind().dialect.name == "postgresql":
        for name in ("outcomes_occasion", "outcomes_comment", "outcomes_measurement"):
            highest = sa.select(sa.func.coalesce(sa.func.max(sa.column("id")), 0) + 1)
            op.execute(
                sa.select(
                    sa.func.setval(
                        sa.func.pg_get_serial_sequence(name, "id"),
                        highest.select_from(sa.table(name)).scalar_subquery(),
                        False,
                    )
                )
            )
        op.execute(
            sa.text(
                "CREATE SEQUENCE IF NOT EXISTS outcomes_person_id_seq OWNED BY outcomes_person.id"
            )
        )
        op.alter_column(
            "outcomes_person", "id", server_default=sa.text("nextval('outcomes_person_id_seq')")
        )
