"""a manager's word, as they close an alert, on whether its words in another language may
be quoted

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 13:30:00
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.add_column(sa.Column("words_quotable", sa.Boolean(), nullable=True))


def downgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.drop_column("words_quotable")
