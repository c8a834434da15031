"""What a change of plan announces: one event, with the facts that name what changed."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tierline.domain.catalog import Catalog
from tierline.domain.change import Settlement
from tierline.domain.events import ChangeScheduled, SubscriptionChanged, cycle_length
from tierline.domain.plan import Plan


def announcement(
    catalog: Catalog, s: Settlement, total_now: Decimal, currency: str
) -> SubscriptionChanged | ChangeScheduled:
    """The change's event: scheduled, or made now, naming the plan it leads to, what it costs
    now, and the quantity and packs when they changed."""
    target = s.after.pending.target if s.scheduled and s.after.pending else s.after.plan
    edition = catalog.edition(target.edition)
    name = edition.name if edition else target.edition
    if target.addons_only:  # packs alone: they are what the subscription holds
        name = ", ".join(
            f"{pack} × {count}" for pack, count in _named(catalog, target.addons).items()
        )
    more: dict[str, Any] = {
        **cycle_length(catalog, target.cycle),
        **_what_else_changed(catalog, s.before.plan, target),
    }
    announced = ChangeScheduled if s.scheduled else SubscriptionChanged
    return announced(
        s.after.id, s.change.primary, total_now, currency, target.edition, name,
        target.cycle, s.effective_at, **more,
    )  # fmt: skip


def _what_else_changed(catalog: Catalog, before: Plan, after: Plan) -> dict[str, Any]:
    """The quantity and the packs of a change, as its event's facts, when they changed."""
    facts: dict[str, Any] = {}
    if before.quantity != after.quantity:
        facts.update(quantity_before=before.quantity, quantity_after=after.quantity,
                     unit=catalog.quantity_unit)  # fmt: skip
    if _held(before.addons) != _held(after.addons):
        facts.update(packs_before=_named(catalog, before.addons),
                     packs_after=_named(catalog, after.addons))  # fmt: skip
    return facts


def _held(addons: Mapping[str, int]) -> dict[str, int]:
    return {code: count for code, count in addons.items() if count}


def _named(catalog: Catalog, addons: Mapping[str, int]) -> dict[str, int]:
    named = {}
    for code, count in _held(addons).items():
        addon = catalog.addon(code)
        named[addon.name if addon else code] = count
    return named
