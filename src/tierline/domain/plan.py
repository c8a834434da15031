"""A plan is what a subscription holds at one moment: edition, cycle, quantity and add-ons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tierline.domain.catalog import Addon, Catalog, Cycle, Edition
from tierline.domain.errors import (
    Invalid,
    NotAvailableOnEdition,
    QuantityOutOfRange,
    TransitionNotAllowed,
)
from tierline.domain.pricing import base_price
from tierline.domain.units import unit_word
from tierline.domain.values import replace

# No edition and no add-on is sold in larger quantities, whatever the catalog says: a total
# stays well within what money and storage hold.
QUANTITY_CEILING = 1_000_000

# The edition of an add-on-only plan: packs bought on their own cycle, beside the account's
# edition (which another subscription, the base, holds).
NO_EDITION = ""


@dataclass(frozen=True)
class Plan:
    edition: str
    cycle: str
    quantity: int
    addons: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "addons", {k: v for k, v in sorted(self.addons.items()) if v})

    def __hash__(self) -> int:
        return hash((self.edition, self.cycle, self.quantity, tuple(self.addons.items())))

    @property
    def addons_only(self) -> bool:
        """Packs alone, without an edition: the plan of an add-on-only subscription."""
        return self.edition == NO_EDITION

    def with_changes(
        self,
        *,
        edition: str | None = None,
        cycle: str | None = None,
        quantity: int | None = None,
        addons: Mapping[str, int] | None = None,
    ) -> Plan:
        merged = dict(self.addons)
        if addons is not None:
            merged.update(addons)
        return replace(
            self,
            edition=edition or self.edition,
            cycle=cycle or self.cycle,
            quantity=self.quantity if quantity is None else quantity,
            addons=merged,
        )


@dataclass(frozen=True)
class ResolvedPlan:
    plan: Plan
    edition: Edition | None  # None for an add-on-only plan
    cycle: Cycle
    addons: tuple[tuple[Addon, int], ...]


def resolve(
    catalog: Catalog, plan: Plan, *, trialing: bool = False, host: Edition | None = None
) -> ResolvedPlan:
    """Check a plan against the catalog and return its catalog objects, or raise the refusal.

    An add-on-only plan's packs are checked against `host`, the account's paid edition, when
    one is given (a purchase); without it (pricing a renewal) only their prices are checked."""
    if plan.addons_only:
        return _resolve_addons_only(catalog, plan, host)
    edition = catalog.edition(plan.edition)
    if edition is None:
        raise Invalid(
            f"No edition '{plan.edition}'.", code="unknown_edition", param="edition",
            details={"code": plan.edition},
        )  # fmt: skip
    cycle = _cycle(catalog, plan)
    if not edition.free and base_price(edition, cycle, catalog) is None:
        raise Invalid(
            f"{edition.name} has no price for the '{cycle.code}' cycle.",
            code="no_price_for_cycle",
            param="cycle",
            details={"name": edition.name, "cycle": cycle.name or cycle.code},
        )
    if not edition.quantity.allows(plan.quantity):
        bound = edition.quantity
        upper = "no maximum" if bound.max is None else f"at most {bound.max}"
        units = unit_word(catalog.quantity_unit, "en", "other", catalog.quantity_unit_forms)
        raise QuantityOutOfRange(
            f"{edition.name} takes at least {bound.min} and {upper} {units}; "
            f"{plan.quantity} asked.",
            param="quantity",
            details={"edition": edition.name, "min": bound.min, "max": bound.max,
                     "asked": plan.quantity, "unit": catalog.quantity_unit},
        )  # fmt: skip
    if plan.quantity > QUANTITY_CEILING:
        raise QuantityOutOfRange(
            f"A quantity is at most {QUANTITY_CEILING}; {plan.quantity} asked.",
            param="quantity", details={"max": QUANTITY_CEILING, "asked": plan.quantity},
        )  # fmt: skip
    addons: list[tuple[Addon, int]] = []
    for code, count in plan.addons.items():
        addon = _addon(catalog, code)
        if count < 0:
            raise QuantityOutOfRange(
                f"An add-on quantity cannot be negative ({count}).", param=f"addons.{code}"
            )
        if count > QUANTITY_CEILING:
            raise QuantityOutOfRange(
                f"{addon.name} is sold at most {QUANTITY_CEILING} at a time; {count} asked.",
                param=f"addons.{code}", details={"max": QUANTITY_CEILING, "asked": count},
            )  # fmt: skip
        if trialing or not catalog.addon_available_on(addon, edition):
            where = "during a trial" if trialing else f"on {edition.name}"
            raise NotAvailableOnEdition(
                f"{addon.name} cannot be bought {where}; subscribe to a paid edition first.",
                param=f"addons.{code}",
                details={"addon": addon.name, "edition": edition.name, "trial": trialing},
            )
        _priced_on(addon, cycle, catalog, code)
        addons.append((addon, count))
    return ResolvedPlan(plan, edition, cycle, tuple(addons))


def _resolve_addons_only(catalog: Catalog, plan: Plan, host: Edition | None) -> ResolvedPlan:
    cycle = _cycle(catalog, plan)
    if plan.quantity:
        raise Invalid(
            "An add-on subscription has no edition, so no quantity of its own.",
            param="quantity",
        )
    if not plan.addons:
        raise Invalid(
            "An add-on subscription holds at least one pack; turn auto-renewal off to end it.",
            code="no_addons", param="addons",
        )  # fmt: skip
    addons: list[tuple[Addon, int]] = []
    for code, count in plan.addons.items():
        addon = _addon(catalog, code)
        if count < 0 or count > QUANTITY_CEILING:
            raise QuantityOutOfRange(
                f"{addon.name} is sold from 0 to {QUANTITY_CEILING} at a time; {count} asked.",
                param=f"addons.{code}", details={"max": QUANTITY_CEILING, "asked": count},
            )  # fmt: skip
        if host is not None and not catalog.addon_available_on(addon, host):
            raise NotAvailableOnEdition(
                f"{addon.name} cannot be bought on {host.name}.",
                param=f"addons.{code}",
                details={"addon": addon.name, "edition": host.name, "trial": False},
            )
        _priced_on(addon, cycle, catalog, code)
        addons.append((addon, count))
    return ResolvedPlan(plan, None, cycle, tuple(addons))


def _cycle(catalog: Catalog, plan: Plan) -> Cycle:
    cycle = catalog.cycle(plan.cycle)
    if cycle is None:
        raise Invalid(
            f"No cycle '{plan.cycle}'.", code="unknown_cycle", param="cycle",
            details={"code": plan.cycle},
        )  # fmt: skip
    return cycle


def _addon(catalog: Catalog, code: str) -> Addon:
    addon = catalog.addon(code)
    if addon is None:
        raise Invalid(
            f"No add-on '{code}'.", code="unknown_addon", param=f"addons.{code}",
            details={"code": code},
        )  # fmt: skip
    return addon


def _priced_on(addon: Addon, cycle: Cycle, catalog: Catalog, code: str) -> None:
    if base_price(addon, cycle, catalog) is None:
        raise Invalid(
            f"{addon.name} has no price for the '{cycle.code}' cycle.",
            code="no_price_for_cycle",
            param=f"addons.{code}",
            details={"name": addon.name, "cycle": cycle.name or cycle.code},
        )


def pays_for_packs(catalog: Catalog, edition: str | None, status: str | None) -> bool:
    """Whether a base subscription on `edition` in `status` carries packs on their own: live
    and paid (a trial or a free edition is not paid)."""
    found = catalog.edition(edition) if edition else None
    return found is not None and not found.free and status in ("active", "past_due")


def paid_host(catalog: Catalog, base: Plan | None, *, live: bool, trialing: bool) -> Edition:
    """The edition an add-on-only subscription is bought beside: the account's base
    subscription's, while it is live and paid (a trial or a free edition is not paid)."""
    edition = None if base is None or not live else catalog.edition(base.edition)
    if edition is None or edition.free or trialing:
        name = edition.name if edition is not None else ""
        raise NotAvailableOnEdition(
            "Packs on their own subscription need a paid edition on the account; "
            "subscribe to a paid edition first.",
            param="edition",
            details={"edition": name, "trial": trialing},
        )
    return edition


def check_transition(catalog: Catalog, source: str, target: str) -> None:
    if source == target:
        return
    rule = catalog.transition_rule(source, target)
    if rule is not None and not rule.allowed:
        raise TransitionNotAllowed(
            rule.message, param="edition", details={"messages": dict(rule.messages)}
        )
