"""Replacing the catalog: a new version, and what it does to existing subscriptions.

`existing: keep` leaves each subscription whose price changes on the version it was sold from;
`existing: next_renewal` announces the new price for its first renewal at least
`renewal.price_change_notice_days` away (`subscription.price_changing`). A subscription whose
price does not change moves to the new version at once. The rules are in
`tierline.domain.catalog_versions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tierline.catalog import parse_catalog, read_yaml
from tierline.clock import Clock
from tierline.domain.catalog import Catalog
from tierline.domain.catalog_diff import CustomerDiff, for_customers
from tierline.domain.catalog_versions import (
    Existing,
    check_currencies,
    renewal_amount,
    reprice,
)
from tierline.domain.subscription import Subscription
from tierline.errors import NotFound
from tierline.services.messages import notify
from tierline.store.uow import UnitOfWork


@dataclass(frozen=True)
class CatalogReplaced:
    version: int
    existing: Existing
    moved: int  # subscriptions whose price does not change: on the new version now
    kept: int  # subscriptions that keep the price they were sold at
    announced: int  # subscriptions told of a new price at a later renewal


def replace_catalog(
    catalog: Catalog, *, existing: Existing = "keep", uow: UnitOfWork, clock: Clock
) -> CatalogReplaced:
    """Install `catalog` as the new version and apply it to every live subscription, in one
    transaction."""
    now = clock.now()
    with uow:
        replaced = install_version(uow, catalog, existing, now)
        uow.commit()
    return replaced


def install_version(
    uow: UnitOfWork, catalog: Catalog, existing: Existing, now: datetime
) -> CatalogReplaced:
    """Store the new version and reprice the live subscriptions, in the caller's transaction
    (which commits it). A version that does not sell in a currency some account is billed in
    is refused (`CurrencyInUse`) before anything is written."""
    try:
        uow.catalogs.current()
    except NotFound:  # the first install: nothing is sold yet
        return CatalogReplaced(uow.catalogs.add(catalog, now), existing, 0, 0, 0)
    check_currencies(catalog, uow.accounts.billed_in())
    subs = uow.subscriptions.every_live()
    uow.catalogs.preload(_following(sub) for sub in subs)
    uow.accounts.preload(sorted({sub.account_id for sub in subs}))
    accounts = {sub.account_id: uow.accounts.get(sub.account_id) for sub in subs}
    # What each subscription's renewals were priced from until now, before the new version.
    before = {
        sub.id: uow.catalogs.priced_from(_following(sub), accounts[sub.account_id].currency)
        for sub in subs
    }
    version = uow.catalogs.add(catalog, now, existing=existing)
    moved = kept = announced = 0
    for sub in subs:
        account = accounts[sub.account_id]
        new = catalog.in_currency(account.currency)  # it sells in every account's currency
        outcome = reprice(
            sub, priced=before[sub.id], new=new, version=version, existing=existing, now=now,
            tz=account.timezone,
        )  # fmt: skip
        after = outcome.subscription
        if after != sub:
            uow.subscriptions.save(after)
        if outcome.notice is not None:
            notify(uow, sub.account_id, now, outcome.notice)
            announced += 1
        elif after.catalog_version == version:
            moved += 1
        else:
            kept += 1
    return CatalogReplaced(version, existing, moved, kept, announced)


def _following(sub: Subscription) -> int | None:
    """The version a subscription's next renewals follow: an announced one, else its own."""
    return sub.price_change.version if sub.price_change is not None else sub.catalog_version


@dataclass(frozen=True)
class PriceChangeAhead:
    """A new price announced for a subscription's renewal at `effective_at`: one full cycle of
    its plan, before tax, in its account's currency, now and from then."""

    amount_before: Decimal
    amount_after: Decimal
    currency: str
    version: int  # the catalog version it is priced from then
    effective_at: datetime


@dataclass(frozen=True)
class SubscriptionPricing:
    version: int  # the catalog version its renewals are priced from
    price_change: PriceChangeAhead | None  # None: no new price is announced


def subscription_pricing(sub: Subscription, *, uow: UnitOfWork) -> SubscriptionPricing:
    """The catalog version a subscription is priced from, and the new price announced for a
    later renewal (`existing: next_renewal`), with what a full cycle costs before and after."""
    with uow.reading():
        version = sub.catalog_version or uow.catalogs.current_version
        change = sub.price_change
        if change is None:
            return SubscriptionPricing(version, None)
        currency = uow.accounts.currency_of(sub.account_id)
        before = renewal_amount(uow.catalogs.priced_from(version, currency), sub.plan)
        after = renewal_amount(uow.catalogs.priced_from(change.version, currency), sub.plan)
    if before is None or after is None:  # announced only for a plan both versions sell
        return SubscriptionPricing(version, None)
    ahead = PriceChangeAhead(before, after, currency, change.version, change.at)
    return SubscriptionPricing(version, ahead)


def replace_catalog_text(
    text: str, *, existing: Existing = "keep", uow: UnitOfWork, clock: Clock
) -> CatalogReplaced:
    """Validate YAML (`CatalogError` with the path of each bad field) and install it."""
    catalog = parse_catalog(read_yaml(text, "catalog"), "catalog")
    return replace_catalog(catalog, existing=existing, uow=uow, clock=clock)


def customer_diff(old: Catalog, new: Catalog, *, uow: UnitOfWork) -> CustomerDiff:
    """What `new` changes for customers compared with `old`, with the live subscriptions of the
    database that would pay more or less for their plan."""
    with uow.reading():
        try:
            uow.catalogs.current()
        except NotFound:  # nothing installed: nothing is sold yet
            return for_customers(old, new)
        subs = uow.subscriptions.every_live(lock=False)
        uow.accounts.preload(sorted({sub.account_id for sub in subs}))
        plans = [(sub.plan, uow.accounts.get(sub.account_id).currency) for sub in subs]
    return for_customers(old, new, plans)


def stored_version(version: int, *, uow: UnitOfWork) -> Catalog:
    """A catalog version as installed (`NotFound` when there is none of that number)."""
    with uow.reading():
        return uow.catalogs.version(version)
