"""drafts that reveal nothing, withdrawable links, alerts with levels and teams

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 19:31:54.110491
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CURRENT = "withdrawn_at IS NULL AND used_at IS NULL"


def upgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("viewer_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("concern", sa.String(length=16), nullable=True))

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pin_hash", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("pin_failures", sa.Integer(), server_default="0", nullable=False)
        )

    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_invitation_withdrawn_by",
            "staff_user",
            ["withdrawn_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Before the one-current-link index: of several unused links to the same
    # questionnaire for a case, all but the newest are withdrawn.
    op.execute(
        "UPDATE invitation SET withdrawn_at = CURRENT_TIMESTAMP"
        " WHERE used_at IS NULL AND EXISTS (SELECT 1 FROM invitation AS newer"
        " WHERE newer.case_id = invitation.case_id"
        " AND newer.questionnaire_code = invitation.questionnaire_code"
        " AND newer.used_at IS NULL AND newer.id > invitation.id)"
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(
            "uq_invitation_current",
            ["case_id", "questionnaire_code"],
            unique=True,
            sqlite_where=sa.text(CURRENT),
            postgresql_where=sa.text(CURRENT),
        )

    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("anonymous", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("draft_key", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("level", sa.String(length=16), server_default="worrying", nullable=False)
        )
        batch_op.create_index("ix_safeguarding_alert_draft_key", ["draft_key"], unique=False)
        batch_op.create_check_constraint("alert_level", "level IN ('danger-now', 'worrying')")
        batch_op.create_check_constraint(
            "anonymous_alert_has_no_respondent",
            "NOT anonymous OR (case_id IS NULL AND response_id IS NULL)",
        )


def downgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.drop_constraint("anonymous_alert_has_no_respondent", type_="check")
        batch_op.drop_constraint("alert_level", type_="check")
        batch_op.drop_index("ix_safeguarding_alert_draft_key")
        batch_op.drop_column("level")
        batch_op.drop_column("draft_key")
        batch_op.drop_column("anonymous")

    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_invitation_current",
            sqlite_where=sa.text(CURRENT),
            postgresql_where=sa.text(CURRENT),
        )
        batch_op.drop_constraint("fk_invitation_withdrawn_by", type_="foreignkey")
        batch_op.drop_column("withdrawn_by_id")
        batch_op.drop_column("withdrawn_at")

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("pin_failures")
        batch_op.drop_column("pin_hash")

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_column("concern")
        batch_op.drop_column("viewer_hash")
