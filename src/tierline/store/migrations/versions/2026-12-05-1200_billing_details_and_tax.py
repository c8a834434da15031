"""an account's billing details; tax on documents

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("region", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("address", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("tax_id", sa.String(length=64), nullable=True))
    for table in ("invoices", "credit_notes"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("tax_total", sa.BigInteger(), nullable=False, server_default="0")
            )
            batch_op.add_column(sa.Column("tax_prices", sa.String(length=16), nullable=True))
            batch_op.add_column(sa.Column("parties", sa.JSON(), nullable=True))
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parties", sa.JSON(), nullable=True))
    with op.batch_alter_table("document_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tax_rate", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("tax_category", sa.String(length=16), nullable=True))
    op.create_table(
        "document_taxes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rate", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("taxable", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_taxes")),
    )
    with op.batch_alter_table("document_taxes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_taxes_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_taxes_document_id"), ["document_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("document_taxes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_taxes_document_id"))
        batch_op.drop_index(batch_op.f("ix_document_taxes_account_id"))
    op.drop_table("document_taxes")
    with op.batch_alter_table("document_lines", schema=None) as batch_op:
        batch_op.drop_column("tax_category")
        batch_op.drop_column("tax_rate")
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.drop_column("parties")
    for table in ("credit_notes", "invoices"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ("parties", "tax_prices", "tax_total"):
                batch_op.drop_column(column)
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        for column in ("tax_id", "address", "region", "country"):
            batch_op.drop_column(column)
