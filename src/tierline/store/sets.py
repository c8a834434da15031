"""`column IN (…)` for the large id sets a batch reads.

On PostgreSQL the set goes as one array parameter, unnested (`IN (SELECT unnest(:ids))`): a
statement with hundreds of expanded parameters costs more to build and parse than to run. The
array is sent as one text value, written here: the driver would look at every element on its
own. Unnested, the set is a relation the planner joins through the column's index; as `=
ANY(:ids)` it may be a filter checked element by element against every row another index found
(a table whose statistics say it is small: the payments of a first billing run). On SQLite the
set goes as one JSON array, read back as a table (`json_each`), for the same reason: expanded
into a parameter per value, the statement is built anew for every size of set.

Where even the unnested set may be planned as a filter (a second condition that another index
serves, and statistics that call the table small), `each_of` gives the set as a relation to
look each value up from, one index lookup a value.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Text,
    bindparam,
    cast,
    func,
    literal_column,
    select,
)

from tierline.store import json_values


def one_of(conn: Connection, column: ColumnElement[Any], values: Collection[Any]) -> Any:
    listed = _listed(conn, column, values)
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # its dialect, only when in use

        return column.in_(select(func.unnest(cast(listed, ARRAY(column.type)))).scalar_subquery())
    return column.in_(select(literal_column("value")).select_from(func.json_each(listed)))


def each_of(conn: Connection, column: ColumnElement[Any], values: Collection[Any]) -> Any:
    """The set as a relation of its own, one row a value (column `value`), to drive a query
    that looks each value up by itself: a correlated subquery on it reads through the index
    once a value, whatever the statistics say of the table it reads (`one_of` leaves the
    planner free to scan another index whole and compare every row with the set)."""
    listed = _listed(conn, column, values)
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # its dialect, only when in use

        unnested = func.unnest(cast(listed, ARRAY(column.type)))
        return unnested.table_valued("value").render_derived(with_types=False)
    return func.json_each(listed).table_valued("value")


def _listed(conn: Connection, column: ColumnElement[Any], values: Collection[Any]) -> Any:
    """The set as one parameter: an array's text on PostgreSQL, a JSON array on SQLite."""
    if conn.dialect.name == "postgresql":
        return bindparam(None, array_literal(values), type_=Text)
    encode = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    stored = list(values) if encode is None else [encode(value) for value in values]
    return bindparam(None, json_values.dumps(stored), type_=Text)


def array_literal(values: Iterable[Any]) -> str:
    """A PostgreSQL array as its text form, `{"a","b",NULL}`, to be cast to the array's type.
    Strings with nothing to escape (ids, numbers, instants: most of what a batch sends) are
    quoted all at once."""
    listed = list(values)
    if all(type(value) is str for value in listed):
        joined = '","'.join(listed)
        if "\\" not in joined and '"' not in "".join(listed):
            return '{"' + joined + '"}' if listed else "{}"
    return "{" + ",".join(map(array_element, listed)) + "}"


def array_element(value: Any) -> str:
    """A value as an element of an array literal, quoted."""
    if value is None:
        return "NULL"
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    if '"' in text or "\\" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
