"""The priced items of a plan: its edition and each add-on, for one full cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import cast

from tierline.domain.catalog import Catalog
from tierline.domain.lines import Charge, Line, LineKind, Topic, Wording, describe, english_count
from tierline.domain.money import multiply
from tierline.domain.periods import Period
from tierline.domain.plan import Plan, ResolvedPlan, resolve
from tierline.domain.pricing import Quote, addon_quote, edition_quote


@dataclass(frozen=True)
class Item:
    item: str  # "edition" or "addon:<code>"
    code: str
    name: str
    kind: LineKind
    quote: Quote


def plan_items(catalog: Catalog, resolved: ResolvedPlan) -> tuple[Item, ...]:
    items = []
    if resolved.edition is not None:  # an add-on-only plan has packs alone
        eq = edition_quote(catalog, resolved.edition, resolved.cycle, resolved.plan.quantity)
        assert eq is not None, "resolve() guarantees a price"
        edition = resolved.edition
        items.append(Item("edition", edition.code, edition.name, "subscription", eq))
    for addon, count in resolved.addons:
        aq = addon_quote(catalog, addon, resolved.cycle, count)
        assert aq is not None, "resolve() guarantees a price"
        items.append(Item(f"addon:{addon.code}", addon.code, addon.name, "addon", aq))
    return tuple(items)


def item_line(
    item: Item,
    catalog: Catalog,
    *,
    topic: Topic,
    amount: Decimal,
    period: Period | None,
) -> Line:
    """The line for one item: its whole period ("item"), or the rest of it ("remaining")."""
    kind: LineKind = item.kind if topic == "item" else "proration_charge"
    unit = catalog.quantity_unit if item.item == "edition" else None
    wording = Wording(topic, name=item.name, unit=unit)
    return Line(
        kind=kind,
        description=describe(kind, wording, item.quote.quantity,
                             count=english_count(catalog.quantity_unit_forms)),
        amount=amount,
        quantity=item.quote.quantity,
        unit_amount=item.quote.unit_amount,
        period=period,
        item=item.item,
        wording=wording,
    )  # fmt: skip


def full_period(
    items: tuple[Item, ...], period: Period, catalog: Catalog, invoice: str | None = None
) -> tuple[tuple[Line, ...], tuple[Charge, ...]]:
    """Lines and charges for a whole period at list price."""
    lines = []
    charges = []
    for item in items:
        lines.append(item_line(item, catalog, topic="item", amount=item.quote.amount,
                               period=period))  # fmt: skip
        charges.append(_charge(item, item.quote.amount, period.start, invoice))
    return tuple(lines), tuple(charges)


_DERIVED_KEPT = 4096  # whole periods kept per catalog; a run needs a few


def whole_period(
    catalog: Catalog, plan: Plan, period: Period
) -> tuple[tuple[Line, ...], tuple[Charge, ...]]:
    """A whole period of `plan` at list price: its lines and charges. A billing run prices the
    same plan over the same period for many subscriptions, so the answer is kept with the
    catalog, which never changes."""
    key = ("whole_period", plan, period)
    found = catalog.derived.get(key)
    if found is None:
        found = full_period(plan_items(catalog, resolve(catalog, plan)), period, catalog)
        if len(catalog.derived) >= _DERIVED_KEPT:
            catalog.derived.clear()
        catalog.derived[key] = found
    return cast(tuple[tuple[Line, ...], tuple[Charge, ...]], found)


def remaining_period(
    item: Item,
    period: Period,
    now: datetime,
    share: Fraction,
    catalog: Catalog,
) -> tuple[Line, Charge]:
    """Line and charge for the rest of the period from `now`, a `share` of the list price."""
    amount = multiply(item.quote.amount, share, catalog.currency)
    rest = Period(now, period.end) if now < period.end else None
    line = item_line(item, catalog, topic="remaining", amount=amount, period=rest)
    return line, _charge(item, amount, now, None)


def first_stub(
    items: tuple[Item, ...],
    whole: Period,
    start: datetime,
    share: Fraction,
    catalog: Catalog,
) -> tuple[tuple[Line, ...], tuple[Charge, ...]]:
    """Lines and charges for a first period of a new cycle that starts at `start`, inside
    `whole` (the full period of that cycle counted from the anchor), and ends with it: each item
    at `share` of its list price, the share of `whole` left from `start`. From the start of
    `whole`, it is the whole period at list price."""
    if start <= whole.start:
        return full_period(items, whole, catalog)
    pairs = [remaining_period(item, whole, start, share, catalog) for item in items]
    return tuple(line for line, _ in pairs), tuple(charge for _, charge in pairs)


def _charge(item: Item, amount: Decimal, paid_from: datetime, invoice: str | None) -> Charge:
    return Charge(
        item=item.item,
        code=item.code,
        quantity=item.quote.quantity,
        unit_amount=item.quote.unit_amount,
        list_amount=item.quote.amount,
        amount=amount,
        paid_from=paid_from,
        invoice=invoice,
    )
