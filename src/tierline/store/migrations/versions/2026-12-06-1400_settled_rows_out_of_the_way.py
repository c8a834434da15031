"""invoices and payments: what a settled row no longer needs of their indexes

An invoice's attempt time is looked up only where there is one: its index holds those invoices
alone. On PostgreSQL, the collector's index on payments holds the attempts not settled yet, and
invoices leave room on each page for the version of the row that paid writes, so paying an
invoice updates it in place of its indexes (a heap-only update).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ATTEMPT_TO_COME = sa.text("next_attempt_at IS NOT NULL")
_UNSETTLED = sa.text("status IN ('created', 'sent', 'processing', 'requires_action')")


def upgrade() -> None:
    op.drop_index("ix_invoices_next_attempt_at", table_name="invoices")
    op.create_index(
        "ix_invoices_next_attempt_at", "invoices", ["next_attempt_at"],
        sqlite_where=_ATTEMPT_TO_COME, postgresql_where=_ATTEMPT_TO_COME,
    )  # fmt: skip
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_payments_unsettled", table_name="payments")
    op.create_index(
        "ix_payments_unsettled", "payments", ["status", "sent_at"], postgresql_where=_UNSETTLED
    )
    op.execute("ALTER TABLE invoices SET (fillfactor = 50)")


def downgrade() -> None:
    op.drop_index("ix_invoices_next_attempt_at", table_name="invoices")
    op.create_index("ix_invoices_next_attempt_at", "invoices", ["next_attempt_at"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_payments_unsettled", table_name="payments")
    op.create_index("ix_payments_unsettled", "payments", ["status", "sent_at"])
    op.execute("ALTER TABLE invoices RESET (fillfactor)")
