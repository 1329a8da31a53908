"""family contacts: a case's parents and carers, and which of them an invitation is for

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:00:00
"""

import sqlalchemy as sa
from alembic import op

from feedback.db import migrating

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CURRENT = "withdrawn_at IS NULL AND used_at IS NULL"
FOR_YOUNG_PERSON = f"{CURRENT} AND family_contact_id IS NULL"
FOR_CONTACT = f"{CURRENT} AND family_contact_id IS NOT NULL"


def upgrade() -> None:
    if not migrating("app"):
        return
    op.create_table(
        "family_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("relationship", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("phone IS NOT NULL OR email IS NOT NULL", name="family_contact_reach"),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("family_contact", schema=None) as batch_op:
        batch_op.create_index("ix_family_contact_case_id", ["case_id"], unique=False)

    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family_contact_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_invitation_family_contact",
            "family_contact",
            ["family_contact_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_index(
            "uq_invitation_current",
            sqlite_where=sa.text(CURRENT),
            postgresql_where=sa.text(CURRENT),
        )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(
            "uq_invitation_current",
            ["case_id", "questionnaire_code"],
            unique=True,
            sqlite_where=sa.text(FOR_YOUNG_PERSON),
            postgresql_where=sa.text(FOR_YOUNG_PERSON),
        )
        batch_op.create_index(
            "uq_invitation_current_contact",
            ["case_id", "questionnaire_code", "family_contact_id"],
            unique=True,
            sqlite_where=sa.text(FOR_CONTACT),
            postgresql_where=sa.text(FOR_CONTACT),
        )


def downgrade() -> None:
    if not migrating("app"):
        return
    # A family exit interview's links go with the contacts they were for.
    op.execute("DELETE FROM invitation WHERE family_contact_id IS NOT NULL")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_invitation_current_contact",
            sqlite_where=sa.text(FOR_CONTACT),
            postgresql_where=sa.text(FOR_CONTACT),
        )
        batch_op.drop_index(
            "uq_invitation_current",
            sqlite_where=sa.text(FOR_YOUNG_PERSON),
            postgresql_where=sa.text(FOR_YOUNG_PERSON),
        )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(
            "uq_invitation_current",
            ["case_id", "questionnaire_code"],
            unique=True,
            sqlite_where=sa.text(CURRENT),
            postgresql_where=sa.text(CURRENT),
        )
        batch_op.drop_constraint("fk_invitation_family_contact", type_="foreignkey")
        batch_op.drop_column("family_contact_id")
    with op.batch_alter_table("family_contact", schema=None) as batch_op:
        batch_op.drop_index("ix_family_contact_case_id")
    op.drop_table("family_contact")
