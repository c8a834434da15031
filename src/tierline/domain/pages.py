"""Pages of a list: at most `limit` items after a cursor, in the list's order, and whether more
follow. The cursor names the last item of the previous page (its id, or a document's number).

A list that grows without bound is paged where it is stored (`tierline.store.pages`); a list
the catalog bounds (editions, limits) is paged in memory with `paginate`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tierline.domain.errors import Invalid

T = TypeVar("T")
U = TypeVar("U")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    starting_after: str | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    has_more: bool

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        return Page(tuple(convert(item) for item in self.items), self.has_more)


def page_of(rows: Sequence[T], limit: int) -> Page[T]:
    """The page from up to `limit + 1` rows read in the list's order: one more means more follow."""
    return Page(tuple(rows[:limit]), len(rows) > limit)


def unknown_cursor(cursor: str) -> Invalid:
    return Invalid(
        f"No item '{cursor}' in this list to start after.",
        code="unknown_cursor",
        param="starting_after",
    )


def paginate(items: Sequence[T], key: Callable[[T], str], request: PageRequest) -> Page[T]:
    """A page of a list held in memory, in its order; `key` is what a cursor names."""
    start = 0
    if request.starting_after is not None:
        keys = [key(item) for item in items]
        if request.starting_after not in keys:
            raise unknown_cursor(request.starting_after)
        start = keys.index(request.starting_after) + 1
    return page_of(items[start : start + request.limit + 1], request.limit)
