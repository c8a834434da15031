"""webhook endpoint cursors

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("enqueued_through", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("scan_through", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("scan_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.drop_column("scan_since")
        batch_op.drop_column("scan_through")
        batch_op.drop_column("enqueued_through")
