"""cell keys: record keys, key sums and how a month's cell differs from its quarter

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 20:10:00
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_CELL_KEY = [
    "framework_code",
    "framework_version",
    "period_type",
    "kind",
    "strand",
    "period",
    "domain",
]


_WHO = ["team", "age_band", "gender"]


def _cell_columns() -> list[sa.Column]:
    return [
        sa.Column("framework_code", sa.String(length=64), nullable=False),
        sa.Column("framework_version", sa.Integer(), nullable=False),
        sa.Column("period_type", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("strand", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("domain", sa.String(length=64), nullable=False),
    ]


def _who_columns() -> list[sa.Column]:
    return [
        sa.Column("team", sa.String(length=64), nullable=False),
        sa.Column("age_band", sa.String(length=16), nullable=False),
        sa.Column("gender", sa.String(length=32), nullable=False),
    ]


def upgrade() -> None:
    if not migrating("store"):
        return
    # Every summary is emptied and built again by `flask db upgrade` once the migrations
    # have run (feedback.cli.upgrade_database): people are placed by a new rule (their
    # first occasion of the quarter) and each is given a record key.
    for table in ("outcomes_comment_month", "outcomes_person_month", "outcomes_person"):
        op.execute(sa.table(table).delete())
    op.drop_table("outcomes_score_cell")
    op.drop_table("outcomes_change_cell")
    for table in ("outcomes_person", "outcomes_person_month", "outcomes_comment_month"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("record_key", sa.BigInteger(), nullable=False))
    # Who the people were last in the key, so that the dashboard's GROUP BY reads the rows
    # in key order.
    op.create_table(
        "outcomes_score_cell",
        *_cell_columns(),
        sa.Column("band", sa.String(length=8), nullable=False),
        sa.Column("quarter_band", sa.String(length=8), nullable=False),
        *_who_columns(),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("scores", sa.Integer(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("key_sum", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("people >= 0", name="score_cell_people"),
        sa.PrimaryKeyConstraint(*_CELL_KEY, "band", "quarter_band", *_WHO),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "outcomes_change_cell",
        *_cell_columns(),
        sa.Column("change", sa.BigInteger(), nullable=False),
        sa.Column("quarter_change", sa.String(length=24), nullable=False),
        *_who_columns(),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("key_sum", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("people >= 0", name="change_cell_people"),
        sa.PrimaryKeyConstraint(*_CELL_KEY, "change", "quarter_change", *_WHO),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    if not migrating("store"):
        return
    for table in ("outcomes_comment_month", "outcomes_person_month", "outcomes_person"):
        op.execute(sa.table(table).delete())
    op.drop_table("outcomes_score_cell")
    op.drop_table("outcomes_change_cell")
    for table in ("outcomes_person", "outcomes_person_month", "outcomes_comment_month"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("record_key")
    op.create_table(
        "outcomes_score_cell",
        *_cell_columns(),
        *_who_columns(),
        sa.Column("band", sa.String(length=8), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("scores", sa.Integer(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("people >= 0", name="score_cell_people"),
        sa.PrimaryKeyConstraint(*_CELL_KEY, *_WHO, "band"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "outcomes_change_cell",
        *_cell_columns(),
        *_who_columns(),
        sa.Column("change", sa.BigInteger(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.CheckConstraint("people >= 0", name="change_cell_people"),
        sa.PrimaryKeyConstraint(*_CELL_KEY, *_WHO, "change"),
        sqlite_with_rowid=False,
    )
