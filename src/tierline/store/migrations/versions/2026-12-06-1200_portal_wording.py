"""portal wording: what a receipt needs to name its card

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A payment keeps the brand and last digits of the method it charged, so that its receipt
    # names the card ("Mastercard ending in 4444") after the card is removed.
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("method_brand", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("method_last4", sa.String(length=4), nullable=True))
    # Payments made before: from the methods still on file (a removed one is unknown).
    payments = sa.table(
        "payments",
        sa.column("account_id", sa.String),
        sa.column("payment_method", sa.String),
        sa.column("method_brand", sa.String),
        sa.column("method_last4", sa.String),
    )
    methods = sa.table(
        "payment_methods",
        sa.column("account_id", sa.String),
        sa.column("id", sa.String),
        sa.column("brand", sa.String),
        sa.column("last4", sa.String),
    )
    same = sa.and_(
        methods.c.account_id == payments.c.account_id, methods.c.id == payments.c.payment_method
    )
    op.execute(
        payments.update()
        .where(payments.c.payment_method.is_not(None), sa.exists().where(same))
        .values(
            method_brand=sa.select(methods.c.brand).where(same).scalar_subquery(),
            method_last4=sa.select(methods.c.last4).where(same).scalar_subquery(),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_column("method_last4")
        batch_op.drop_column("method_brand")
