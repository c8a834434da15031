"""A subscription's state and the transitions of its lifecycle.

trialing ──trial ends, paid──▶ active ──renewal unpaid──▶ past_due ──retries fail──▶ canceled
    │                            ▲  │                       │
    │                            └──┼───────paid────────────┘
    └─────────────auto-renew off, period ends──────────────────▶ expired
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from tierline.domain.lines import Charge
from tierline.domain.periods import Period
from tierline.domain.plan import Plan
from tierline.domain.values import quick_init, replace

Status = Literal["trialing", "active", "past_due", "canceled", "expired"]
STATUSES: tuple[Status, ...] = ("trialing", "active", "past_due", "canceled", "expired")

DISPLAY_STATUS: dict[Status, str] = {
    "trialing": "Try",
    "active": "Active",
    "past_due": "Active",
    "canceled": "Inactive",
    "expired": "Inactive",
}


@dataclass(frozen=True)
class ScheduledChange:
    """A future-dated change on the subscription's timeline (shown as pending, cancellable)."""

    id: str
    target: Plan
    change_class: str
    effective_at: datetime
    created_at: datetime


@dataclass(frozen=True)
class PriceChange:
    """A new price list announced to the subscription: its renewal at `at` is priced from
    catalog version `version` (`existing: next_renewal`)."""

    version: int
    at: datetime


@quick_init
@dataclass(frozen=True)
class Subscription:
    id: str
    account_id: str
    plan: Plan
    status: Status
    auto_renew: bool
    anchor: datetime
    period: Period
    started_at: datetime
    charges: tuple[Charge, ...] = ()
    trial_end: datetime | None = None
    next_charges: tuple[Charge, ...] | None = None  # set once the next period is invoiced
    pending: ScheduledChange | None = None
    ended_at: datetime | None = None
    version: int = 0
    # The catalog version its renewals are priced from; None: the current one.
    catalog_version: int | None = None
    price_change: PriceChange | None = None

    @property
    def is_live(self) -> bool:
        return self.status in ("trialing", "active", "past_due")

    @property
    def display_status(self) -> str:
        return DISPLAY_STATUS[self.status]


def fall_past_due(sub: Subscription) -> Subscription:
    """A renewal went unpaid: the service goes on while its invoice is retried."""
    return replace(sub, status="past_due")


def reactivate(sub: Subscription) -> Subscription:
    """Its unpaid invoice was paid: a past-due subscription is active again."""
    return replace(sub, status="active") if sub.status == "past_due" else sub


def cancel_unpaid(sub: Subscription, now: datetime) -> Subscription:
    """Every retry failed and the catalog cancels: the service ends now, nothing is pending."""
    return replace(sub, status="canceled", ended_at=now, auto_renew=False, pending=None)


def expire(sub: Subscription, at: datetime) -> Subscription:
    """Auto-renewal was off (or a trial was not converted): the service ends at `at`."""
    return replace(sub, status="expired", ended_at=at, pending=None)


def convert_trial(sub: Subscription, period: Period, charges: tuple[Charge, ...]) -> Subscription:
    """The trial ended with auto-renewal on: the first paid period starts at its end."""
    return replace(sub, status="active", anchor=period.start, period=period, charges=charges)


def renewal_due_at(sub: Subscription, lead_days: int) -> datetime:
    return sub.period.end - timedelta(days=lead_days)


def next_action_at(sub: Subscription, lead_days: int) -> datetime | None:
    """When this subscription next needs the billing run: trial end, renewal, or period end."""
    if not sub.is_live:
        return None
    if sub.status == "trialing":
        return sub.period.end
    if sub.auto_renew and sub.next_charges is None:
        return min(renewal_due_at(sub, lead_days), sub.period.end)
    return sub.period.end
