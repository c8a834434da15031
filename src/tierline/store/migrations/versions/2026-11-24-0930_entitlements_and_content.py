"""entitlements and content: members, consumption, resources, reconciliations

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consumption",
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("limit_name", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "account_id", "limit_name", "period_start", name=op.f("pk_consumption")
        ),
    )
    op.create_table(
        "members",
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=128), nullable=False),
        sa.Column("application", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("counts_toward", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_members_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("account_id", "person_id", "application", name=op.f("pk_members")),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(
            "ix_members_counting", ["account_id", "counts_toward", "status"], unique=False
        )

    op.create_table(
        "reconciliations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("subscription_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_edition", sa.String(length=64), nullable=False),
        sa.Column("to_edition", sa.String(length=64), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_reconciliations_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconciliations")),
    )
    with op.batch_alter_table("reconciliations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reconciliations_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "resources",
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("parent", sa.String(length=128), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("detached", sa.Boolean(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_resources_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_resources")),
    )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.create_index("ix_resources_account_type", ["account_id", "type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_index("ix_resources_account_type")
    op.drop_table("resources")
    with op.batch_alter_table("reconciliations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reconciliations_account_id"))
    op.drop_table("reconciliations")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index("ix_members_counting")
    op.drop_table("members")
    op.drop_table("consumption")
