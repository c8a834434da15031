"""several subscriptions per account: no change to the tables

An account's subscriptions were rows of their own already; an add-on-only subscription stores
no edition (an empty code). The revision marks the schema that holds them.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 11:00:00.000000
"""

from collections.abc import Sequence

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
