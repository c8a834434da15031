"""Rows read in bulk, as named tuples.

SQLAlchemy's `Row` looks each attribute up by name on every access: for a batch that turns
hundreds of rows of twenty columns into domain values, that lookup costs more than the rest.
A named tuple made once per row answers the same `row.column` at the cost of an index.
"""

from __future__ import annotations

from collections import namedtuple
from functools import cache
from typing import Any

from sqlalchemy import Result


def named_rows(result: Result[Any]) -> list[Any]:
    make = _row_type(tuple(result.keys()))._make
    return list(map(make, result.fetchall()))  # fetched at once: not a driver call per row


@cache
def _row_type(columns: tuple[str, ...]) -> Any:
    return namedtuple("Row", columns, rename=True)
