"""events stored as their facts only: an outbox row loses its English text

Rows written before keep their old words in their facts, under `text`, for the rare event whose
facts this version cannot put into words again.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_outbox = sa.table(
    "outbox",
    sa.column("id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("payload", sa.JSON),
)


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(_outbox.c.id, _outbox.c.text, _outbox.c.payload)).all()
    for row in rows:
        facts = {**(row.payload or {}), "text": row.text}
        conn.execute(sa.update(_outbox).where(_outbox.c.id == row.id).values(payload=facts))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("text")


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text", sa.Text(), nullable=False, server_default=""))
