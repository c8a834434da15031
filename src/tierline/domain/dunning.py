"""What an unpaid invoice and its subscription become when a collection round fails: the
catalog's retries (`renewal.retry_days`, counted from the first failure), then, once they are
spent, what `renewal.when_retries_fail` says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from tierline.domain.documents import Invoice
from tierline.domain.subscription import Subscription, cancel_unpaid, fall_past_due
from tierline.domain.values import replace


@dataclass(frozen=True)
class Dunning:
    invoice: Invoice  # its round counted, its next attempt set (or none left)
    subscription: Subscription | None  # after: past due, cancelled, or as it was
    canceled: bool


def after_failed_round(
    invoice: Invoice,
    sub: Subscription | None,
    *,
    retry_days: tuple[int, ...],
    when_retries_fail: Literal["cancel", "past_due"],
    now: datetime,
) -> Dunning:
    first = invoice.first_failed_at or now
    upcoming = [first + timedelta(days=d) for d in retry_days if first + timedelta(days=d) > now]
    failed = replace(
        invoice,
        attempts=invoice.attempts + 1,
        first_failed_at=first,
        next_attempt_at=upcoming[0] if upcoming else None,
    )
    if sub is None or not sub.is_live:
        return Dunning(failed, sub, False)
    if upcoming or when_retries_fail == "past_due":
        return Dunning(failed, fall_past_due(sub), False)
    written_off = replace(failed, status="uncollectible", next_attempt_at=None)
    return Dunning(written_off, cancel_unpaid(sub, now), True)
