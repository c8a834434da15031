"""subscriptions due: one index in the order the billing run claims them

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 11:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_subscriptions_next_action_at")
        batch_op.create_index(
            "ix_subscriptions_due", ["next_action_at", "account_id", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_subscriptions_due")
        batch_op.create_index("ix_subscriptions_next_action_at", ["next_action_at"], unique=False)
