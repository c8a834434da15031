"""payment attempts as rows committed before they are sent; purchases awaiting payment

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=8), server_default="charge", nullable=False)
        )
        batch_op.add_column(sa.Column("reason", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("reference", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("round", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("fallback", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("token", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("provider_reference", sa.String(length=128), nullable=True))
        batch_op.create_index("ix_payments_unsettled", ["status", "sent_at"], unique=False)
        batch_op.create_index("ix_payments_invoice_number", ["invoice_number"], unique=False)
    op.execute("UPDATE payments SET kind = 'refund' WHERE status = 'refunded'")
    op.create_table(
        "purchases",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("subscription_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("invoice_number", sa.String(length=32), nullable=False),
        sa.Column("command", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subscription_version", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_purchases_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchases")),
        sa.UniqueConstraint("invoice_number", name=op.f("uq_purchases_invoice_number")),
    )
    with op.batch_alter_table("purchases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purchases_account_id"), ["account_id"], unique=False)
        batch_op.create_index(
            "uq_purchases_awaiting",
            ["account_id"],
            unique=True,
            sqlite_where=sa.text("state = 'awaiting'"),
            postgresql_where=sa.text("state = 'awaiting'"),
        )


def downgrade() -> None:
    op.drop_table("purchases")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index("ix_payments_invoice_number")
        batch_op.drop_index("ix_payments_unsettled")
        for column in (
            "provider_reference", "settled_at", "sent_at", "token", "fallback", "round",
            "reference", "reason", "kind",
        ):  # fmt: skip
            batch_op.drop_column(column)
