"""Installing or replacing the operator's catalog."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tierline.clock import Clock
from tierline.domain.account import billing_currency
from tierline.domain.catalog import Catalog
from tierline.domain.catalog_versions import Existing
from tierline.domain.money import round_amount
from tierline.domain.plan import Plan, resolve
from tierline.domain.pricing import edition_quote
from tierline.services.catalog_versions import replace_catalog
from tierline.store.uow import UnitOfWork


def install_catalog(
    catalog: Catalog, *, uow: UnitOfWork, clock: Clock, existing: Existing = "keep"
) -> int:
    """Store a new catalog version. A subscription whose price it changes keeps the price it
    was sold at (`keep`) or takes the new one at a renewal announced ahead (`next_renewal`):
    see `tierline.services.catalog_versions`."""
    return replace_catalog(catalog, existing=existing, uow=uow, clock=clock).version


def current_catalog(*, uow: UnitOfWork) -> Catalog:
    with uow.reading():
        return uow.catalog


@dataclass(frozen=True)
class PriceQuote:
    edition: str
    cycle: str
    quantity: int
    unit_amount: Decimal | None
    total: Decimal
    per_month: Decimal | None  # for month cycles: what one month costs, to compare cycles
    discount_percent: Decimal
    currency: str  # every amount's


def quote_price(
    edition: str,
    cycle: str,
    quantity: int | None,
    *,
    uow: UnitOfWork,
    currency: str | None = None,
    version: int | None = None,
) -> PriceQuote:
    """What a pricing page shows: Total = Price × Quantity for one cycle, in `currency` (one of
    the catalog's currencies, else `UnsupportedCurrency`; default the catalog's own), at the
    prices of catalog `version` (a subscription's; default the current version)."""
    catalog = current_catalog(uow=uow)
    code = billing_currency(catalog, currency)
    if version is None:
        catalog = catalog.in_currency(code)
    else:
        with uow.reading():
            catalog = uow.catalogs.priced_from(version, code)
    found = catalog.edition(edition)
    qty = found.quantity.default if found is not None and quantity is None else quantity or 0
    resolved = resolve(catalog, Plan(edition, cycle, qty))
    assert resolved.edition is not None, "a plan with an edition resolves to it"
    quote = edition_quote(catalog, resolved.edition, resolved.cycle, qty)
    assert quote is not None
    months = resolved.cycle.length.months
    per_month = round_amount(quote.amount / months, catalog.currency) if months else None
    return PriceQuote(
        edition, cycle, qty, quote.unit_amount, quote.amount, per_month,
        resolved.cycle.discount_percent, catalog.currency,
    )  # fmt: skip
