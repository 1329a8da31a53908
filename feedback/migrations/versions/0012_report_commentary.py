"""report commentary: a manager's words on a month's report, per month and teams

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 10:30:00
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not migrating("app"):
        return
    op.create_table(
        "report_commentary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("teams", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["staff_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("month", "teams", name="uq_report_commentary_month_teams"),
    )


def downgrade() -> None:
    if not migrating("app"):
        return
    op.drop_table("report_commentary")
