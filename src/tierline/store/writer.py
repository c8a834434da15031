"""Where repositories send their writes.

Outside a batch, a write goes to the database at once. In a batch (the billing run), rows are
kept and each table's rows go in one statement when the unit of work flushes; an update of a row
inserted in the same batch is folded into the insert. A read through a repository flushes first,
so what a batch reads always includes what it wrote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import Any, NamedTuple, Protocol

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Dialect,
    String,
    Table,
    Text,
    TextClause,
    bindparam,
    text,
    update,
)
from sqlalchemy.types import TypeEngine

from tierline.store import json_values
from tierline.store.sets import array_element, array_literal
from tierline.store.tables import UtcDateTime, metadata


@dataclass(frozen=True)
class _Shape:
    """What a batch needs to know of a table, worked out once."""

    key: tuple[str, ...]
    columns: tuple[str, ...]
    pick_key: Callable[[dict[str, Any]], Any]  # a row's primary key, from the row or a key


@cache
def _shape(table: Table) -> _Shape:
    key = tuple(c.name for c in table.primary_key.columns)
    return _Shape(
        key=key,
        pick_key=itemgetter(*key),
        columns=tuple(c.name for c in table.columns),
    )


@cache
def _in_dependency_order() -> tuple[Table, ...]:
    """The tables, each after those it refers to (worked out once: sorting them is not cheap)."""
    return tuple(metadata.sorted_tables)


@cache
def _encoders(table: Table, names: tuple[str, ...], dialect: Dialect) -> tuple[_Encoder, ...]:
    """How each column's values go to the driver, as SQLAlchemy's own types would send them."""
    return tuple(
        _Encoder(kind.dialect_impl(dialect).bind_processor(dialect), not isinstance(kind, JSON))
        for name in names
        for kind in (table.c[name].type,)
    )


class _Encoder(NamedTuple):
    encode: Callable[[Any], Any] | None
    hashable: bool  # its values may be looked up: not mappings or lists


def _encoded(
    rows: list[dict[str, Any]], names: Sequence[str], encoders: Sequence[_Encoder]
) -> list[tuple[Any, ...]]:
    return _encoded_columns(_columns(rows, names), encoders)


def _encoded_columns(
    columns: Iterable[Sequence[Any]], encoders: Sequence[_Encoder]
) -> list[tuple[Any, ...]]:
    """Rows as the driver's tuples, from their columns encoded one by one; a value met many
    times in a column (the batch's instant, a currency) is encoded once, as for COPY."""
    encoded = [
        values if encode is None else _each_encoded(values, encode, None, hashable=hashable)
        for values, (encode, hashable) in zip(columns, encoders, strict=True)
    ]
    return list(zip(*encoded, strict=True))


def driver_value(conn: Connection, column: Column[Any], value: Any) -> Any:
    """A value as the driver gets it for this column, for a statement sent to the driver as
    it is."""
    encode = _encoders(column.table, (column.name,), conn.dialect)[0].encode
    return value if value is None or encode is None else encode(value)


class Numbering(Protocol):
    """Document numbers a batch takes provisionally, numbered when it writes
    (`SequenceRepository`)."""

    def number_marks(self) -> None: ...

    def numbered(self, text: str) -> str: ...


class _NumberedAlready:
    """A writer's rows outside a batch that numbers late: their numbers are final."""

    def number_marks(self) -> None:
        pass

    def numbered(self, text: str) -> str:
        return text


class Writer:
    def __init__(self, conn: Connection, *, buffered: bool = False) -> None:
        self._conn = conn
        self.buffered = buffered
        # In a batch that numbers its invoices late, the rows carry marks until they are written.
        self.numbers: Numbering = _NumberedAlready()
        self._inserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # The pending rows of a table an update reached, by primary key: gathered at its first
        # update, then kept as its rows come (most tables of a batch are only inserted into).
        self._pending: dict[str, dict[Any, dict[str, Any]]] = {}
        # Updates of rows not pending, by table and the names of their key and new values: each
        # row the key's values, then the new values, in the order of those names.
        self._updates: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[tuple[Any, ...]]] = (
            defaultdict(list)
        )

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if not self.buffered:
            self._conn.execute(table.insert(), rows)
            return
        self._inserts[table.name].extend(rows)
        pending = self._pending.get(table.name)
        if pending is not None:
            _by_key(table, rows, pending)

    def update(self, table: Table, key: dict[str, Any], values: dict[str, Any]) -> int:
        """Update the row with this primary key (and any extra key columns, e.g. a version)."""
        if not self.buffered:
            where = [table.c[name] == value for name, value in key.items()]
            return int(self._conn.execute(update(table).where(*where).values(**values)).rowcount)
        pending = self._pending.get(table.name)
        if pending is None:
            pending = self._pending[table.name] = {}
            _by_key(table, self._inserts.get(table.name, []), pending)
        row = pending.get(_shape(table).pick_key(key))
        if row is not None:
            row.update(values)
            return 1
        self._updates[table.name, tuple(key), tuple(values)].append(
            (*key.values(), *values.values())
        )
        return 1

    def delete(self, table: Table, key: dict[str, Any]) -> int:
        """Delete the rows matching `key`; in a batch, what is pending is sent first."""
        self.flush()
        where = [table.c[name] == value for name, value in key.items()]
        return int(self._conn.execute(table.delete().where(*where)).rowcount)

    def flush(self) -> None:
        if not self.buffered:
            return
        self.numbers.number_marks()
        if self._inserts:
            tables = [
                (t, rows)
                for t in _in_dependency_order()
                if (rows := self._inserts.pop(t.name, None))
            ]
            if self._conn.dialect.name == "postgresql":
                self._copy_all(tables)
            else:
                for table, rows in tables:
                    self._insert_rows(table, rows)
            self._pending.clear()
        for (name, keys, columns), updated in self._updates.items():
            self._update_rows(metadata.tables[name], keys, columns, updated)
        self._updates.clear()

    def _copy_all(self, tables: list[tuple[Table, list[dict[str, Any]]]]) -> None:
        """One COPY a table, in order. While the database takes one table's rows, the next
        table's are encoded here: the two overlap, as the database works in a process of its
        own."""
        driver = self._conn.connection.driver_connection
        assert driver is not None
        numbered = self.numbers.numbered
        with driver.cursor() as cursor:
            encoded = _copy_of(*tables[0])
            for following in [*tables[1:], None]:
                statement, data = encoded
                with cursor.copy(statement) as copy:
                    copy.write(numbered(data))
                    if following is not None:
                        encoded = _copy_of(*following)

    def _insert_rows(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """SQLite is in-process: one executemany of rows encoded here, as COPY's are, is as
        fast as anything else."""
        names = _names_in(table, rows)
        encoders = _encoders(table, tuple(names), self._conn.dialect)
        columns = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" * len(names))
        self._conn.exec_driver_sql(
            f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})',
            _encoded(rows, names, encoders),
        )

    def _update_rows(
        self,
        table: Table,
        keys: tuple[str, ...],
        columns: tuple[str, ...],
        rows: list[tuple[Any, ...]],
    ) -> None:
        """On PostgreSQL one UPDATE joins the rows through their keys, each column's new values
        sent as one array; on SQLite, in-process, one executemany of rows encoded here. Each
        row holds the key's values, then the new values."""
        values = list(zip(*rows, strict=True))
        if self._conn.dialect.name != "postgresql":
            encoders = _encoders(table, keys + columns, self._conn.dialect)
            self._conn.exec_driver_sql(
                _update_by_key(table, keys, columns), _encoded_columns(values, encoders)
            )
            return
        statement = _update_from_arrays(table, keys, columns, self._conn.dialect)
        elements = _element_encoders(table, keys + columns)
        numbered = self.numbers.numbered
        arrays = {
            f"a{i}": numbered(_array_of(column, encode))
            for i, (column, encode) in enumerate(zip(values, elements, strict=True))
        }
        self._conn.execute(statement, arrays)


def _by_key(table: Table, rows: list[dict[str, Any]], found: dict[Any, dict[str, Any]]) -> None:
    """Add these rows to `found` by their primary key, where they hold it (not where the
    database assigns it)."""
    shape = _shape(table)
    first = shape.key[0]
    for row in rows:
        if first in row:
            found[shape.pick_key(row)] = row


def _names_in(table: Table, rows: list[dict[str, Any]]) -> list[str]:
    """The table's columns the rows hold, in the table's order."""
    present = set().union(*rows)
    return [name for name in _shape(table).columns if name in present]


def _copy_of(table: Table, rows: list[dict[str, Any]]) -> tuple[str, str]:
    """The COPY statement of a table's rows (the columns they hold), and its data."""
    names = _names_in(table, rows)
    columns = ", ".join(f'"{name}"' for name in names)
    data = copy_text(rows, names, _text_encoders(table, tuple(names)))
    return f'COPY "{table.name}" ({columns}) FROM STDIN', data


@cache
def _update_by_key(table: Table, keys: tuple[str, ...], columns: tuple[str, ...]) -> str:
    """SQLite's `UPDATE … WHERE key = ?`, its parameters numbered: the key's, then the values."""
    assignments = ", ".join(f'"{c}" = ?{len(keys) + i + 1}' for i, c in enumerate(columns))
    matches = " AND ".join(f'"{k}" = ?{i + 1}' for i, k in enumerate(keys))
    return f'UPDATE "{table.name}" SET {assignments} WHERE {matches}'


@cache
def _update_from_arrays(
    table: Table, keys: tuple[str, ...], columns: tuple[str, ...], dialect: Dialect
) -> TextClause:
    """`UPDATE … FROM unnest(:a0, :a1, …)`: the keys, then the new values, one array each."""
    names = [f"k_{k}" for k in keys] + [f"v_{c}" for c in columns]
    kinds = [table.c[name].type.compile(dialect=dialect) for name in keys + columns]
    arrays = ", ".join(f"CAST(:a{i} AS {kind}[])" for i, kind in enumerate(kinds))
    assignments = ", ".join(f'"{c}" = s."v_{c}"' for c in columns)
    matches = " AND ".join(f't."{k}" = s."k_{k}"' for k in keys)
    picked = ", ".join(f'"{name}"' for name in names)
    return text(
        f'UPDATE "{table.name}" AS t SET {assignments} '
        f"FROM unnest({arrays}) AS s({picked}) WHERE {matches}"
    ).bindparams(*(bindparam(f"a{i}", type_=Text) for i in range(len(names))))


@cache
def _element_encoders(table: Table, names: tuple[str, ...]) -> tuple[_Encoder, ...]:
    """How a column's values are written as elements of an array literal: JSON as its text, an
    instant in ISO 8601 with its offset; others as they are."""

    def encoder(kind: TypeEngine[Any]) -> _Encoder:
        if isinstance(kind, JSON):
            return _Encoder(lambda value: array_element(json_values.dumps(value)), False)
        if isinstance(kind, UtcDateTime):
            return _Encoder(lambda value: array_element(_instant(value)), True)
        return _Encoder(array_element, True)

    return tuple(encoder(table.c[name].type) for name in names)


def _array_of(values: Sequence[Any], elements: _Encoder) -> str:
    """A column's values as an array literal, each written as its quoted element
    (`array_element`); a value met many times in the column (the batch's instant, a status, a
    version) is written once, as for COPY."""
    encode, hashable = elements
    assert encode is not None
    if hashable and all(type(value) is str for value in values):
        return array_literal(values)  # text, quoted at once
    encoded = _each_encoded(values, encode, "NULL", hashable=hashable)
    return "{" + ",".join(encoded) + "}"


def copy_text(
    rows: list[dict[str, Any]], names: Sequence[str], encoders: Sequence[Callable[[Any], str]]
) -> str:
    """Rows in COPY's text format, encoded here, column by column as each column's type says:
    one string for the whole table, rather than a driver call and a type lookup per value. A
    value met many times in a column (the batch's instant, a currency, a status) is encoded
    once; a column of text with nothing to escape (ids, numbers, codes) is taken as it is."""
    columns = [
        values
        if encode is _string and _as_they_are(values)
        else _each_encoded(values, encode, "\\N", hashable=encode is not _json_field)
        for values, encode in zip(_columns(rows, names), encoders, strict=True)
    ]
    return "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"


def _as_they_are(values: Sequence[Any]) -> bool:
    """Whether every value is text that COPY takes as it is: no NULL, nothing to escape."""
    try:
        joined = "".join(values)  # refuses anything but text
    except TypeError:
        return False
    return _escaped(joined) is joined  # nothing to escape in any of them


def _columns(rows: list[dict[str, Any]], names: Sequence[str]) -> Iterable[Sequence[Any]]:
    """Each column's values; at C speed when every row has every column, as a batch's rows of
    one table mostly do."""
    if len(names) > 1:
        try:
            return list(zip(*map(itemgetter(*names), rows), strict=True))
        except KeyError:
            pass
    return [[row.get(name) for row in rows] for name in names]


def _each_encoded(
    values: Sequence[Any], encode: Callable[[Any], Any], null: Any, *, hashable: bool
) -> list[Any]:
    """A column's values encoded (`null` for a NULL); each distinct value once, when values can
    be looked up (not mappings or lists)."""
    if not hashable:
        return [null if value is None else encode(value) for value in values]
    encoded = {value: null if value is None else encode(value) for value in set(values)}
    return list(map(encoded.__getitem__, values))


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@cache
def _text_encoders(table: Table, names: tuple[str, ...]) -> tuple[Callable[[Any], str], ...]:
    return tuple(_text_encoder(table.c[name].type) for name in names)


def _text_encoder(kind: TypeEngine[Any]) -> Callable[[Any], str]:
    if isinstance(kind, JSON):
        return _json_field
    if isinstance(kind, String):
        return _string
    if isinstance(kind, UtcDateTime):
        return _instant
    return _field


def _string(value: Any) -> str:
    return _escaped(value) if type(value) is str else _field(value)


def _escaped(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def _instant(value: datetime) -> str:
    if type(value) is not datetime:
        return _field(value)
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.isoformat()


_FIELDS: dict[type, Callable[[Any], str]] = {
    str: _escaped,
    int: str,
    bool: lambda flag: "t" if flag else "f",
    datetime: _instant,
    date: date.isoformat,
    Decimal: str,
    float: repr,
}


def _field(value: Any) -> str:
    encode = _FIELDS.get(type(value))
    if encode is None:  # a subclass: a str enum, a datetime of another class
        encode = next(e for kind, e in _FIELDS.items() if isinstance(value, kind))
    return encode(value)


def _json_field(value: Any) -> str:
    return _escaped(json_values.dumps(value))
