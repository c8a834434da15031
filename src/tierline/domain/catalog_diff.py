"""What a new catalog version changes, section by section, compared as the stored catalog body
(`tierline.catalog.dump.catalog_to_dict`): items of a list with codes (cycles, editions, add-ons,
meters) are matched by code, an item's prices by cycle; other sections are compared whole.

`for_customers` says what the same change means for customers: prices up or down, editions
added or removed, and the live subscriptions that pay more or less at their renewal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from tierline.domain.catalog import Addon, Catalog, Edition
from tierline.domain.catalog_versions import renewal_amount
from tierline.domain.plan import Plan
from tierline.domain.pricing import Quote, addon_quote, edition_quote

Kind = Literal["added", "removed", "changed"]
_BY_CODE = ("cycles", "editions", "addons", "meters")


@dataclass(frozen=True)
class CatalogChange:
    section: str  # editions, cycles, policies …
    code: str | None  # the edition, cycle, add-on or meter; None for a whole section
    kind: Kind
    field: str | None = None  # what changed in it: `prices.year`, `name`, `quantity` …
    before: Any = None
    after: Any = None


def diff_catalogs(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[CatalogChange]:
    changes: list[CatalogChange] = []
    for section in sorted(set(before) | set(after), key=_section_order):
        old, new = before.get(section), after.get(section)
        if old == new:
            continue
        if section in _BY_CODE:
            changes.extend(_items(section, old or [], new or []))
        else:
            kind: Kind = "added" if old is None else "removed" if new is None else "changed"
            changes.append(CatalogChange(section, None, kind, None, old, new))
    return changes


def _section_order(section: str) -> tuple[int, str]:
    order = ("editions", "addons", "cycles", "meters", "policies")
    return (order.index(section) if section in order else len(order), section)


def _items(
    section: str, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> list[CatalogChange]:
    before = {str(item.get("code")): item for item in old}
    after = {str(item.get("code")): item for item in new}
    changes: list[CatalogChange] = []
    for code in [*before, *(c for c in after if c not in before)]:
        if code not in after:
            changes.append(CatalogChange(section, code, "removed", before=before[code]))
        elif code not in before:
            changes.append(CatalogChange(section, code, "added", after=after[code]))
        elif before[code] != after[code]:
            changes.extend(_fields(section, code, before[code], after[code]))
    return changes


def _fields(
    section: str, code: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[CatalogChange]:
    changes: list[CatalogChange] = []
    for name in [*old, *(n for n in new if n not in old)]:
        if old.get(name) == new.get(name):
            continue
        if name == "prices":
            changes.extend(_prices(section, code, old.get(name) or [], new.get(name) or []))
        else:
            changes.append(
                CatalogChange(section, code, "changed", name, old.get(name), new.get(name))
            )
    return changes


def _prices(
    section: str, code: str, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> list[CatalogChange]:
    before = {str(p.get("cycle")): p for p in old}
    after = {str(p.get("cycle")): p for p in new}
    return [
        CatalogChange(
            section, code, "changed", f"prices.{cycle}", before.get(cycle), after.get(cycle)
        )
        for cycle in [*before, *(c for c in after if c not in before)]
        if before.get(cycle) != after.get(cycle)
    ]


# What changes for customers: prices up or down, editions added or removed, and how many of the
# live subscriptions pay more or less at their renewal.

Direction = Literal["up", "down", "added", "removed"]


@dataclass(frozen=True)
class PriceMove:
    """The price of an edition or a pack for one cycle, before and after, in one currency: the
    unit price when every unit costs the same, else the total at `quantity` (the edition's
    default quantity; one pack)."""

    item: Literal["edition", "addon"]
    code: str
    name: str
    cycle: str
    currency: str
    quantity: int
    per_unit: bool
    before: Decimal | None  # None: not sold for this cycle before
    after: Decimal | None  # None: not sold for this cycle any more

    @property
    def direction(self) -> Direction:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "up" if self.after > self.before else "down"


@dataclass(frozen=True)
class Affected:
    """Live subscriptions, by what a full cycle of their plan costs after against before."""

    more: int = 0
    less: int = 0
    same: int = 0
    gone: int = 0  # the new catalog cannot sell their plan (an edition, cycle or pack removed)


@dataclass(frozen=True)
class CustomerDiff:
    prices: tuple[PriceMove, ...]
    editions_added: tuple[str, ...]  # names
    editions_removed: tuple[str, ...]
    affected: Affected


def for_customers(
    old: Catalog, new: Catalog, plans: Iterable[tuple[Plan, str]] = ()
) -> CustomerDiff:
    """What `new` changes for customers compared with `old`; `plans` are the live
    subscriptions' plans, each with its account's currency."""
    currencies = [c for c in new.billing_currencies() if c in old.billing_currencies()]
    prices: list[PriceMove] = []
    for currency in currencies:
        prices.extend(_moves(old.in_currency(currency), new.in_currency(currency)))
    old_codes = {e.code for e in old.editions}
    new_codes = {e.code for e in new.editions}
    added = tuple(e.name for e in new.editions if e.code not in old_codes)
    removed = tuple(e.name for e in old.editions if e.code not in new_codes)
    return CustomerDiff(tuple(prices), added, removed, _affected(old, new, plans))


def _moves(old: Catalog, new: Catalog) -> list[PriceMove]:
    moves: list[PriceMove] = []
    cycles = [c.code for c in new.cycles] + [c.code for c in old.cycles if not new.cycle(c.code)]
    for edition in new.editions:
        before_edition = old.edition(edition.code)
        if before_edition is None or edition.free:
            continue
        qty = edition.quantity.default
        for code in cycles:
            before = _quote(old, before_edition, code, qty)
            after = _quote(new, edition, code, qty)
            moves.extend(
                _move("edition", edition.code, edition.name, code, new, qty, before, after)
            )
    for addon in new.addons:
        before_addon = old.addon(addon.code)
        if before_addon is None:
            continue
        for code in cycles:
            before = _quote(old, before_addon, code, 1)
            after = _quote(new, addon, code, 1)
            moves.extend(_move("addon", addon.code, addon.name, code, new, 1, before, after))
    return moves


def _quote(catalog: Catalog, product: Edition | Addon, cycle: str, quantity: int) -> Quote | None:
    found = catalog.cycle(cycle)
    if found is None:
        return None
    if isinstance(product, Edition):
        return edition_quote(catalog, product, found, quantity)
    return addon_quote(catalog, product, found, quantity)


def _move(
    item: Literal["edition", "addon"],
    code: str,
    name: str,
    cycle: str,
    catalog: Catalog,
    quantity: int,
    before: Quote | None,
    after: Quote | None,
) -> list[PriceMove]:
    if before is None and after is None:
        return []
    per_unit = all(q is None or q.unit_amount is not None for q in (before, after))

    def figure(q: Quote | None) -> Decimal | None:
        if q is None:
            return None
        return q.unit_amount if per_unit and q.unit_amount is not None else q.amount

    old, new = figure(before), figure(after)
    if old == new:
        return []
    return [PriceMove(item, code, name, cycle, catalog.currency, quantity, per_unit, old, new)]


def _affected(old: Catalog, new: Catalog, plans: Iterable[tuple[Plan, str]]) -> Affected:
    more = less = same = gone = 0
    for plan, currency in plans:
        before = _cycle_price(old, plan, currency)
        after = _cycle_price(new, plan, currency)
        if after is None:
            gone += 1
        elif before is None or after == before:
            same += 1
        elif after > before:
            more += 1
        else:
            less += 1
    return Affected(more, less, same, gone)


def _cycle_price(catalog: Catalog, plan: Plan, currency: str) -> Decimal | None:
    """A full cycle of the plan in `currency`; None when the catalog cannot sell it there."""
    try:
        priced = catalog.in_currency(currency)
    except ValueError:
        return None
    return renewal_amount(priced, plan)
