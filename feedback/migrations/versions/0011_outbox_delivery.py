"""outbox delivery: messages to young people and families, states, retries and addresses

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

STATES = "status IN ('queued', 'sending', 'sent', 'dead', 'cancelled')"


def upgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.alter_column("recipient_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("invitation_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default="queued", nullable=False)
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(
            "fk_outbox_message_invitation",
            "invitation",
            ["invitation_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index("ix_outbox_message_invitation_id", ["invitation_id"], unique=False)
        batch_op.create_index("ix_outbox_message_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_check_constraint("outbox_message_status", STATES)
    # Messages marked sent before there was a sender were sent.
    op.execute("UPDATE outbox_message SET status = 'sent' WHERE sent_at IS NOT NULL")

    op.create_table(
        "outbox_address",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("family_contact_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("channel IN ('email', 'sms')", name="outbox_channel"),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["family_contact_id"], ["family_contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["outbox_message.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("message_id"),
    )
    with op.batch_alter_table("outbox_address", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_address_case_id", ["case_id"], unique=False)
        batch_op.create_index(
            "ix_outbox_address_family_contact_id", ["family_contact_id"], unique=False
        )


def downgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("outbox_address", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_address_family_contact_id")
        batch_op.drop_index("ix_outbox_address_case_id")
    op.drop_table("outbox_address")
    # Messages to young people and families had no place before.
    op.execute("DELETE FROM outbox_message WHERE recipient_id IS NULL")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint("outbox_message_status", type_="check")
        batch_op.drop_index("ix_outbox_message_due")
        batch_op.drop_index("ix_outbox_message_invitation_id")
        batch_op.drop_constraint("fk_outbox_message_invitation", type_="foreignkey")
        batch_op.drop_column("last_error")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("attempts")
        batch_op.drop_column("status")
        batch_op.drop_column("invitation_id")
        batch_op.alter_column("recipient_id", existing_type=sa.Integer(), nullable=False)
