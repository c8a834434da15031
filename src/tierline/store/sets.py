"""`column IN (…)` for the large id sets a batch reads.

On PostgreSQL the set goes as one array parameter, unnested (`IN (SELECT unnest(:ids))`): a
statement with hundreds of expanded parameters costs more to build and parse than to run. The
array is sent as one text value, written here: the driver would look at every element on its
own. Unnested, the set is a relation the planner joins through the column's index; as `=
ANY(:ids)` it may be a filter checked element by element against every row another index found
(a table whose statistics say it is small: the payments of a first billing run). On SQLite the
set goes as one JSON array, read back as a table (`json_each`), for the same reason: expanded
into a parameter per value, the statement is built anew for every size of set.

Where even the unnested set may be planned as a filter (a second condition that an index
serves, and statistics that call the table small), `for_each_of` looks each value up alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Text,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    true,
)

from tierline.store import json_values


def one_of(conn: Connection, column: ColumnElement[Any], values: Collection[Any]) -> Any:
    if conn.dialect.name == "postgresql":
        return column.in_(select(_unnested(column, values)).scalar_subquery())
    encode = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    stored = list(values) if encode is None else [encode(value) for value in values]
    listed = bindparam(None, json_values.dumps(stored), type_=Text)
    return column.in_(select(literal_column("value")).select_from(func.json_each(listed)))


def for_each_of(
    conn: Connection, query: Select[Any], column: ColumnElement[Any], values: Collection[Any]
) -> Select[Any]:
    """`query`, on one table, for the rows whose `column` is one of `values`, looked up one value
    at a time through that column's index, whatever the statistics say of the table. On
    PostgreSQL `one_of` leaves the planner free to scan an index by another of its columns whole
    and compare every row with the set: a second condition that such an index serves, and
    statistics that call the table small (rows a run adds), and the read grows with the table.
    Here the set drives a lateral subquery instead, which `OFFSET 0` keeps from being turned
    back into a join. SQLite looks each value of `one_of` up through the index as it is."""
    if conn.dialect.name != "postgresql":
        return query.where(one_of(conn, column, values))
    wanted = _unnested(column, values).table_valued("value").render_derived(with_types=False)
    each = query.where(column == wanted.c.value).offset(0).lateral()
    return select(each).select_from(wanted).join(each, true())


def _unnested(column: ColumnElement[Any], values: Collection[Any]) -> Any:
    """PostgreSQL: the set as one array parameter (its text), unnested."""
    from sqlalchemy.dialects.postgresql import ARRAY  # its dialect, only when in use

    listed = bindparam(None, array_literal(values), type_=Text)
    return func.unnest(cast(listed, ARRAY(column.type)))


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
