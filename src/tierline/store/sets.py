"""`column IN (…)` for the large id sets a batch reads.

On PostgreSQL the set goes as one array parameter (`= ANY(:ids)`): a statement with hundreds of
expanded parameters costs more to build and parse than to run.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Connection, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def one_of(conn: Connection, column: ColumnElement[Any], values: Collection[Any]) -> Any:
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)
