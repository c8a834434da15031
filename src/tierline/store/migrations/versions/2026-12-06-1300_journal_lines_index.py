"""journal lines: one index on the account, the one that leads with it

`ix_journal_lines_account_ledger` (account, ledger) serves every lookup by account; the index on
the account alone was a second copy of it, updated with every line a billing run writes.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 13:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_journal_lines_account_id", table_name="journal_lines")


def downgrade() -> None:
    op.create_index("ix_journal_lines_account_id", "journal_lines", ["account_id"])
