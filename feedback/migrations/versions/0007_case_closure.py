"""case closure and re-referrals: a case's referrals, each with its closure day and reason

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not migrating("app"):
        return
    op.create_table(
        "case_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closure_reason", sa.String(length=32), nullable=True),
        sa.CheckConstraint(
            "closure_reason IS NULL OR closure_reason IN ('planned', 'moved', 'stopped-engaging', 'transferred', 'other')",
            name="case_referral_reason",
        ),
        sa.CheckConstraint(
            "closure_reason IS NULL OR closed_on IS NOT NULL", name="case_referral_closed"
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "number"),
    )
    # Every case so far is on its first referral; a closed one closed on the day it
    # closed, for a reason nobody recorded.
    cases = sa.table(
        "case_record",
        sa.column("id"),
        sa.column("opened_at"),
        sa.column("status"),
        sa.column("closed_at", sa.DateTime()),
    )
    referrals = sa.table(
        "case_referral",
        sa.column("case_id"),
        sa.column("number"),
        sa.column("opened_at"),
        sa.column("closed_on"),
    )
    day = (
        sa.func.date(cases.c.closed_at)
        if op.get_bind().dialect.name == "sqlite"
        else sa.cast(cases.c.closed_at, sa.Date())
    )
    op.execute(
        referrals.insert().from_select(
            ["case_id", "number", "opened_at", "closed_on"],
            sa.select(
                cases.c.id,
                sa.literal(1),
                cases.c.opened_at,
                sa.case((cases.c.status == "closed", day)),
            ),
        )
    )


def downgrade() -> None:
    if not migrating("app"):
        return
    op.drop_table("case_referral")
