"""talk to a manager: young people's requests, and "you said, we did" notes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not migrating("app"):
        return
    op.create_table(
        "talk_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("asked_by", sa.String(length=16), nullable=False),
        sa.Column("about", sa.String(length=32), nullable=False),
        sa.Column("contact", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("trusted_person", sa.String(length=200), nullable=True),
        sa.Column("good_time", sa.String(length=16), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("overdue_told_at", sa.DateTime(), nullable=True),
        sa.Column("contacted_at", sa.DateTime(), nullable=True),
        sa.Column("contacted_by_id", sa.Integer(), nullable=True),
        sa.Column("contact_note", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("shared_with_id", sa.Integer(), nullable=True),
        sa.Column("shared_at", sa.DateTime(), nullable=True),
        sa.Column("shared_by_id", sa.Integer(), nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("state IN ('new', 'contacted', 'resolved')", name="talk_request_state"),
        sa.CheckConstraint(
            "about IN ('going-well', 'could-be-better', 'worried')", name="talk_request_about"
        ),
        sa.CheckConstraint(
            "contact IN ('phone', 'text', 'worker', 'trusted', 'none')",
            name="talk_request_contact",
        ),
        sa.CheckConstraint("asked_by IN ('young-person', 'family')", name="talk_request_asked_by"),
        sa.CheckConstraint("NOT anonymous OR case_id IS NULL", name="anonymous_talk_has_no_case"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["contacted_by_id"], ["staff_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["staff_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["shared_with_id"], ["staff_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["shared_by_id"], ["staff_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["alert_id"], ["safeguarding_alert.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_talk_request_state_due", "talk_request", ["state", "due_at"])
    op.create_index("ix_talk_request_case", "talk_request", ["case_id"])
    op.create_table(
        "you_said_we_did",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("you_said", sa.Text(), nullable=False),
        sa.Column("we_did", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["staff_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_you_said_we_did_published_on", "you_said_we_did", ["published_on"])


def downgrade() -> None:
    if not migrating("app"):
        return
    op.drop_index("ix_you_said_we_did_published_on", table_name="you_said_we_did")
    op.drop_table("you_said_we_did")
    op.drop_index("ix_talk_request_case", table_name="talk_request")
    op.drop_index("ix_talk_request_state_due", table_name="talk_request")
    op.drop_table("talk_request")
