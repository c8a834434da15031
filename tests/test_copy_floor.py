"""The floor of `make bench`: the rows a billing run wrote, written again into empty twins of
their tables in the database's fastest way (COPY on PostgreSQL, one prepared insert a table on
SQLite), every row and index as the run's."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from benchmarks.billing_run import _run
from benchmarks.copy_floor import WRITTEN, copy_floor
from benchmarks.fixtures import seed_due_subscriptions
from tests.conftest import Store

RENEWALS = 30


def _rows(engine: Engine, table: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(text(f'SELECT * FROM "{table}"')))


def test_the_floor_writes_every_row_the_run_wrote_into_twins_of_their_tables(
    store: Store,
) -> None:
    engine = store.engine
    seed_due_subscriptions(engine, RENEWALS)
    _run(engine, store.url, store.schema, 0)
    written = {table: _rows(engine, table) for table in WRITTEN}

    rows, seconds = copy_floor(engine)

    assert rows == sum(len(found) for found in written.values())
    assert len(written["invoices"]) == RENEWALS and seconds > 0
    if engine.dialect.name == "sqlite":
        _assert_sqlite_twins(engine, written)
    else:
        _assert_postgresql_twins(engine, written)


def _assert_sqlite_twins(engine: Engine, written: dict[str, list[tuple[Any, ...]]]) -> None:
    assert engine.url.database
    run = Path(engine.url.database)
    twin = sqlite3.connect(run.with_name(f"{run.stem}-floor.db"))
    source = sqlite3.connect(run)
    try:
        for table, rows in written.items():
            assert sorted(twin.execute(f'SELECT * FROM "{table}"').fetchall()) == rows
            assert _indexes(twin, table) == _indexes(source, table) != []
    finally:
        twin.close()
        source.close()


def _indexes(db: sqlite3.Connection, table: str) -> list[tuple[str, int, str]]:
    """Each index of the table: its name, whether unique, and what made it."""
    found = db.execute(f'PRAGMA index_list("{table}")').fetchall()
    return sorted((name, unique, origin) for _, name, unique, origin, _ in found)


def _assert_postgresql_twins(engine: Engine, written: dict[str, list[tuple[Any, ...]]]) -> None:
    try:
        for table, rows in written.items():
            assert _rows(engine, f"floor_{table}") == rows
    finally:
        with engine.begin() as conn:
            for table in WRITTEN:
                conn.execute(text(f'DROP TABLE IF EXISTS "floor_{table}"'))
