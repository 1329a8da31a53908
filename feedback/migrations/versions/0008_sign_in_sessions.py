"""sign-in sessions: a session version on each staff account, to end them all at once

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("session_version")
