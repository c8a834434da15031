"""Keyset pagination in the database: `WHERE (order key) > (the cursor's key) ORDER BY the key
LIMIT n + 1`, so a page costs the same however deep into the list it starts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, select, tuple_

from tierline.domain.pages import Page, PageRequest, page_of, unknown_cursor


def keyset_page(
    conn: Connection,
    query: Select[Any],
    order: Sequence[ColumnElement[Any]],
    request: PageRequest,
    cursor: Callable[[str], ColumnElement[bool]],
) -> Page[Row[Any]]:
    """A page of `query` in `order`, whose columns together are unique within the list.

    `cursor(name)` is the condition that finds the item a cursor names, among the list's items
    whatever its filters (an invoice paid since the previous page still marks the place); an
    unknown cursor is refused with `unknown_cursor`.
    """
    if request.starting_after is not None:
        key = conn.execute(select(*order).where(cursor(request.starting_after))).first()
        if key is None:
            raise unknown_cursor(request.starting_after)
        # Compared to a plain tuple, each value is bound with its column's type (UTC instants).
        query = query.where(tuple_(*order) > tuple(key))
    rows = conn.execute(query.order_by(*order).limit(request.limit + 1)).all()
    return page_of(rows, request.limit)
