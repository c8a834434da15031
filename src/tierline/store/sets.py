"""`column IN (…)` for the large id sets a batch reads.

On PostgreSQL the set goes as one array parameter (`= ANY(:ids)`): a statement with hundreds of
expanded parameters costs more to build and parse than to run. The array is sent as one text
value, written here: the driver would look at every element on its own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Text, any_, bindparam, cast
from sqlalchemy.dialects.postgresql import ARRAY


def one_of(conn: Connection, column: ColumnElement[Any], values: Collection[Any]) -> Any:
    if conn.dialect.name == "postgresql":
        listed = bindparam(None, array_literal(values), type_=Text)
        return column == any_(cast(listed, ARRAY(column.type)))
    return column.in_(values)


def array_literal(values: Iterable[Any]) -> str:
    """A PostgreSQL array as its text form, `{"a","b",NULL}`, to be cast to the array's type."""
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    if '"' in text or "\\" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
