"""idempotency keys: state, owner and lease; portal sessions: revoked on sign-out

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("owner", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
    # A key still running has no owner: the next request with it takes it over.
    op.execute(
        "UPDATE idempotency_keys SET claimed_at = created_at, "
        "state = CASE WHEN status_code IS NULL THEN 'running' ELSE 'done' END"
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.alter_column("state", existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column(
            "claimed_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
    with op.batch_alter_table("portal_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("portal_sessions", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("owner")
        batch_op.drop_column("state")
