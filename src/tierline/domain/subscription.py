"""A subscription's state and the transitions of its lifecycle.

trialing ──trial ends, paid──▶ active ──renewal unpaid──▶ past_due ──retries fail──▶ canceled
    │                            ▲  │                       │
    │                            └──┼───────paid────────────┘
    └─────────────auto-renew off, period ends──────────────────▶ expired
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from tierline.domain.lines import Charge
from tierline.domain.periods import Period
from tierline.domain.plan import Plan

Status = Literal["trialing", "active", "past_due", "canceled", "expired"]

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

    @property
    def is_live(self) -> bool:
        return self.status in ("trialing", "active", "past_due")

    @property
    def display_status(self) -> str:
        return DISPLAY_STATUS[self.status]

    def with_status(self, status: Status) -> Subscription:
        return replace(self, status=status)


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
