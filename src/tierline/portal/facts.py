"""What the pages say about a catalog and a plan, read from services and the catalog.

No money is worked out here: prices come from `services.catalog.quote_price` and the domain's
pricing, charges and credits from `services.change.preview_change`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

from tierline.domain.catalog import Addon, Catalog, Edition
from tierline.domain.entitlement_checks import Suggestion
from tierline.domain.entitlements import limits_of
from tierline.domain.plan import Plan
from tierline.domain.pricing import addon_quote
from tierline.domain.renewal import next_period
from tierline.domain.subscription import Subscription
from tierline.errors import NotFound, TierlineError
from tierline.services.catalog import PriceQuote, quote_price
from tierline.services.entitlements import (
    CheckEntitlement,
    Entitlement,
    check_entitlement,
    list_entitlements,
)
from tierline.services.subscriptions import get_subscription
from tierline.store.uow import UnitOfWork

ADDON_PARAM = "addon."  # `addon.<code>=<count>` in a change's query string


def humanize(code: str) -> str:
    """`external_users` → `External users`: limit and feature codes as words."""
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def edition_name(catalog: Catalog, code: str) -> str:
    edition = catalog.edition(code)
    return edition.name if edition else code


def cycle_name(catalog: Catalog, code: str) -> str:
    cycle = catalog.cycle(code)
    return (cycle.name or cycle.code) if cycle else code


def plan_name(catalog: Catalog, plan: Plan) -> str:
    """`Standard · 10 seat · Monthly`, then any packs."""
    parts = [
        edition_name(catalog, plan.edition),
        f"{plan.quantity} {catalog.quantity_unit}",
        cycle_name(catalog, plan.cycle),
    ]
    for code, count in plan.addons.items():
        addon = catalog.addon(code)
        parts.append(f"{addon.name if addon else code} × {count}")
    return " · ".join(parts)


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


def try_quote(edition: str, cycle: str, quantity: int, *, uow: UnitOfWork) -> PriceQuote | None:
    try:
        return quote_price(edition, cycle, quantity, uow=uow)
    except TierlineError:
        return None


def plan_rows(
    catalog: Catalog,
    cycle: str,
    quantity: int,
    current: Subscription | None,
    *,
    uow: UnitOfWork,
) -> list[PlanRow]:
    live = current if current is not None and current.is_live else None
    monthly = next((c.code for c in catalog.cycles if c.length.months == 1), None)
    rows = []
    for edition in sorted(catalog.editions, key=lambda e: e.rank):
        qty = clamp(edition, quantity)
        quote = try_quote(edition.code, cycle, qty, uow=uow)
        save = None
        if quote and quote.per_month and monthly and monthly != cycle and not edition.free:
            base = try_quote(edition.code, monthly, qty, uow=uow)
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
