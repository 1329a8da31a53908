"""staff administration: invitation and reset links, TOTP and recovery codes, retired
teams, the duty manager rota and settings kept in the database

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 11:00:00
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not migrating("app"):
        return
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mfa_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("mfa_enrolled_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("mfa_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))
    op.create_table(
        "staff_recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_staff_recovery_code_user_id", "staff_recovery_code", ["user_id"], unique=False
    )
    op.create_table(
        "staff_password_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("purpose IN ('invite', 'reset')", name="password_link_purpose"),
        sa.ForeignKeyConstraint(["created_by_id"], ["staff_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(
        "ix_staff_password_link_user_id", "staff_password_link", ["user_id"], unique=False
    )
    op.create_table(
        "team_duty_day",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="duty_weekday"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "weekday"),
    )
    op.create_table(
        "service_setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["staff_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("key"),
    )
    # Managers and admins now sign in with a code as well: end their sessions, so that
    # each enrols at their next sign-in before reaching anything else.
    op.execute(
        "UPDATE staff_user SET session_version = session_version + 1"
        " WHERE role IN ('manager', 'admin')"
    )


def downgrade() -> None:
    if not migrating("app"):
        return
    op.drop_table("service_setting")
    op.drop_table("team_duty_day")
    op.drop_index("ix_staff_password_link_user_id", table_name="staff_password_link")
    op.drop_table("staff_password_link")
    op.drop_index("ix_staff_recovery_code_user_id", table_name="staff_recovery_code")
    op.drop_table("staff_recovery_code")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("retired_at")
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("mfa_last_step")
        batch_op.drop_column("mfa_enrolled_at")
        batch_op.drop_column("mfa_secret")
