"""Billing periods computed from an anchor, never from the previous period's end.

Anchor Jan 31 with a monthly cycle gives Feb 28 (or 29), Mar 31, Apr 30: the day of the anchor
is kept wherever the month has it. Month arithmetic happens in the account's timezone, so a
period that starts at local midnight ends at local midnight.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

Granularity = Literal["day", "second"]


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("period bounds must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("a period ends after it starts")

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


@dataclass(frozen=True)
class CycleLength:
    """N months or N days."""

    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if (self.months > 0) == (self.days > 0):
            raise ValueError("a cycle is either months or days, and positive")


def add_months(day: date, months: int, anchor_day: int) -> date:
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor_day, last))


def period_end(anchor: datetime, length: CycleLength, index: int, tz: str = "UTC") -> datetime:
    """End of period number `index` (0-based) counted from `anchor`: anchor + (index+1) cycles."""
    return boundary(anchor, length, index + 1, tz)


def boundary(anchor: datetime, length: CycleLength, count: int, tz: str = "UTC") -> datetime:
    """The instant `count` cycles after the anchor, in the account's timezone."""
    zone = ZoneInfo(tz)
    local = anchor.astimezone(zone)
    if length.days:
        day = local.date() + timedelta(days=length.days * count)
    else:
        day = add_months(local.date(), length.months * count, local.day)
    naive = datetime.combine(day, local.time().replace(tzinfo=None))
    return naive.replace(tzinfo=zone).astimezone(UTC)


@lru_cache(maxsize=4096)  # a renewal asks for the next period twice: to invoice, to roll over
def period_at(anchor: datetime, length: CycleLength, instant: datetime, tz: str = "UTC") -> Period:
    """The period, counted from the anchor, that contains `instant` (at or after the anchor)."""
    if instant < anchor:
        raise ValueError("instant before anchor")
    # Estimate the index from the calendar, then correct it: month lengths vary.
    zone = ZoneInfo(tz)
    start, at = anchor.astimezone(zone), instant.astimezone(zone)
    if length.days:
        count = (at.date() - start.date()).days // length.days
    else:
        count = ((at.year - start.year) * 12 + at.month - start.month) // length.months
    count = max(count - 1, 0)
    end = boundary(anchor, length, count + 1, tz)
    while end <= instant:
        count += 1
        end = boundary(anchor, length, count + 1, tz)
    begin = boundary(anchor, length, count, tz)
    while count > 0 and begin > instant:
        count -= 1
        end, begin = begin, boundary(anchor, length, count, tz)
    return Period(begin, end)


def local_day(instant: datetime, tz: str) -> date:
    return instant.astimezone(ZoneInfo(tz)).date()


def measure(start: datetime, end: datetime, granularity: Granularity, tz: str) -> int:
    """Length of [start, end) in whole days (in the account's timezone) or seconds."""
    if end <= start:
        return 0
    if granularity == "second":
        return int((end - start).total_seconds())
    return (local_day(end, tz) - local_day(start, tz)).days


def unused_fraction(
    paid_from: datetime,
    period_end: datetime,
    now: datetime,
    granularity: Granularity,
    tz: str,
) -> Fraction:
    """The share of [paid_from, period_end) that lies after `now`, exact, between 0 and 1."""
    whole = measure(paid_from, period_end, granularity, tz)
    if whole <= 0:
        return Fraction(0)
    unused = measure(max(now, paid_from), period_end, granularity, tz)
    return Fraction(min(max(unused, 0), whole), whole)
