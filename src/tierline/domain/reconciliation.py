"""Downgrade reconciliation: adapting an account's content to what a new edition allows.

The operator's product reports the content that plans limit as generic `Resource`s: a type, an
optional parent, attributes and an activation date (seed 003: domains; waiting rooms with
`capacity` and `entry_rate`; priority groups, firewall IPs, custom templates). The catalog declares,
per limit or feature, how excess content is adapted (`Catalog.reconciliation`, a tuple of
`ReconciliationRule`):

    rule                     needs              when the new edition has less
    keep_most_children       limit, children    keep the `limit` resources with the most direct
                                                children of type `children`; remove the others
    remove_newest            limit              remove the most recently activated until `limit`
                                                remain
    scale_proportionally     limit, attribute   scale `attribute` down in whole units so that its
                                                sum is `limit` (largest remainder)
    cap                      limit, attribute   lower `attribute` to `limit` where it is higher
    remove_without_feature   feature            remove every resource of the type; a later
                                                upgrade does not restore them
    detach_without_feature   feature            detach every resource of the type; a later
                                                upgrade re-attaches them
    keep                     limit or feature   leave the resources as they are

Public API: `Resource`, `Action`, `Plan` (an ordered tuple of actions), `reconcile`, `reattach`,
`apply`. All pure: no I/O, no clock. A service calls them like this:

    limits, features = limits_of(catalog, new_plan), features_of(catalog, new_plan)
    plan = reconcile(resources, catalog.reconciliation, limits, features)
    # preview of a downgrade: show `plan`, commit nothing.
    # when the downgrade takes effect: compute `plan` again from the stored resources, record it,
    # store `apply(resources, plan)`, and emit `subscription.content_reconciled` with
    # `[action.as_dict() for action in plan]`.
    # on an upgrade: `plan = reattach(resources, catalog.reconciliation, features)`, same steps.

Decisions:
- Rules run in a fixed order of stages, and within a stage in catalog order: keep_most_children,
  remove_newest, remove_without_feature, detach_without_feature, cap, scale_proportionally. So
  parents are trimmed before children (domains, then waiting rooms), every removal happens before
  attributes are adjusted (nothing is scaled only to be removed), and a cap is applied before a
  proportional scaling of the same attribute, which then shares out what is really left.
- Removing a resource removes all its descendants (a domain takes its waiting rooms, a waiting
  room its priority groups), each listed as its own `remove` action right after it, with the same
  rule and the reason "its parent … is removed". `apply` cascades as well.
- Limits and counts are per account: a count rule counts every resource of its type, detached or
  not; a sum rule adds up the attribute over every resource of its type.
- A limit the new edition does not name is 0 (as in `entitlements`); `None` is unlimited.
- Age is the activation date: a resource never activated counts as the newest. Ties are broken by
  id, so the plan never depends on the order the resources are given in.
- keep_most_children keeps the most children first, then the oldest, then the smallest id.
- Only integer attributes are scaled or capped; scaling touches positive values only and never
  raises a value. Its rounding: floor each exact share, then give the units left one by one to
  the largest remainders (ties: larger value, then older, then smaller id); the sum is the limit.
- `reconcile` also re-attaches detached resources whose feature is in the new edition, so
  `reconcile(apply(resources, plan), …)` is always empty. `reattach` does only that, for an
  upgrade, which never removes anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from tierline.domain.catalog import ReconciliationKind, ReconciliationRule
from tierline.domain.errors import Invalid
from tierline.domain.values import replace

__all__ = [
    "Action",
    "ActionKind",
    "Plan",
    "ReconciliationKind",
    "ReconciliationRule",
    "Resource",
    "apply",
    "reattach",
    "reconcile",
]

AttributeValue = int | str | None
ActionKind = Literal["remove", "scale", "cap", "detach", "reattach"]


@dataclass(frozen=True)
class Resource:
    """A piece of an account's content that a plan limits, as the operator's product reports it."""

    id: str
    type: str
    parent: str | None = None
    attributes: Mapping[str, AttributeValue] = field(default_factory=dict)
    activated_at: datetime | None = None
    detached: bool = False

    def number(self, attribute: str) -> int | None:
        """The attribute if it is an integer (booleans are not), else None."""
        value = self.attributes.get(attribute)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Action:
    """One change to one resource. `before`/`after` are the attribute's values (scale, cap)."""

    kind: ActionKind
    resource_id: str
    type: str
    attribute: str | None = None
    before: int | None = None
    after: int | None = None
    rule: ReconciliationKind = field(kw_only=True)
    reason: str = field(kw_only=True)

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "kind": self.kind,
            "resource_id": self.resource_id,
            "type": self.type,
        }
        if self.attribute is not None:
            data.update(attribute=self.attribute, before=self.before, after=self.after)
        data.update(rule=self.rule, reason=self.reason)
        return data


Plan = tuple[Action, ...]

_STAGES: tuple[ReconciliationKind, ...] = (
    "keep_most_children",
    "remove_newest",
    "remove_without_feature",
    "detach_without_feature",
    "cap",
    "scale_proportionally",
)


def reconcile(
    resources: Iterable[Resource],
    rules: Sequence[ReconciliationRule],
    new_limits: Mapping[str, int | None],
    new_features: frozenset[str],
) -> Plan:
    """What to do to `resources` so that they fit `new_limits` and `new_features`, in order."""
    state = _State(resources)
    for stage in _STAGES:
        for rule in rules:
            if rule.rule == stage:
                state.run(rule, new_limits, new_features)
    state.reattach(rules, new_features)
    return tuple(state.actions)


def reattach(
    resources: Iterable[Resource],
    rules: Sequence[ReconciliationRule],
    new_features: frozenset[str],
) -> Plan:
    """On an upgrade: re-attach the detached resources whose feature is back. Removes nothing."""
    state = _State(resources)
    state.reattach(rules, new_features)
    return tuple(state.actions)


def apply(resources: Iterable[Resource], plan: Iterable[Action]) -> tuple[Resource, ...]:
    """The resources once `plan` is carried out, in their given order; applying twice is a no-op.

    Removing a resource removes its descendants too. Actions on unknown ids are skipped.
    """
    state = _State(resources)
    for action in plan:
        state.carry_out(action)
    return tuple(state.by_id.values())


# --- Working state --------------------------------------------------------------------------------

_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _age_key(resource: Resource) -> tuple[bool, datetime, str]:
    """Sort key, oldest first: by activation date, never activated last, then by id."""
    if resource.activated_at is None:
        return (True, _NEVER, resource.id)  # compared only with other never-activated ones
    return (False, resource.activated_at, resource.id)


class _State:
    def __init__(self, resources: Iterable[Resource]) -> None:
        self.by_id: dict[str, Resource] = {}
        self.kids: dict[str, set[str]] = {}
        for resource in resources:
            if resource.id in self.by_id:
                raise Invalid(f"resource '{resource.id}' is given twice", code="duplicate_resource")
            self.by_id[resource.id] = resource
            if resource.parent is not None:
                self.kids.setdefault(resource.parent, set()).add(resource.id)
        self.actions: list[Action] = []

    # Reading

    def of_type(self, type_: str) -> list[Resource]:
        """Resources of a type, oldest first."""
        return sorted((r for r in self.by_id.values() if r.type == type_), key=_age_key)

    def children(self, resource: Resource) -> list[Resource]:
        """Direct children, oldest first."""
        found = (self.by_id[i] for i in self.kids.get(resource.id, ()) if i in self.by_id)
        return sorted(found, key=_age_key)

    def descendants(self, resource: Resource) -> list[Resource]:
        """Every descendant, depth first, each after its parent; safe against parent cycles."""
        out: list[Resource] = []
        seen = {resource.id}
        stack = list(reversed(self.children(resource)))
        while stack:
            child = stack.pop()
            if child.id in seen:
                continue
            seen.add(child.id)
            out.append(child)
            stack.extend(reversed(self.children(child)))
        return out

    # Writing: each action is carried out at once, so later rules see its result.

    def record(self, action: Action) -> None:
        self.actions.append(action)
        self.carry_out(action)

    def carry_out(self, action: Action) -> None:
        resource = self.by_id.get(action.resource_id)
        if resource is None:
            return
        if action.kind == "remove":
            self.drop([resource, *self.descendants(resource)])
        elif action.kind in ("scale", "cap") and action.attribute is not None:
            attributes = {**resource.attributes, action.attribute: action.after}
            self.by_id[resource.id] = replace(resource, attributes=attributes)
        elif action.kind in ("detach", "reattach"):
            self.by_id[resource.id] = replace(resource, detached=action.kind == "detach")

    def drop(self, gone: Sequence[Resource]) -> None:
        for resource in gone:
            self.by_id.pop(resource.id, None)
            self.kids.pop(resource.id, None)
            if resource.parent is not None:
                self.kids.get(resource.parent, set()).discard(resource.id)

    def remove(self, resource: Resource, rule: ReconciliationRule, reason: str) -> list[Resource]:
        """Remove a resource and, listed right after it, each of its descendants; returns them."""
        gone = [resource, *self.descendants(resource)]
        self.actions.append(
            Action("remove", resource.id, resource.type, rule=rule.rule, reason=reason)
        )
        for child in gone[1:]:
            parent = self.by_id.get(child.parent or "", resource)
            why = f"its parent {parent.type} {parent.id} is removed"
            self.actions.append(Action("remove", child.id, child.type, rule=rule.rule, reason=why))
        self.drop(gone)
        return gone

    # Rules

    def run(
        self,
        rule: ReconciliationRule,
        new_limits: Mapping[str, int | None],
        new_features: frozenset[str],
    ) -> None:
        if rule.feature is not None:
            if rule.feature not in new_features:
                self.without_feature(rule)
            return
        if rule.limit is None:
            return
        limit = new_limits.get(rule.limit, 0)
        if limit is None:
            return
        limit = max(limit, 0)
        if rule.rule == "keep_most_children":
            self.keep_most_children(rule, limit)
        elif rule.rule == "remove_newest":
            self.remove_newest(rule, limit)
        elif rule.rule == "cap":
            self.cap(rule, limit)
        elif rule.rule == "scale_proportionally":
            self.scale_proportionally(rule, limit)

    def keep_most_children(self, rule: ReconciliationRule, limit: int) -> None:
        found = self.of_type(rule.resource)
        if len(found) <= limit:
            return

        def count(resource: Resource) -> int:
            return sum(1 for c in self.children(resource) if c.type == rule.children)

        counted = {r.id: count(r) for r in found}
        ranked = sorted(found, key=lambda r: (-counted[r.id], _age_key(r)))
        self.trim(
            rule,
            limit,
            found,
            ranked,
            lambda r: (
                f"the new {rule.limit} limit is {limit} ({len(found)} found): the {limit} with"
                f" the most {rule.children} children are kept; {r.id} has {counted[r.id]}"
            ),
        )

    def remove_newest(self, rule: ReconciliationRule, limit: int) -> None:
        found = self.of_type(rule.resource)
        if len(found) <= limit:
            return
        reason = (
            f"the new {rule.limit} limit is {limit} ({len(found)} found):"
            " the most recently activated are removed first"
        )
        self.trim(rule, limit, found, found, lambda _: reason)

    def trim(
        self,
        rule: ReconciliationRule,
        limit: int,
        found: Sequence[Resource],
        ranked: Sequence[Resource],
        reason: Callable[[Resource], str],
    ) -> None:
        """Remove from the end of `ranked` until `limit` of `found` remain."""
        excess = len(found) - limit
        for resource in reversed(ranked):
            if excess <= 0:
                return
            if resource.id in self.by_id:
                gone = self.remove(resource, rule, reason(resource))
                excess -= sum(1 for r in gone if r.type == rule.resource)

    def cap(self, rule: ReconciliationRule, limit: int) -> None:
        assert rule.attribute is not None
        for resource in self.of_type(rule.resource):
            value = resource.number(rule.attribute)
            if value is not None and value > limit:
                reason = f"{rule.attribute} {value} is over the new {rule.limit} limit of {limit}"
                self.record(
                    Action(
                        "cap",
                        resource.id,
                        resource.type,
                        rule.attribute,
                        value,
                        limit,
                        rule=rule.rule,
                        reason=reason,
                    )
                )

    def scale_proportionally(self, rule: ReconciliationRule, limit: int) -> None:
        attribute = rule.attribute
        assert attribute is not None
        shares = [
            (r, value)
            for r in self.of_type(rule.resource)
            if (value := r.number(attribute)) is not None and value > 0
        ]
        total = sum(value for _, value in shares)
        if total <= limit:
            return
        scaled = _largest_remainder(shares, limit, total)
        reason = (
            f"{attribute} totals {total}, over the new {rule.limit} limit of {limit}:"
            " scaled down proportionally"
        )
        for (resource, before), after in zip(shares, scaled, strict=True):
            if after != before:
                self.record(
                    Action(
                        "scale",
                        resource.id,
                        resource.type,
                        attribute,
                        before,
                        after,
                        rule=rule.rule,
                        reason=reason,
                    )
                )

    def without_feature(self, rule: ReconciliationRule) -> None:
        for resource in self.of_type(rule.resource):
            if resource.id not in self.by_id:  # removed with an ancestor of the same type
                continue
            if rule.rule == "remove_without_feature":
                reason = (
                    f"feature {rule.feature} is not in the new edition;"
                    " a later upgrade does not restore it"
                )
                self.remove(resource, rule, reason)
            elif rule.rule == "detach_without_feature" and not resource.detached:
                reason = (
                    f"feature {rule.feature} is not in the new edition;"
                    " a later upgrade re-attaches it"
                )
                self.record(
                    Action("detach", resource.id, resource.type, rule=rule.rule, reason=reason)
                )

    def reattach(self, rules: Sequence[ReconciliationRule], new_features: frozenset[str]) -> None:
        for rule in rules:
            if rule.rule != "detach_without_feature" or rule.feature not in new_features:
                continue
            for resource in self.of_type(rule.resource):
                if resource.detached:
                    reason = f"feature {rule.feature} is in the new edition again"
                    self.record(
                        Action(
                            "reattach", resource.id, resource.type, rule=rule.rule, reason=reason
                        )
                    )


def _largest_remainder(shares: Sequence[tuple[Resource, int]], limit: int, total: int) -> list[int]:
    """Whole-unit shares of `limit` in proportion to the values; they sum to `limit` exactly."""
    floors = [value * limit // total for _, value in shares]
    left = limit - sum(floors)
    order = sorted(
        range(len(shares)),
        key=lambda i: (
            -(shares[i][1] * limit % total),
            -shares[i][1],
            _age_key(shares[i][0]),
        ),
    )
    for i in order[:left]:
        floors[i] += 1
    return floors
