"""`column IN (…)` for the large id sets a batch reads.

On PostgreSQL the set goes as one array parameter, unnested (`IN (SELECT unnest(:ids))`): a
statement with hundreds of expanded parameters costs more to build and parse than to run. The
array is sent as one text value, written here: the driver would look at every element on its
own. Unnested, the set is a relation the planner joins through the column's index; as `=
ANY(:ids)` it may be a filter checked element by element against every row another index found
(a table whose statistics say it is small: the payments of a first billing run).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Text, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY


def one_of(conn: Connection, column: ColumnElement[Any], values: Collection[Any]) -> Any:
    if conn.dialect.name == "postgresql":
        listed = bindparam(None, array_literal(values), type_=Text)
        return column.in_(select(func.unnest(cast(listed, ARRAY(column.type)))).scalar_subquery())
    # One parameter that expands when the statement runs: the statement is built and cached
    # once, not with a literal per value.
    return column.in_(bindparam(None, list(values), expanding=True))


def array_literal(values: Iterable[Any]) -> str:
    """A PostgreSQL array as its text form, `{"a","b",NULL}`, to be cast to the array's type.
    Strings with nothing to escape (ids, numbers, instants: most of what a batch sends) are
    quoted all at once."""
    listed = list(values)
    if all(type(value) is str for value in listed):
        joined = '","'.join(listed)
        if "\\" not in joined and '"' not in "".join(listed):
            return '{"' + joined + '"}' if listed else "{}"
    return "{" + ",".join(map(_element, listed)) + "}"


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    if '"' in text or "\\" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
