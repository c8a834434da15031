"""Installing or replacing the operator's catalog."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tierline.catalog import parse_catalog, read_yaml
from tierline.clock import Clock
from tierline.domain.catalog import Catalog
from tierline.domain.money import round_amount
from tierline.domain.plan import Plan, resolve
from tierline.domain.pricing import edition_quote
from tierline.store.uow import UnitOfWork


def install_catalog(catalog: Catalog, *, uow: UnitOfWork, clock: Clock) -> int:
    """Store a new catalog version; existing subscriptions keep what they paid until renewal."""
    with uow:
        version = uow.catalogs.add(catalog, clock.now())
        uow.commit()
    return version


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


def quote_price(edition: str, cycle: str, quantity: int | None, *, uow: UnitOfWork) -> PriceQuote:
    """What a pricing page shows: Total = Price × Quantity for one cycle."""
    catalog = current_catalog(uow=uow)
    found = catalog.edition(edition)
    qty = found.quantity.default if found is not None and quantity is None else quantity or 0
    resolved = resolve(catalog, Plan(edition, cycle, qty))
    quote = edition_quote(catalog, resolved.edition, resolved.cycle, qty)
    assert quote is not None
    months = resolved.cycle.length.months
    per_month = round_amount(quote.amount / months, catalog.currency) if months else None
    return PriceQuote(
        edition, cycle, qty, quote.unit_amount, quote.amount, per_month,
        resolved.cycle.discount_percent,
    )  # fmt: skip


def replace_catalog_yaml(text: str, *, uow: UnitOfWork, clock: Clock) -> int:
    """Validate YAML and install it as the new catalog version."""
    return install_catalog(
        parse_catalog(read_yaml(text, "catalog"), "catalog"), uow=uow, clock=clock
    )
