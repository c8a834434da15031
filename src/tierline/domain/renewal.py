"""Renewal: invoice the next period (with any scheduled change), then roll over at period end."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from tierline.domain.catalog import Catalog
from tierline.domain.items import full_period, plan_items
from tierline.domain.lines import Charge, Line
from tierline.domain.periods import Period, boundary, period_at
from tierline.domain.plan import Plan, resolve
from tierline.domain.subscription import Subscription, expire


@dataclass(frozen=True)
class RenewalInvoice:
    plan: Plan
    period: Period
    lines: tuple[Line, ...]
    charges: tuple[Charge, ...]


def next_plan(sub: Subscription) -> Plan:
    """The plan of the next period: a scheduled change counts once its date has come."""
    if sub.pending is not None and sub.pending.effective_at <= sub.period.end:
        return sub.pending.target
    return sub.plan


def next_period(sub: Subscription, catalog: Catalog, tz: str) -> Period:
    """The period after the current one, counted from the anchor (a new cycle re-anchors)."""
    plan = next_plan(sub)
    cycle = catalog.cycle(plan.cycle)
    assert cycle is not None
    if plan.cycle != sub.plan.cycle:
        return Period(sub.period.end, boundary(sub.period.end, cycle.length, 1, tz))
    return period_at(sub.anchor, cycle.length, sub.period.end, tz)


def renewal_invoice(sub: Subscription, catalog: Catalog, tz: str) -> RenewalInvoice:
    plan = next_plan(sub)
    period = next_period(sub, catalog, tz)
    lines, charges = full_period(plan_items(catalog, resolve(catalog, plan)), period, catalog)
    return RenewalInvoice(plan, period, tuple(line for line in lines if line.amount), charges)


def first_period(plan: Plan, catalog: Catalog, start: datetime, tz: str) -> Period:
    cycle = catalog.cycle(plan.cycle)
    assert cycle is not None
    return Period(start, boundary(start, cycle.length, 1, tz))


def roll_over(sub: Subscription, catalog: Catalog, tz: str) -> Subscription:
    """At period end: the next period begins with the plan and charges invoiced for it.

    With auto-renew off the subscription expires instead, unless the next period was invoiced
    already (renewal lead days) before auto-renew was turned off: that period is served first.
    """
    if not sub.auto_renew and sub.next_charges is None:
        return expire(sub, sub.period.end)
    period = next_period(sub, catalog, tz)
    plan = next_plan(sub)
    anchor = sub.period.end if plan.cycle != sub.plan.cycle else sub.anchor
    return replace(
        sub,
        plan=plan,
        period=period,
        anchor=anchor,
        charges=sub.next_charges or (),
        next_charges=None,
        pending=sub.pending if plan == sub.plan else None,
    )
