"""subscriptions know their catalog version; price changes announced ahead

A subscription's renewals are priced from the catalog version it holds; a new version installed
with `existing: next_renewal` is announced for a later renewal (`price_change_version`,
`price_change_at`). A catalog row keeps what it did to existing subscriptions (`existing`).
Subscriptions stored before are priced from the newest version, as they were.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_catalogs = sa.table("catalogs", sa.column("version", sa.Integer))
_subscriptions = sa.table("subscriptions", sa.column("catalog_version", sa.Integer))


def upgrade() -> None:
    with op.batch_alter_table("catalogs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("existing", sa.String(length=16), nullable=True))
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("catalog_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("price_change_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("price_change_at", sa.DateTime(timezone=True), nullable=True))
    newest = sa.select(sa.func.max(_catalogs.c.version)).scalar_subquery()
    op.execute(sa.update(_subscriptions).values(catalog_version=newest))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("price_change_at")
        batch_op.drop_column("price_change_version")
        batch_op.drop_column("catalog_version")
    with op.batch_alter_table("catalogs", schema=None) as batch_op:
        batch_op.drop_column("existing")
