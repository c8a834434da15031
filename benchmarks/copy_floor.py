"""copy-floor: how fast PostgreSQL takes the rows a billing run writes, through COPY alone.

After a run, the rows it wrote are copied out and COPYed into empty twins of their tables (same
columns and indexes). That time is the floor no billing run on this machine can beat.
"""

from __future__ import annotations

import io
import time

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
    """Rows written by the run, and seconds COPY needs for them."""
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
