"""What a plan entitles an account to: limits (edition + add-on grants × quantity), features."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tierline.domain.catalog import Catalog
from tierline.domain.plan import Plan
from tierline.domain.values import replace


def limits_of(catalog: Catalog, plan: Plan) -> dict[str, int | None]:
    """None means unlimited. An add-on-only plan has its packs' grants alone."""
    edition = catalog.edition(plan.edition)
    if edition is None and not plan.addons_only:
        return {}
    limits: dict[str, int | None] = dict(edition.limits) if edition is not None else {}
    for code, count in plan.addons.items():
        addon = catalog.addon(code)
        if addon is None:
            continue
        for name, per_pack in addon.grants.items():
            current = limits.get(name, 0)
            limits[name] = None if current is None else current + per_pack * count
    return limits


def account_plan(base: Plan | None, others: Iterable[Plan]) -> Plan | None:
    """What an account holds over its live subscriptions, as one plan: the base subscription's
    edition, cycle and quantity, with the packs of every subscription added up. Limits, quotas
    and entitlement checks read this plan."""
    plans = list(others)
    if base is None:
        return None
    packs: dict[str, int] = dict(base.addons)
    for plan in plans:
        for code, count in plan.addons.items():
            packs[code] = packs.get(code, 0) + count
    return replace(base, addons=packs)


def features_of(catalog: Catalog, plan: Plan) -> frozenset[str]:
    edition = catalog.edition(plan.edition)
    return frozenset() if edition is None else edition.features


@dataclass(frozen=True)
class Effect:
    """Something a change does to what the account may use."""

    kind: str  # limit_reduced | limit_raised | feature_removed | feature_added
    name: str
    before: int | None = None
    after: int | None = None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"kind": self.kind, "name": self.name}
        if self.kind.startswith("limit"):
            data["before"] = self.before
            data["after"] = self.after
        return data


def _smaller(a: int | None, b: int | None) -> bool:
    """Is limit b smaller than limit a (None = unlimited)?"""
    if b is None:
        return False
    return a is None or b < a


def change_effects(catalog: Catalog, before: Plan, after: Plan) -> tuple[Effect, ...]:
    old_limits, new_limits = limits_of(catalog, before), limits_of(catalog, after)
    effects: list[Effect] = []
    for name in sorted(set(old_limits) | set(new_limits)):
        old, new = old_limits.get(name, 0), new_limits.get(name, 0)
        if _smaller(old, new):
            effects.append(Effect("limit_reduced", name, old, new))
        elif _smaller(new, old):
            effects.append(Effect("limit_raised", name, old, new))
    old_features, new_features = features_of(catalog, before), features_of(catalog, after)
    effects += [Effect("feature_removed", f) for f in sorted(old_features - new_features)]
    effects += [Effect("feature_added", f) for f in sorted(new_features - old_features)]
    return tuple(effects)
