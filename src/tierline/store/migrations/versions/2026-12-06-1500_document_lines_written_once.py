"""document lines: a receipt of an invoice paid in full shows that invoice's lines

Such a receipt repeated its invoice's lines as lines of its own, a copy of each. It now names
the document whose lines it shows (`lines_of`); both are final, so the two can never differ.
Receipts written before keep their own lines (`lines_of` empty).

Lines and tax lines are read by their document alone: their index on the account, which no
query used, is dropped.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BY_ACCOUNT = (
    ("document_lines", "ix_document_lines_account_id"),
    ("document_taxes", "ix_document_taxes_account_id"),
)
_KEPT = (
    "position, kind, description, wording, item, period_start, period_end, quantity, "
    "unit_amount, amount, tax_rate, tax_category"
)


def upgrade() -> None:
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lines_of", sa.String(length=64), nullable=True))
    for table, index in _BY_ACCOUNT:
        op.drop_index(index, table_name=table)


def downgrade() -> None:
    """Each receipt that shows its invoice's lines gets a copy of them back, first."""
    for table, index in _BY_ACCOUNT:
        op.create_index(index, table, ["account_id"])
    copied = ", ".join(f"line.{name.strip()}" for name in _KEPT.split(","))
    op.execute(
        f"INSERT INTO document_lines (account_id, document_id, {_KEPT}) "
        f"SELECT line.account_id, receipts.id, {copied} "
        "FROM receipts JOIN document_lines AS line ON line.document_id = receipts.lines_of"
    )
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.drop_column("lines_of")
