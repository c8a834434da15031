"""Alembic environment: runs on the connection handed over by `tierline.store.migrate`."""

from __future__ import annotations

from typing import Any

from alembic import context

from tierline.store.migrate import ours
from tierline.store.tables import metadata

_OPTIONS: dict[str, Any] = {
    "target_metadata": metadata,
    "render_as_batch": True,
    "include_object": ours,
}

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` run from the command line with a URL in the config
    from tierline.store.uow import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as connection:
        context.configure(connection=connection, **_OPTIONS)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
else:
    context.configure(connection=connection, **_OPTIONS)
    with context.begin_transaction():
        context.run_migrations()
