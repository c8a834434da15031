"""What an edition or an add-on costs for one cycle at a quantity.

A customer must be able to recompute every figure: Total = Price × Quantity, with the unit price
rounded to the currency first (seed 001).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from tierline.domain.catalog import Addon, Catalog, Cycle, Edition, Price, Tier
from tierline.domain.money import round_amount


@dataclass(frozen=True)
class Quote:
    """The price of `quantity` units for one full cycle."""

    quantity: int
    unit_amount: Decimal | None  # set when every unit costs the same
    amount: Decimal


def base_price(product: Edition | Addon, cycle: Cycle, catalog: Catalog) -> Price | None:
    """The explicit price for the cycle, or one derived from a shorter cycle with the discount.

    Derived prices follow the catalog rule: shorter-cycle price × ratio of lengths × (1 − discount).
    Each derived amount is rounded to the currency, so the unit price shown is the one charged.
    """
    explicit = product.explicit_price(cycle.code)
    if explicit is not None:
        return explicit
    candidates = []
    for price in product.prices:
        source = catalog.cycle(price.cycle)
        if source is None:
            continue
        ratio = _length_ratio(source, cycle)
        if ratio is not None:
            candidates.append((ratio, price))
    if not candidates:
        return None
    ratio, source_price = min(candidates, key=lambda c: (c[0] < 1, -c[0]))
    if ratio < 1:
        return None
    factor = ratio * (1 - Fraction(cycle.discount_percent) / 100)
    return _scaled(source_price, cycle.code, factor, catalog.currency)


def _length_ratio(source: Cycle, target: Cycle) -> Fraction | None:
    if source.length.months and target.length.months:
        return Fraction(target.length.months, source.length.months)
    if source.length.days and target.length.days:
        return Fraction(target.length.days, source.length.days)
    return None


def _scaled(price: Price, cycle: str, factor: Fraction, currency: str) -> Price:
    def scale(value: Decimal | None) -> Decimal | None:
        return None if value is None else round_amount(Fraction(value) * factor, currency)

    tiers = tuple(
        Tier(
            up_to=t.up_to,
            flat=scale(t.flat) or Decimal(0),
            per_unit=scale(t.per_unit) or Decimal(0),
        )
        for t in price.tiers
    )
    return Price(
        cycle=cycle,
        per_unit=scale(price.per_unit),
        flat=scale(price.flat),
        tiers=tiers,
        tiers_mode=price.tiers_mode,
    )


def quote(price: Price, quantity: int, currency: str) -> Quote:
    if price.per_unit is not None:
        unit = round_amount(price.per_unit, currency)
        return Quote(quantity, unit, round_amount(unit * quantity, currency))
    if price.flat is not None:
        return Quote(quantity, None, round_amount(price.flat, currency))
    if price.tiers_mode == "volume":
        tier = _tier_for(price.tiers, quantity)
        amount = tier.flat + tier.per_unit * quantity
        tier_unit = tier.per_unit if tier.flat == 0 else None
        return Quote(quantity, tier_unit, round_amount(amount, currency))
    return Quote(quantity, None, round_amount(_graduated(price.tiers, quantity), currency))


def _tier_for(tiers: tuple[Tier, ...], quantity: int) -> Tier:
    for tier in tiers:
        if tier.up_to is None or quantity <= tier.up_to:
            return tier
    return tiers[-1]


def _graduated(tiers: tuple[Tier, ...], quantity: int) -> Decimal:
    total = Decimal(0)
    lower = 0
    for tier in tiers:
        upper = quantity if tier.up_to is None else min(quantity, tier.up_to)
        units = upper - lower
        if units <= 0:
            break
        total += tier.flat + tier.per_unit * units
        lower = upper
    return total


def edition_quote(catalog: Catalog, edition: Edition, cycle: Cycle, quantity: int) -> Quote | None:
    if edition.free:
        return Quote(quantity, Decimal(0), round_amount(Decimal(0), catalog.currency))
    price = base_price(edition, cycle, catalog)
    return None if price is None else quote(price, quantity, catalog.currency)


def addon_quote(catalog: Catalog, addon: Addon, cycle: Cycle, quantity: int) -> Quote | None:
    price = base_price(addon, cycle, catalog)
    return None if price is None else quote(price, quantity, catalog.currency)
