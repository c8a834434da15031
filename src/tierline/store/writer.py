"""Where repositories send their writes.

Outside a batch, a write goes to the database at once. In a batch (the billing run), rows are
kept and each table's rows go in one statement when the unit of work flushes; an update of a row
inserted in the same batch is folded into the insert. A read through a repository flushes first,
so what a batch reads always includes what it wrote.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import JSON, Connection, Table, bindparam, update

from tierline.store.tables import metadata


class Writer:
    def __init__(self, conn: Connection, *, buffered: bool = False) -> None:
        self._conn = conn
        self.buffered = buffered
        self._inserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._inserted: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}
        self._updates: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[dict[str, Any]]] = (
            defaultdict(list)
        )

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if not self.buffered:
            self._conn.execute(table.insert(), rows)
            return
        self._inserts[table.name].extend(rows)
        keys = [c.name for c in table.primary_key.columns]
        for row in rows:
            if all(k in row for k in keys):
                self._inserted[(table.name, tuple(row[k] for k in keys))] = row

    def update(self, table: Table, key: dict[str, Any], values: dict[str, Any]) -> int:
        """Update the row with this primary key (and any extra key columns, e.g. a version)."""
        if not self.buffered:
            where = [table.c[name] == value for name, value in key.items()]
            return int(self._conn.execute(update(table).where(*where).values(**values)).rowcount)
        pk = tuple(key.get(c.name) for c in table.primary_key.columns)
        pending = self._inserted.get((table.name, pk))
        if pending is not None:
            pending.update(values)
            return 1
        group = (table.name, tuple(sorted(key)), tuple(sorted(values)))
        self._updates[group].append(
            {**{f"k_{k}": v for k, v in key.items()}, **{f"v_{k}": v for k, v in values.items()}}
        )
        return 1

    def delete(self, table: Table, key: dict[str, Any]) -> int:
        """Delete the rows matching `key`; in a batch, what is pending is sent first."""
        self.flush()
        where = [table.c[name] == value for name, value in key.items()]
        return int(self._conn.execute(table.delete().where(*where)).rowcount)

    def _insert_rows(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """On PostgreSQL, COPY; SQLite is in-process, so executemany is as fast."""
        if self._conn.dialect.name != "postgresql":
            self._conn.execute(table.insert(), rows)
            return
        from psycopg.types.json import Json

        names = [c.name for c in table.columns if any(c.name in row for row in rows)]
        as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
        driver = self._conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor:
            columns = ", ".join(f'"{name}"' for name in names)
            with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(
                        [
                            Json(row.get(n)) if n in as_json and row.get(n) is not None
                            else row.get(n)
                            for n in names
                        ]
                    )  # fmt: skip

    def flush(self) -> None:
        if not self.buffered:
            return
        for table in metadata.sorted_tables:
            rows = self._inserts.pop(table.name, None)
            if rows:
                self._insert_rows(table, rows)
        self._inserted.clear()
        for (name, keys, columns), rows in self._updates.items():
            table = metadata.tables[name]
            statement = (
                update(table)
                .where(*[table.c[k] == bindparam(f"k_{k}") for k in keys])
                .values({c: bindparam(f"v_{c}") for c in columns})
            )
            self._conn.execute(statement, rows)
        self._updates.clear()
