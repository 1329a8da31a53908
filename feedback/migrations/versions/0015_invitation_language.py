"""invitation language: the language and easy-read choice a practitioner makes when
inviting, kept for the journey and the link's message

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 13:00:00
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
        )
        batch_op.add_column(
            sa.Column("easy_read", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_column("easy_read")
        batch_op.drop_column("language")
