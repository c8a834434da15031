"""What the two databases write differently, loaded for the one in use: SQLAlchemy's PostgreSQL
dialect is imported only where the database is PostgreSQL (see `tables.on_postgresql`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection


def insert_of(conn: Connection) -> Any:
    """The `insert` of the connection's dialect, the one with `on_conflict_do_…`."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as on_postgresql

        return on_postgresql
    from sqlalchemy.dialects.sqlite import insert as on_sqlite

    return on_sqlite
