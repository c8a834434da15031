"""journal lines: read with their account's lines, never by their entry alone

Every query that joins lines to their entries also asks for the account's lines, which the index
on (account, ledger) finds; the index on the entry served no query of its own, and cost each
line written an entry more.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 16:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_journal_lines_entry_id", table_name="journal_lines")


def downgrade() -> None:
    op.create_index("ix_journal_lines_entry_id", "journal_lines", ["entry_id"])
