"""Renewal: invoice the next period (with any scheduled change), then roll over at period end.

`decide_due` is what the billing run asks of one subscription each time something falls due: a
trial ends, a period is renewed (invoiced ahead by the catalog's lead days), a period ends. It
returns an `Outcome`; the service stores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from tierline.domain.catalog import CHANGE_CLASS_ORDER, Catalog
from tierline.domain.events import ChangeApplied, Event, Expired, Renewed, TrialEnded
from tierline.domain.items import first_stub, plan_items, whole_period
from tierline.domain.lines import Charge, Line
from tierline.domain.periods import Period, boundary, period_at, unused_fraction
from tierline.domain.plan import Plan, resolve
from tierline.domain.subscription import Subscription, convert_trial, expire, renewal_due_at
from tierline.domain.values import quick_init, replace


@quick_init
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


def keeps_anchor(sub: Subscription, catalog: Catalog) -> bool:
    """Whether the scheduled change keeps the billing day when it changes the cycle: under
    `prorate` it does, and the new cycle's first period ends on the next boundary counted from
    the anchor; under `restart` or `none` the new cycle starts afresh at the period end."""
    pending = sub.pending
    if pending is None:
        return False
    found = next((c for c in CHANGE_CLASS_ORDER if c == pending.change_class), None)
    return found is not None and catalog.policies.for_class(found).proration == "prorate"


def next_period(sub: Subscription, catalog: Catalog, tz: str) -> Period:
    """The period after the current one, counted from the anchor. A new cycle re-anchors at
    the period end, or, when the change keeps the billing day, runs to the next boundary of the
    new cycle counted from the anchor."""
    plan = next_plan(sub)
    cycle = catalog.cycle(plan.cycle)
    assert cycle is not None
    if plan.cycle != sub.plan.cycle:
        if keeps_anchor(sub, catalog):
            whole = period_at(sub.anchor, cycle.length, sub.period.end, tz)
            return Period(sub.period.end, whole.end)
        return Period(sub.period.end, boundary(sub.period.end, cycle.length, 1, tz))
    return period_at(sub.anchor, cycle.length, sub.period.end, tz)


def renewal_invoice(sub: Subscription, catalog: Catalog, tz: str) -> RenewalInvoice:
    plan = next_plan(sub)
    period = next_period(sub, catalog, tz)
    if plan.cycle != sub.plan.cycle and keeps_anchor(sub, catalog):
        # The first period of the new cycle, to the next boundary from the anchor: the share
        # of the whole new-cycle period that ends there.
        items = plan_items(catalog, resolve(catalog, plan))
        cycle = catalog.cycle(plan.cycle)
        assert cycle is not None
        whole = period_at(sub.anchor, cycle.length, period.start, tz)
        granularity = catalog.policies.granularity
        share = unused_fraction(whole.start, whole.end, period.start, granularity, tz)
        lines, charges = first_stub(items, whole, period.start, share, catalog)
    else:
        lines, charges = whole_period(catalog, plan, period)
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
    moves = plan.cycle != sub.plan.cycle and not keeps_anchor(sub, catalog)
    anchor = sub.period.end if moves else sub.anchor
    return replace(
        sub,
        plan=plan,
        period=period,
        anchor=anchor,
        charges=sub.next_charges or (),
        next_charges=None,
        pending=sub.pending if plan == sub.plan else None,
    )


@dataclass(frozen=True)
class InvoiceToIssue:
    """An invoice an outcome asks for. Its number is given when it is stored; the charges it
    bills (`charges` of the period starting, or `next_charges` of the one invoiced ahead) then
    name it."""

    lines: tuple[Line, ...]
    reason: Literal["renewal", "trial_end"]
    period_start: datetime
    bills: Literal["charges", "next_charges"]


@dataclass(frozen=True)
class Outcome:
    """What one due step does: the subscription after, the events in the order they happen,
    the content to adapt when the plan changed (from, to), and the invoice to issue, which is
    collected once issued when the catalog charges automatically."""

    subscription: Subscription
    events: tuple[Event, ...] = ()
    adapt_content: tuple[Plan, Plan] | None = None
    events_after_content: tuple[Event, ...] = ()
    invoice: InvoiceToIssue | None = None

    def invoiced(self, number: str) -> Subscription:
        """The subscription after, its charges naming the invoice issued for them."""
        sub, invoice = self.subscription, self.invoice
        if invoice is None:
            return sub
        if invoice.bills == "charges":
            return replace(sub, charges=_naming(sub.charges, number))
        return replace(sub, next_charges=_naming(sub.next_charges or (), number))


def _naming(charges: tuple[Charge, ...], number: str) -> tuple[Charge, ...]:
    return tuple(replace(charge, invoice=number) for charge in charges)


def plain_renewal(
    sub: Subscription, catalog: Catalog, tz: str, now: datetime
) -> RenewalInvoice | None:
    """What most subscriptions of a billing run have due, decided without stepping: when all
    that is due by `now` is the renewal of the period that ended and the roll-over into the
    renewed one, its renewal invoice; the steps of `decide_due` would give the same. None for
    anything else (a trial, a scheduled or announced change, packs alone, auto-renew off, a
    period invoiced ahead already, a free plan, the renewed period due for its own renewal),
    which `decide_due` takes step by step."""
    if (
        sub.status not in ("active", "past_due")
        or not sub.auto_renew
        or sub.next_charges is not None
        or sub.pending is not None
        or sub.price_change is not None
        or sub.plan.addons_only
        or sub.period.end > now
    ):
        return None
    renewal = renewal_invoice(sub, catalog, tz)
    if renewal.period.end - timedelta(days=catalog.renewal.lead_days) <= now:
        return None  # the renewed period is due for its own renewal already
    return renewal if renewal.lines else None


def renewed(sub: Subscription, renewal: RenewalInvoice, invoice: str, version: int) -> Subscription:
    """The subscription in the period `renewal` renewed, its charges named by `invoice`, priced
    from catalog `version` (the one `renewal` was priced from) from now on."""
    return replace(
        sub,
        period=renewal.period,
        charges=_naming(renewal.charges, invoice),
        catalog_version=version,
    )


def decide_due(
    sub: Subscription,
    catalog: Catalog,
    tz: str,
    due: datetime,
    *,
    invoiced: Callable[[datetime], bool],
    beside_paid_edition: bool = True,
) -> Outcome:
    """The step due at `due`. `invoiced(start)` says whether the renewal invoice of the period
    starting then exists already (a run that stopped midway), so it is never issued twice.

    Packs on a subscription of their own renew only beside a live paid edition: once the
    account has none, they are not renewed, and end with the period paid for."""
    if sub.plan.addons_only and not beside_paid_edition and sub.auto_renew:
        return Outcome(replace(sub, auto_renew=False))
    if sub.status == "trialing":
        return _end_trial(sub, catalog, tz)
    lead_days = catalog.renewal.lead_days
    if sub.auto_renew and sub.next_charges is None and due >= renewal_due_at(sub, lead_days):
        return _renew(sub, catalog, tz, invoiced)
    return _end_period(sub, catalog, tz)


def _renew(
    sub: Subscription, catalog: Catalog, tz: str, invoiced: Callable[[datetime], bool]
) -> Outcome:
    renewal = renewal_invoice(sub, catalog, tz)
    after = replace(sub, next_charges=renewal.charges)
    if not renewal.lines or invoiced(renewal.period.start):
        return Outcome(after)
    invoice = InvoiceToIssue(renewal.lines, "renewal", renewal.period.start, "next_charges")
    return Outcome(after, invoice=invoice)


def _end_trial(sub: Subscription, catalog: Catalog, tz: str) -> Outcome:
    if not sub.auto_renew:
        return Outcome(expire(sub, sub.period.end), events=(Expired(sub.id, trial=True),))
    period = first_period(sub.plan, catalog, sub.period.end, tz)
    lines, charges = whole_period(catalog, sub.plan, period)
    billed = tuple(line for line in lines if line.amount)
    after = convert_trial(sub, period, charges)
    invoice = InvoiceToIssue(billed, "trial_end", period.start, "charges") if billed else None
    return Outcome(after, events=(TrialEnded(sub.id),), invoice=invoice)


def _end_period(sub: Subscription, catalog: Catalog, tz: str) -> Outcome:
    after = roll_over(sub, catalog, tz)
    if after.status == "expired":
        return Outcome(after, events=(Expired(after.id, ended_at=sub.period.end),))
    applied: tuple[Event, ...] = ()
    if sub.pending is not None and after.pending is None:  # not one that waits longer
        edition = catalog.edition(after.plan.edition)
        name = edition.name if edition else after.plan.edition
        if after.plan.addons_only:  # packs alone: they are what the subscription holds
            name = ", ".join(
                f"{addon.name if addon else code} × {count}"
                for code, count in after.plan.addons.items()
                for addon in (catalog.addon(code),)
            )
        applied = (ChangeApplied(after.id, name, sub.pending.change_class),)
    return Outcome(
        after,
        events=applied,
        adapt_content=(sub.plan, after.plan) if sub.plan != after.plan else None,
        events_after_content=(Renewed(after.id, after.period.end),),
    )
