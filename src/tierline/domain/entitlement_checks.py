"""May an account do this? A check of one action against its limits, and what would allow it.

    decision = check("external_users", 1, usage, account_limits(catalog, plan),
                     catalog=catalog, plan=plan)
    decision.allowed, decision.used, decision.limit, decision.remaining, decision.suggestion

An action fits when what is used plus `amount` stays within the limit (None: unlimited). When it
does not, the suggestion names what would allow it, in this order:

1. for seats, more seats on the same edition (Expand), if its quantity range allows them;
2. the cheapest add-on available on the edition whose grants cover the gap (packs × grant), priced
   for the plan's cycle as the packs added cost; ties by code;
3. the lowest-ranked edition above the current one whose limit covers the total (with the
   plan's add-ons that are available on it; for seats, its quantity range).

No add-on is suggested during a trial (packs cannot be bought then). None is suggested when
nothing in the catalog would allow it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from tierline.domain.catalog import Addon, Catalog, Cycle, Edition
from tierline.domain.entitlements import limits_of
from tierline.domain.errors import Invalid
from tierline.domain.plan import Plan
from tierline.domain.pricing import addon_quote
from tierline.domain.usage import SEATS

SuggestionKind = Literal["quantity", "addon", "edition"]


@dataclass(frozen=True)
class Suggestion:
    """A change that would allow the action; `quantity` is the quantity to hold after it:
    seats for `quantity` and `edition` (seats only), packs for `addon`."""

    kind: SuggestionKind
    code: str  # the edition (quantity, edition) or the add-on
    name: str
    quantity: int | None = None

    def change(self) -> dict[str, object]:
        """The change request that carries it out."""
        if self.kind == "quantity":
            return {"quantity": self.quantity}
        if self.kind == "addon":
            return {"addons": {self.code: self.quantity}}
        if self.quantity is None:
            return {"edition": self.code}
        return {"edition": self.code, "quantity": self.quantity}

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "code": self.code,
            "name": self.name,
            "quantity": self.quantity,
            "change": self.change(),
        }


@dataclass(frozen=True)
class Decision:
    """The answer to `check`. `limit` and `remaining` are None when unlimited; `remaining` is
    never negative (an account already over its limit has 0 left)."""

    name: str
    amount: int
    allowed: bool
    used: int
    limit: int | None
    remaining: int | None
    suggestion: Suggestion | None = None


def check(
    action: str,
    amount: int,
    usage: Mapping[str, int],
    limits: Mapping[str, int | None],
    *,
    catalog: Catalog | None = None,
    plan: Plan | None = None,
    trialing: bool = False,
) -> Decision:
    """May `amount` more of limit `action` be used? A limit the plan does not name is 0.

    With the catalog and the plan, a refusal carries a suggestion (see the module's docstring).
    """
    if amount < 0:
        raise Invalid(
            f"The amount to check cannot be negative ({amount}).", code="invalid_amount",
            param="amount",
        )  # fmt: skip
    used = max(usage.get(action, 0), 0)
    limit = limits.get(action, 0)
    if limit is None:
        return Decision(action, amount, True, used, None, None)
    allowed = used + amount <= limit
    suggestion = None
    if not allowed and catalog is not None and plan is not None:
        suggestion = suggest(catalog, plan, action, used + amount, trialing=trialing)
    return Decision(action, amount, allowed, used, limit, max(limit - used, 0), suggestion)


def suggest(
    catalog: Catalog, plan: Plan, name: str, needed: int, *, trialing: bool = False
) -> Suggestion | None:
    """What would raise limit `name` of `plan` to at least `needed`."""
    edition = catalog.edition(plan.edition)
    cycle = catalog.cycle(plan.cycle)
    if edition is None or cycle is None:
        return None
    if name == SEATS:
        if needed > plan.quantity and edition.quantity.allows(needed):
            return Suggestion("quantity", edition.code, edition.name, needed)
    elif not trialing:
        found = _cheapest_addon(catalog, plan, edition, cycle, name, needed)
        if found is not None:
            return found
    return _lowest_edition(catalog, plan, edition, name, needed)


def _cheapest_addon(
    catalog: Catalog, plan: Plan, edition: Edition, cycle: Cycle, name: str, needed: int
) -> Suggestion | None:
    current = limits_of(catalog, plan).get(name, 0)
    if current is None:
        return None
    gap = needed - current
    best: tuple[Decimal, str, Addon, int] | None = None
    for addon in catalog.addons:
        grant = addon.grants.get(name, 0)
        if grant <= 0 or not catalog.addon_available_on(addon, edition):
            continue
        held = plan.addons.get(addon.code, 0)
        packs = -(-gap // grant)  # ceiling
        after = addon_quote(catalog, addon, cycle, held + packs)
        if after is None:
            continue  # no price for the plan's cycle: it cannot be bought with this plan
        before = addon_quote(catalog, addon, cycle, held) if held else None
        cost = after.amount - (before.amount if before is not None else Decimal(0))
        if best is None or (cost, addon.code) < (best[0], best[1]):
            best = (cost, addon.code, addon, held + packs)
    if best is None:
        return None
    _, _, addon, total = best
    return Suggestion("addon", addon.code, addon.name, total)


def _lowest_edition(
    catalog: Catalog, plan: Plan, current: Edition, name: str, needed: int
) -> Suggestion | None:
    for edition in sorted(catalog.editions, key=lambda e: (e.rank, e.code)):
        if edition.rank <= current.rank:
            continue
        if name == SEATS:
            if edition.quantity.max is None or edition.quantity.max >= needed:
                quantity = max(needed, edition.quantity.min)
                return Suggestion("edition", edition.code, edition.name, quantity)
            continue
        addons = {
            code: count
            for code, count in plan.addons.items()
            if (addon := catalog.addon(code)) is not None
            and catalog.addon_available_on(addon, edition)
        }
        there = Plan(edition.code, plan.cycle, plan.quantity, addons)
        limit = limits_of(catalog, there).get(name, 0)
        if limit is None or limit >= needed:
            return Suggestion("edition", edition.code, edition.name)
    return None
