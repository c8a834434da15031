"""copy-floor: how fast the database takes the rows a billing run writes, in its fastest way.

After a run, the rows it wrote are read back and written into empty twins of their tables
(same columns, keys and indexes); that time is the floor no billing run on this machine can
beat. PostgreSQL takes them through COPY. SQLite has no COPY: its fastest way in is one
prepared insert run over every row of a table (the driver's `executemany`), in one
transaction, into twins in a database attached beside the run's.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from sqlalchemy import Engine

WRITTEN = (
    "invoices",
    "document_lines",
    "payments",
    "receipts",
    "journal_entries",
    "journal_lines",
    "outbox",
)


def copy_floor(engine: Engine) -> tuple[int, float]:
    """Rows written by the run, and seconds the database needs to take them alone."""
    if engine.dialect.name == "sqlite":
        return _insert_floor(engine)
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        dumps: dict[str, bytes] = {}
        rows = 0
        with driver.cursor() as cursor:
            for table in WRITTEN:
                buffer = io.BytesIO()
                with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    for block in copy:
                        buffer.write(block)
                dumps[table] = buffer.getvalue()
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                rows += int(cursor.fetchone()[0])
                cursor.execute(f'CREATE TABLE "floor_{table}" (LIKE "{table}" INCLUDING ALL)')
            driver.commit()
            started = time.perf_counter()
            for table, data in dumps.items():
                with cursor.copy(f'COPY "floor_{table}" FROM STDIN') as copy:
                    copy.write(data)
            driver.commit()
            elapsed = time.perf_counter() - started
    finally:
        raw.close()
    return rows, elapsed


def _insert_floor(engine: Engine) -> tuple[int, float]:
    """The twins are made from the statements that made the run's tables and their indexes;
    their foreign keys go unchecked, as PostgreSQL's twins (`LIKE … INCLUDING ALL`) have none:
    the tables they name are not in the attached database."""
    assert engine.url.database
    run = Path(engine.url.database)
    twin = run.with_name(f"{run.stem}-floor.db")
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.execute("ATTACH DATABASE ? AS floor", (str(twin),))
        driver.execute("PRAGMA floor.journal_mode=WAL")
        driver.execute("PRAGMA foreign_keys=OFF")
        read: dict[str, list[tuple[object, ...]]] = {}
        for table in WRITTEN:
            made = driver.execute(
                "SELECT sql FROM main.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL"
                " ORDER BY type = 'index'",
                (table,),
            ).fetchall()
            for (sql,) in made:
                driver.execute(_in_floor(sql))
            read[table] = driver.execute(f'SELECT * FROM main."{table}"').fetchall()
        started = time.perf_counter()
        driver.execute("BEGIN IMMEDIATE")
        for table, rows in read.items():
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                driver.executemany(f'INSERT INTO floor."{table}" VALUES ({marks})', rows)
        driver.execute("COMMIT")
        elapsed = time.perf_counter() - started
        driver.execute("PRAGMA foreign_keys=ON")
        driver.execute("DETACH DATABASE floor")
    finally:
        raw.close()
    return sum(len(rows) for rows in read.values()), elapsed


def _in_floor(sql: str) -> str:
    """A table's or an index's statement, made in the attached database instead."""
    return re.sub(r"^(CREATE (?:UNIQUE )?(?:TABLE|INDEX) )", r"\1floor.", sql, count=1)
