"""a payment provider's customer per account; a method's expiry, bank and mandate; provider
events already processed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_customer_id", sa.String(length=255), nullable=True))
    with op.batch_alter_table("payment_methods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bank", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("expiry", sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column("mandate_reference", sa.String(length=255), nullable=True))
    op.create_table(
        "provider_events",
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", "event_id", name=op.f("pk_provider_events")),
    )


def downgrade() -> None:
    op.drop_table("provider_events")
    with op.batch_alter_table("payment_methods", schema=None) as batch_op:
        for column in ("mandate_reference", "expiry", "bank"):
            batch_op.drop_column(column)
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("provider_customer_id")
