"""What the pages say about a catalog and a plan, read from services and the catalog.

No money is worked out here: prices come from `services.catalog.quote_price` and the domain's
pricing, charges and credits from `services.change.preview_change`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from tierline.catalog.words import read_in
from tierline.domain.account import PaymentMethod
from tierline.domain.catalog import Addon, Catalog, Cycle, Edition
from tierline.domain.documents import Receipt
from tierline.domain.entitlement_checks import Suggestion
from tierline.domain.entitlements import account_plan, limits_of
from tierline.domain.journal import BalanceTransaction
from tierline.domain.plan import Plan
from tierline.domain.pricing import addon_quote
from tierline.domain.renewal import next_period
from tierline.domain.subscription import Subscription
from tierline.errors import NotFound, TierlineError
from tierline.services import queries
from tierline.services.catalog import PriceQuote, current_catalog, quote_price
from tierline.services.entitlements import (
    CheckEntitlement,
    Entitlement,
    check_entitlement,
    list_entitlements,
)
from tierline.services.subscriptions import account_subscription, get_subscription
from tierline.store.uow import UnitOfWork

ADDON_PARAM = "addon."  # `addon.<code>=<count>` in a change's query string


def catalog_for(account_id: str, *, uow: UnitOfWork) -> Catalog:
    """The current catalog as the account reads it: names and messages in its language,
    amounts in its currency."""
    account = queries.get_account(account_id, uow=uow)
    return read_in(current_catalog(uow=uow).in_currency(account.currency), account.locale)


def edition_name(catalog: Catalog, code: str) -> str:
    edition = catalog.edition(code)
    return edition.name if edition else code


def cycle_name(catalog: Catalog, code: str) -> str:
    cycle = catalog.cycle(code)
    return (cycle.name or cycle.code) if cycle else code


def plan_name(
    catalog: Catalog, plan: Plan, count: Callable[[int, str | None], str] | None = None
) -> str:
    """`Standard · 10 seats · Monthly`, then any packs; `count` writes the quantity with its
    unit in the reader's language (`Formatter.count`). Packs on their own: `Monthly`, then
    the packs."""
    parts = [
        edition_name(catalog, plan.edition),
        count(plan.quantity, catalog.quantity_unit)
        if count
        else f"{plan.quantity} {catalog.quantity_unit}",
        cycle_name(catalog, plan.cycle),
    ]
    if plan.addons_only:
        parts = parts[2:]
    for code, packs in plan.addons.items():
        addon = catalog.addon(code)
        parts.append(f"{addon.name if addon else code} × {packs}")
    return " · ".join(parts)


def held_plan(subs: Sequence[Subscription], base: Subscription) -> Plan:
    """What the account holds: the base subscription's plan with the packs of every live
    subscription added up (the limits count them all)."""
    others = [s.plan for s in subs if s.is_live and s.id != base.id]
    return account_plan(base.plan, others) or base.plan


def one_subscription(
    account_id: str, subscription_id: str | None, *, uow: UnitOfWork
) -> Subscription | None:
    """The account's subscription `subscription_id` (another account's is not found), or
    without one its base subscription."""
    if subscription_id is None:
        return current_subscription(account_id, uow=uow)
    with uow.reading():
        return account_subscription(uow, account_id, subscription_id)


def packs_total(catalog: Catalog, cycle: str, addons: Mapping[str, int]) -> Decimal | None:
    """What packs bought on their own cost for one `cycle`; None when one has no price for it."""
    found = catalog.cycle(cycle)
    if found is None:
        return None
    total = Decimal(0)
    for code, count in addons.items():
        addon = catalog.addon(code)
        quote = addon_quote(catalog, addon, found, count) if addon is not None else None
        if quote is None:
            return None
        total += quote.amount
    return total


def own_cycles(catalog: Catalog, addon: Addon, base: Plan) -> list[Cycle]:
    """The cycles other than the edition's a pack is sold on: bought on one, it is a
    subscription of its own."""
    return [
        c for c in catalog.cycles
        if c.code != base.cycle and addon_quote(catalog, addon, c, 1) is not None
    ]  # fmt: skip


def current_subscription(account_id: str, *, uow: UnitOfWork) -> Subscription | None:
    """The account's subscription, live or ended; None when it never subscribed."""
    try:
        return get_subscription(account_id, uow=uow)
    except NotFound:
        return None


def no_packs(catalog: Catalog, sub: Subscription | None) -> bool:
    """Free and trial editions have no Expand and no pack buttons (seed 000)."""
    if sub is None or not sub.is_live or sub.status == "trialing":
        return True
    edition = catalog.edition(sub.plan.edition)
    return edition is None or edition.free


def service_ends_at(sub: Subscription, catalog: Catalog, timezone: str) -> datetime:
    """The end of the service once auto-renewal is off: this period, or the next one when it is
    invoiced already (as `services.subscriptions.set_auto_renew` says in its message)."""
    if sub.next_charges is not None:
        return next_period(sub, catalog, timezone).end
    return sub.period.end


@dataclass(frozen=True)
class UseRow:
    """One quota of the "Use" section, what is used of it (None: not known) and the packs that
    raise it."""

    name: str
    limit: int | None
    packs: tuple[tuple[Addon, int], ...] = ()
    used: int | None = None

    @property
    def reached(self) -> bool:
        return self.used is not None and is_reached(self.used, self.limit)


def use_rows(
    catalog: Catalog, plan: Plan, usage: Mapping[str, Entitlement] | None = None
) -> list[UseRow]:
    edition = catalog.edition(plan.edition)
    usage = usage or {}
    rows = []
    for name, limit in sorted(limits_of(catalog, plan).items()):
        packs = tuple(
            (addon, plan.addons.get(addon.code, 0))
            for addon in catalog.addons
            if name in addon.grants and edition and catalog.addon_available_on(addon, edition)
        )
        found = usage.get(name)
        rows.append(UseRow(name, limit, packs, found.used if found else None))
    return rows


def usage_of(
    account_id: str, sub: Subscription | None, *, uow: UnitOfWork
) -> dict[str, Entitlement]:
    """What the account uses of each limit of its live plan, seats included (members counted as
    `services.entitlements` counts them); nothing once the subscription has ended."""
    if sub is None or not sub.is_live:
        return {}
    return {e.name: e for e in list_entitlements(account_id, uow=uow)}


def is_reached(used: int, limit: int | None) -> bool:
    """Nothing more fits. A limit of 0 that nothing uses is not included, not reached."""
    return limit is not None and used >= limit and (limit > 0 or used > 0)


@dataclass(frozen=True)
class Reached:
    """A limit with nothing left, and the change the entitlement check suggests to get one
    more (None: nothing in the catalog allows more)."""

    name: str
    used: int
    limit: int
    suggestion: Suggestion | None

    @property
    def change_query(self) -> str | None:
        """The query of the change preview (`/change?…`) that carries the suggestion out."""
        if self.suggestion is None:
            return None
        change = dict(self.suggestion.change())
        addons = change.pop("addons", {})
        params = [(key, str(value)) for key, value in change.items()]
        if isinstance(addons, dict):
            params += [(ADDON_PARAM + code, str(count)) for code, count in addons.items()]
        return urlencode(params)


def limits_reached(
    account_id: str, usage: Mapping[str, Entitlement], *, uow: UnitOfWork
) -> list[Reached]:
    """The limits with nothing left, seats first, each with what the entitlement check for one
    more suggests."""
    found = []
    for e in usage.values():
        if e.limit is None or not is_reached(e.used, e.limit):
            continue
        decision = check_entitlement(CheckEntitlement(account_id, e.name, 1), uow=uow)
        found.append(Reached(e.name, e.used, e.limit, decision.suggestion))
    return found


@dataclass(frozen=True)
class PackOffer:
    addon: Addon
    owned: int
    per_pack: Decimal | None  # one pack for the subscription's cycle


def pack_offers(catalog: Catalog, plan: Plan) -> list[PackOffer]:
    edition = catalog.edition(plan.edition)
    cycle = catalog.cycle(plan.cycle)
    offers = []
    for addon in catalog.addons:
        if edition is None or cycle is None or not catalog.addon_available_on(addon, edition):
            continue
        quote = addon_quote(catalog, addon, cycle, 1)
        offers.append(
            PackOffer(addon, plan.addons.get(addon.code, 0), quote.amount if quote else None)
        )
    return offers


@dataclass(frozen=True)
class PlanRow:
    """One edition on the Plans page, priced for the chosen cycle and quantity."""

    edition: Edition
    quantity: int
    quote: PriceQuote | None
    save_percent: int | None
    action: str  # current | upgrade | downgrade | choose
    limits: list[tuple[str, int | None]] = field(default_factory=list)


def clamp(edition: Edition, quantity: int) -> int:
    bounds = edition.quantity
    quantity = max(quantity, bounds.min)
    return min(quantity, bounds.max) if bounds.max is not None else quantity


def try_quote(
    edition: str,
    cycle: str,
    quantity: int,
    *,
    uow: UnitOfWork,
    currency: str | None = None,
    version: int | None = None,
) -> PriceQuote | None:
    """`version`: the catalog version whose prices to quote (a subscription's); default the
    current one."""
    try:
        return quote_price(edition, cycle, quantity, uow=uow, currency=currency, version=version)
    except TierlineError:
        return None


def plan_rows(
    catalog: Catalog,
    cycle: str,
    quantity: int | None,
    current: Subscription | None,
    *,
    uow: UnitOfWork,
) -> list[PlanRow]:
    """Every edition priced for `cycle` at `quantity` within its bounds; with no quantity, at
    the edition's own default."""
    live = current if current is not None and current.is_live else None
    monthly = next((c.code for c in catalog.cycles if c.length.months == 1), None)
    rows = []
    for edition in sorted(catalog.editions, key=lambda e: e.rank):
        qty = clamp(edition, edition.quantity.default if quantity is None else quantity)
        quote = try_quote(edition.code, cycle, qty, uow=uow, currency=catalog.currency)
        save = None
        if quote and quote.per_month and monthly and monthly != cycle and not edition.free:
            base = try_quote(edition.code, monthly, qty, uow=uow, currency=catalog.currency)
            if base and base.per_month and base.per_month > quote.per_month:
                save = round((1 - quote.per_month / base.per_month) * 100)
        action = "choose"
        if live is not None:
            here = catalog.edition(live.plan.edition)
            if edition.code == live.plan.edition:
                same = live.plan.cycle == cycle and live.plan.quantity == qty
                action = "current" if same else "choose"
            elif here is not None:
                action = "upgrade" if edition.rank > here.rank else "downgrade"
        limits = sorted(edition.limits.items())
        rows.append(PlanRow(edition, qty, quote, save, action, limits))
    return rows


_DOCUMENT_NUMBER = re.compile(r"^[A-Z]+-\d{4}-\d+$")


def transaction_references(
    transactions: Sequence[BalanceTransaction], receipts: Sequence[Receipt]
) -> dict[str, str]:
    """What each balance transaction refers to, as its reader knows it: a document number.

    A top-up names the receipt issued with it (same instant, same amount, no invoice); an
    internal reference (`topup_…`) is never shown."""
    top_up_receipts = {
        (r.issued_at, r.amount_paid): r.number for r in receipts if r.invoice_number is None
    }
    found: dict[str, str] = {}
    for tx in transactions:
        number = top_up_receipts.get((tx.at, tx.amount)) if tx.kind == "top_up" else None
        if number is None and tx.reference and _DOCUMENT_NUMBER.match(tx.reference):
            number = tx.reference
        if number is not None:
            found[tx.id] = number
    return found


@dataclass(frozen=True)
class PriceParts:
    """What a plan costs per cycle at the catalog's prices: the edition, then each pack held."""

    edition: Decimal
    packs: list[tuple[str, int, Decimal]]  # name, count, amount

    @property
    def total(self) -> Decimal:
        return self.edition + sum((amount for _, _, amount in self.packs), Decimal(0))


def price_parts(catalog: Catalog, plan: Plan, edition_price: PriceQuote) -> PriceParts:
    cycle = catalog.cycle(plan.cycle)
    packs = []
    for addon in catalog.addons:
        count = plan.addons.get(addon.code, 0)
        quote = addon_quote(catalog, addon, cycle, count) if count and cycle else None
        if quote is not None:
            packs.append((addon.name, count, quote.amount))
    return PriceParts(edition_price.total, packs)


def packs_not_taken(catalog: Catalog, plan: Plan, edition_code: str | None) -> list[Addon]:
    """The packs `plan` holds that the edition `edition_code` does not take (Free takes none):
    moving there removes them."""
    edition = catalog.edition(edition_code) if edition_code else None
    if edition is None or edition.code == plan.edition:
        return []
    return [
        addon
        for addon in catalog.addons
        if plan.addons.get(addon.code, 0) > 0 and not catalog.addon_available_on(addon, edition)
    ]


@dataclass(frozen=True)
class DeclinedPrimary:
    """The primary method was declined and the backup paid; still the primary, so not updated."""

    method: PaymentMethod
    invoice: str
    at: datetime


def declined_primary(
    messages: Sequence[Mapping[str, Any]],
    methods: Sequence[PaymentMethod],
    receipts: Sequence[Receipt],
) -> DeclinedPrimary | None:
    """The last time the backup paid for a declined primary, while that method is the primary
    still and has paid nothing since: the page suggests updating it."""
    primary = next((m for m in methods if m.is_primary), None)
    last = next((m for m in reversed(messages) if m["kind"] == "payment.backup_used"), None)
    if primary is None or last is None or last["payload"].get("declined_method") != primary.id:
        return None
    if any(r.payment_method == primary.id and r.issued_at > last["at"] for r in receipts):
        return None
    return DeclinedPrimary(primary, str(last["payload"].get("invoice")), last["at"])
