"""Classify a change and settle it under the catalog's policy.

One code path for every seed: the policy (timing, proration, credit_to, granularity) decides
what happens; the catalog decides the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tierline.domain.catalog import CHANGE_CLASS_ORDER, Catalog, ChangeClass, Edition, Policy
from tierline.domain.entitlements import Effect, change_effects
from tierline.domain.errors import Invalid, NotAllowed
from tierline.domain.items import Item, first_stub, full_period, plan_items, remaining_period
from tierline.domain.lines import Charge, Line, Wording, describe, english_count, total
from tierline.domain.money import multiply
from tierline.domain.periods import Granularity, Period, boundary, period_at, unused_fraction
from tierline.domain.plan import Plan, check_transition, resolve
from tierline.domain.renewal import next_period, renewal_invoice
from tierline.domain.subscription import ScheduledChange, Subscription, convert_trial
from tierline.domain.values import replace


@dataclass(frozen=True)
class Change:
    classes: frozenset[ChangeClass]
    primary: ChangeClass
    policy: Policy


def classify(catalog: Catalog, current: Plan, target: Plan) -> Change:
    classes: set[ChangeClass] = set()
    if target.edition != current.edition:
        classes.add("upgrade" if _is_upgrade(catalog, current, target) else "downgrade")
    if target.cycle != current.cycle:
        classes.add("cycle_change")
    if target.quantity > current.quantity:
        classes.add("quantity_increase")
    elif target.quantity < current.quantity:
        classes.add("quantity_decrease")
    for code in set(current.addons) | set(target.addons):
        before, after = current.addons.get(code, 0), target.addons.get(code, 0)
        if after > before:
            classes.add("addon_add")
        elif after < before:
            classes.add("addon_remove")
    if not classes:
        raise Invalid("The change asks for the plan the subscription already has.")
    primary = next(c for c in CHANGE_CLASS_ORDER if c in classes)
    return Change(frozenset(classes), primary, catalog.policies.for_class(primary))


def _is_upgrade(catalog: Catalog, current: Plan, target: Plan) -> bool:
    """By edition rank, then by price for one full cycle."""
    old, new = catalog.edition(current.edition), catalog.edition(target.edition)
    assert old is not None and new is not None
    if new.rank != old.rank:
        return new.rank > old.rank
    return plan_price(catalog, target) >= plan_price(catalog, current)


def plan_price(catalog: Catalog, plan: Plan) -> Decimal:
    """What the plan costs for one full cycle at list price."""
    items = plan_items(catalog, resolve(catalog, plan))
    return sum((i.quote.amount for i in items), Decimal(0))


@dataclass(frozen=True)
class Settlement:
    """What a change does, before anything is stored.

    `charge_lines` are positive; `credit_lines` are negative and say which invoice paid for the
    time they give back (`credit_sources`). Where the credit goes is `change.policy.credit_to`.
    """

    change: Change
    before: Subscription
    after: Subscription
    effective_at: datetime
    scheduled: bool
    charge_lines: tuple[Line, ...]
    credit_lines: tuple[Line, ...]
    credit_sources: tuple[str, ...]
    next_renewal_amount: Decimal
    effects: tuple[Effect, ...]

    @property
    def charged(self) -> Decimal:
        return sum((line.amount for line in self.charge_lines), Decimal(0))

    @property
    def credited(self) -> Decimal:
        return -sum((line.amount for line in self.credit_lines), Decimal(0))


def settle(
    sub: Subscription,
    target: Plan,
    catalog: Catalog,
    now: datetime,
    tz: str,
    *,
    change_id: str,
    host: Edition | None = None,
) -> Settlement:
    """`host` is the account's paid edition, which an add-on-only subscription's packs are
    bought beside (see `tierline.domain.plan.paid_host`)."""
    if not sub.is_live:
        raise NotAllowed(
            "This subscription has ended; subscribe again instead.", code="subscription_inactive"
        )
    if sub.plan.addons_only and target.edition != sub.plan.edition:
        raise Invalid(
            "An add-on subscription holds packs only: change the edition on the base subscription.",
            param="edition",
        )
    trialing = sub.status == "trialing"
    check_transition(catalog, sub.plan.edition, target.edition)
    if trialing and _ends_trial(catalog, sub.plan, target):
        return _buy_out_of_trial(sub, target, catalog, now, tz)
    resolve(catalog, target, trialing=trialing, host=host)
    change = classify(catalog, sub.plan, target)
    effects = change_effects(catalog, sub.plan, target)
    policy = _effective_policy(catalog, sub, change)

    if policy.timing == "end_of_period" and not trialing:
        # When the next period is invoiced already (renewal lead days), the change waits for
        # the end of that period: the money for it has been settled at the old plan's price.
        effective = (
            sub.period.end if sub.next_charges is None else next_period(sub, catalog, tz).end
        )
        pending = ScheduledChange(change_id, target, change.primary, effective, now)
        after = replace(sub, pending=pending)
        scheduled = _settlement(change, sub, after, effective, True, (), (), (), catalog, effects)
        if target.cycle != sub.plan.cycle and sub.next_charges is None:
            # The renewal that applies it may be a first period shorter than a whole cycle.
            amount = total(renewal_invoice(after, catalog, tz).lines)
            scheduled = replace(scheduled, next_renewal_amount=amount)
        return scheduled

    if trialing or policy.proration == "none":
        after = replace(sub, plan=target, pending=None)
        return _settlement(change, sub, after, now, False, (), (), (), catalog, effects)

    items = plan_items(catalog, resolve(catalog, target))
    granularity = catalog.policies.granularity
    if policy.proration == "restart" or "cycle_change" in change.classes:
        # Every item is credited for its unused part and bought again for a new period.
        credits, sources = _credit(sub.charges, sub.period, now, granularity, tz, catalog)
        if sub.next_charges:  # the next period was invoiced already (lead days): it never comes
            later = next_period(sub, catalog, tz)
            more, more_sources = _credit(sub.next_charges, later, now, granularity, tz, catalog)
            credits += more
            sources += tuple(x for x in more_sources if x not in sources)
        cycle = catalog.cycle(target.cycle)
        assert cycle is not None
        if policy.proration == "restart":  # a full period from now: the anchor moves
            anchor = now
            period = Period(now, boundary(now, cycle.length, 1, tz))
            lines, charges = full_period(items, period, catalog)
        else:
            # prorate keeps the anchor: the new cycle's first period runs from now to its next
            # boundary counted from the anchor, a share of the whole period that ends there.
            anchor = sub.anchor
            whole = period_at(anchor, cycle.length, now, tz)
            period = Period(now, whole.end)
            share = unused_fraction(whole.start, whole.end, now, granularity, tz)
            lines, charges = first_stub(items, whole, now, share, catalog)
            lines = tuple(line for line in lines if line.amount)
        after = replace(
            sub, plan=target, anchor=anchor, period=period, charges=charges, pending=None,
            next_charges=None,
        )  # fmt: skip
        return _settlement(
            change, sub, after, now, False, lines, credits, sources, catalog, effects
        )

    # prorate: only the items that change are credited and charged again; the period stays.
    by_item = {c.item: c for c in sub.charges}
    changed = [i for i in items if not _unchanged(by_item.get(i.item), i)]
    kept = {i.item for i in items} - {i.item for i in changed}
    replaced = tuple(c for c in sub.charges if c.item not in kept)
    credits, sources = _credit(replaced, sub.period, now, granularity, tz, catalog)
    whole = whole_period(sub, catalog, tz)
    share = unused_fraction(whole.start, whole.end, now, granularity, tz)
    new_lines = []
    new_charges = [c for c in sub.charges if c.item in kept]
    for item in changed:
        line, charge = remaining_period(item, sub.period, now, share, catalog)
        new_charges.append(charge)
        if line.amount:
            new_lines.append(line)
    next_charges = None
    if sub.next_charges is not None:
        # The next period was invoiced already (renewal lead days): settle it too, in full.
        later = next_period(replace(sub, plan=target, pending=None), catalog, tz)
        by_next = {c.item: c for c in sub.next_charges}
        renewed = tuple(i for i in items if not _unchanged(by_next.get(i.item), i))
        still = {i.item for i in items} - {i.item for i in renewed}
        gone = tuple(c for c in sub.next_charges if c.item not in still)
        more, more_sources = _credit(gone, later, now, granularity, tz, catalog)
        credits += more
        sources += tuple(x for x in more_sources if x not in sources)
        later_lines, later_charges = full_period(renewed, later, catalog)
        new_lines += [line for line in later_lines if line.amount]
        next_charges = tuple(c for c in sub.next_charges if c.item in still) + later_charges
    after = replace(
        sub, plan=target, charges=tuple(new_charges), pending=None, next_charges=next_charges
    )
    return _settlement(
        change, sub, after, now, False, tuple(new_lines), credits, sources, catalog, effects
    )


def _ends_trial(catalog: Catalog, current: Plan, target: Plan) -> bool:
    """A trial's change that is a purchase: the paid licence of the same plan (converting the
    trial), or a paid edition that has no trial of its own."""
    edition = catalog.edition(target.edition)
    if edition is None or edition.free:
        return False
    return target == current or not edition.trial_days


def _buy_out_of_trial(
    sub: Subscription, target: Plan, catalog: Catalog, now: datetime, tz: str
) -> Settlement:
    """The trial ends now and the first paid period of `target` starts: a full period is
    charged, as when a trial ends at its term (nothing was paid, so nothing is credited)."""
    resolved = resolve(catalog, target)
    classes: set[ChangeClass] = {"upgrade"}
    if target != sub.plan:
        classes = set(classify(catalog, sub.plan, target).classes) | classes
    change = Change(frozenset(classes), "upgrade", catalog.policies.for_class("upgrade"))
    cycle = catalog.cycle(target.cycle)
    assert cycle is not None
    period = Period(now, boundary(now, cycle.length, 1, tz))
    lines, charges = full_period(plan_items(catalog, resolved), period, catalog)
    after = convert_trial(replace(sub, plan=target, pending=None, next_charges=None), period,
                          charges)  # fmt: skip
    effects = change_effects(catalog, sub.plan, target)
    return _settlement(change, sub, after, now, False, lines, (), (), catalog, effects)


def _effective_policy(catalog: Catalog, sub: Subscription, change: Change) -> Policy:
    """The class's policy, except where the period cannot be prorated.

    Leaving a free edition starts a paid period now: there is no paid period to prorate.
    """
    edition = catalog.edition(sub.plan.edition)
    paid = sum((c.amount for c in sub.charges), Decimal(0))
    if edition is not None and edition.free and paid == 0 and change.primary == "upgrade":
        return Policy("immediate", "restart", change.policy.credit_to)
    return change.policy


def whole_period(sub: Subscription, catalog: Catalog, tz: str) -> Period:
    """The full period of the subscription's cycle, counted from its anchor, that its current
    period ends with: the current period itself, or, when that is the shorter first period of
    a new cycle that kept the billing day, the whole period it is the end of. A price for the
    rest of the current period is a share of this one."""
    cycle = catalog.cycle(sub.plan.cycle)
    if cycle is None or sub.period.start < sub.anchor:
        return sub.period
    whole = period_at(sub.anchor, cycle.length, sub.period.start, tz)
    return whole if whole.end == sub.period.end else sub.period


def _unchanged(charge: Charge | None, item: Item) -> bool:
    return (
        charge is not None
        and charge.quantity == item.quote.quantity
        and charge.list_amount == item.quote.amount
    )


def _credit(
    charges: tuple[Charge, ...],
    period: Period,
    now: datetime,
    granularity: Granularity,
    tz: str,
    catalog: Catalog,
) -> tuple[tuple[Line, ...], tuple[str, ...]]:
    """Credit lines for the unused part of each charge: a share of what was paid, never more."""
    lines = []
    sources: list[str] = []
    for charge in charges:
        share = unused_fraction(charge.paid_from, period.end, now, granularity, tz)
        amount = multiply(charge.amount, share, catalog.currency)
        if amount <= 0:
            continue
        wording = _unused(charge, catalog)
        lines.append(
            Line(
                kind="proration_credit",
                description=describe("proration_credit", wording, charge.quantity,
                                     count=english_count(catalog.quantity_unit_forms)),
                amount=-amount,
                quantity=charge.quantity,
                period=Period(max(now, charge.paid_from), period.end),
                item=charge.item,
                wording=wording,
            )
        )  # fmt: skip
        if charge.invoice and charge.invoice not in sources:
            sources.append(charge.invoice)
    return tuple(lines), tuple(sources)


def _unused(charge: Charge, catalog: Catalog) -> Wording:
    if charge.item == "edition":
        edition = catalog.edition(charge.code)
        name = edition.name if edition else charge.code
        return Wording("unused", name=name, unit=catalog.quantity_unit)
    addon = catalog.addon(charge.code)
    return Wording("unused", name=addon.name if addon else charge.code)


def _settlement(
    change: Change,
    before: Subscription,
    after: Subscription,
    effective_at: datetime,
    scheduled: bool,
    charge_lines: tuple[Line, ...],
    credit_lines: tuple[Line, ...],
    sources: tuple[str, ...],
    catalog: Catalog,
    effects: tuple[Effect, ...],
) -> Settlement:
    renewal_plan = after.pending.target if after.pending else after.plan
    return Settlement(
        change=change,
        before=before,
        after=after,
        effective_at=effective_at,
        scheduled=scheduled,
        charge_lines=charge_lines,
        credit_lines=credit_lines,
        credit_sources=sources,
        next_renewal_amount=plan_price(catalog, renewal_plan),
        effects=effects,
    )
