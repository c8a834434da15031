"""Catalog versions: which price list a subscription's renewal is priced from, and what a new
version does to existing subscriptions whose price it changes.

Every install of a catalog is a version. A subscription holds the version it was sold from
(`Subscription.catalog_version`). A change of plan buys at the current version and moves the
subscription to it; a renewal is priced from the subscription's own version, with every other
rule (policies, renewal, tax) taken from the current catalog. When the operator replaces the
catalog, `existing` says what happens to a subscription whose renewal price changes:

- `keep`: it keeps its version, and so the price it was sold at, until it changes plan;
- `next_renewal`: it moves to the new version at its first renewal at least
  `renewal.price_change_notice_days` away, and is told now (`PriceChanging`).

A subscription whose price the new version does not change moves to it at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from tierline.domain.catalog import Catalog
from tierline.domain.change import plan_price
from tierline.domain.errors import CurrencyInUse, TierlineError
from tierline.domain.events import PriceChanging
from tierline.domain.periods import period_at
from tierline.domain.plan import Plan
from tierline.domain.subscription import PriceChange, Subscription
from tierline.domain.values import replace

Existing = Literal["keep", "next_renewal"]
EXISTING: tuple[Existing, ...] = ("keep", "next_renewal")


def priced_from(current: Catalog, version: Catalog) -> Catalog:
    """The current catalog with the price list of `version`: each edition, add-on and cycle
    `version` has takes its prices (and a cycle its discount) from it; what `version` lacks
    (an edition added since) keeps the current one's. Both are in the same currency."""
    if version is current:
        return current
    editions = {e.code: e for e in version.editions}
    addons = {a.code: a for a in version.addons}
    cycles = {c.code: c for c in version.cycles}
    return replace(
        current,
        editions=tuple(
            replace(e, prices=editions[e.code].prices) if e.code in editions else e
            for e in current.editions
        ),
        addons=tuple(
            replace(a, prices=addons[a.code].prices) if a.code in addons else a
            for a in current.addons
        ),
        cycles=tuple(
            replace(c, discount_percent=cycles[c.code].discount_percent) if c.code in cycles else c
            for c in current.cycles
        ),
    )


def check_currencies(new: Catalog, billed: Mapping[str, int]) -> None:
    """Refuse (`CurrencyInUse`, `param` `currencies`) a new version that does not sell in a
    currency some account is billed in: an account's currency is for life. `billed` is how many
    accounts are billed in each currency."""
    dropped = {
        code: count
        for code, count in sorted(billed.items())
        if count and code not in new.billing_currencies()
    }
    if not dropped:
        return
    codes = ", ".join(dropped)
    (code, count), *others = dropped.items()
    said = [f"{count} {'account is' if count == 1 else 'accounts are'} billed in {code}"]
    said += [f"{n} in {c}" for c, n in others]
    raise CurrencyInUse(
        f"The new catalog does not sell in {codes}: {', '.join(said)}. An account's currency is "
        f"for life; keep {codes} in currencies, with an amount for each price.",
        param="currencies", details={"currencies": dropped},
    )  # fmt: skip


def renewal_version(sub: Subscription, current: int) -> int:
    """The catalog version the subscription's next period is priced from: the current one when
    a scheduled change of plan takes effect then (a new plan is bought at today's prices), the
    announced one once its date has come, else the subscription's own."""
    if sub.pending is not None and sub.pending.effective_at <= sub.period.end:
        return current
    change = sub.price_change
    if change is not None and change.at <= sub.period.end:
        return change.version
    return current if sub.catalog_version is None else sub.catalog_version


def after_due_step(before: Subscription, after: Subscription, version: int) -> Subscription:
    """The subscription after a due step priced from `version`: once its next period is
    invoiced (or its first paid one starts), it is priced from that version, and a price change
    announced for that renewal, or overtaken by a change of plan bought at a newer version, is
    done."""
    renewed = before.next_charges is None and after.next_charges is not None
    converted = before.status == "trialing" and after.status == "active"
    if not (renewed or converted):
        return after
    change = after.price_change
    done = change is not None and change.version <= version  # versions only grow
    return replace(after, catalog_version=version, price_change=None if done else change)


def renewal_amount(catalog: Catalog, plan: Plan) -> Decimal | None:
    """What one full cycle of the plan costs at `catalog`'s prices; None when that catalog
    cannot sell it (its edition, cycle or an add-on is gone, or has no price for the cycle)."""
    try:
        return plan_price(catalog, plan)
    except TierlineError:
        return None


def first_renewal_from(
    sub: Subscription, catalog: Catalog, earliest: datetime, tz: str
) -> datetime:
    """The subscription's first renewal (a period start after the current period) at or after
    `earliest`, and after the next period when that is invoiced already."""
    at = sub.period.end
    invoiced = sub.next_charges is not None
    if at >= earliest and not invoiced:
        return at
    cycle = catalog.cycle(sub.plan.cycle)
    assert cycle is not None, "a live subscription's cycle is in the catalog"
    anchor = at if sub.status == "trialing" else sub.anchor
    after_invoiced = period_at(anchor, cycle.length, at, tz).end if invoiced else at
    pivot = max(earliest, after_invoiced)
    found = period_at(anchor, cycle.length, pivot, tz)
    return found.start if found.start == pivot else found.end


@dataclass(frozen=True)
class Repricing:
    """What a new catalog version does to one subscription: the subscription after, and the
    notice to send when its price changes at a later renewal."""

    subscription: Subscription
    notice: PriceChanging | None = None


def reprice(
    sub: Subscription,
    *,
    priced: Catalog,
    new: Catalog,
    version: int,
    existing: Existing,
    now: datetime,
    tz: str,
) -> Repricing:
    """`priced` is the catalog the subscription's renewals were priced from until now (its
    version's prices, in its currency), `new` the version installed (`version`), in the same
    currency. `renewal.price_change_notice_days` is the new version's."""
    if not sub.is_live:
        return Repricing(sub)
    old_amount = renewal_amount(priced, sub.plan)
    new_amount = renewal_amount(new, sub.plan)
    if old_amount == new_amount:  # nothing changes for the customer
        return Repricing(replace(sub, catalog_version=version, price_change=None))
    if existing == "keep" or new_amount is None or old_amount is None:
        return Repricing(sub)
    notice = timedelta(days=new.renewal.price_change_notice_days)
    at = first_renewal_from(sub, new, now + notice, tz)
    event = PriceChanging(
        subscription=sub.id,
        edition=sub.plan.edition,
        edition_name=_named(new, sub.plan),
        old_amount=old_amount,
        new_amount=new_amount,
        currency=new.currency,
        effective_at=at,
    )
    return Repricing(replace(sub, price_change=PriceChange(version, at)), event)


def _named(catalog: Catalog, plan: Plan) -> str:
    """The edition's name; for an add-on-only plan, its packs' names."""
    edition = catalog.edition(plan.edition)
    if edition is not None:
        return edition.name
    packs = (catalog.addon(code) for code in plan.addons)
    return ", ".join(pack.name for pack in packs if pack is not None) or plan.edition
