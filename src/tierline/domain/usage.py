"""What an account uses of its limits: counted members, consumed quotas, reported content.

The operator's product reports three things, and the figure `used` of a limit adds them up:

- members: (person, application) pairs with a status, each counting toward one limit (`seats`
  unless said otherwise, e.g. `external_users`). Seed 000's counting rules: only members whose
  status is `normal` count; one person in two applications is two members, so counts twice.
- consumption: `+N` (or `-N`) on a limit. For a limit the catalog lists in `quotas`, what is
  consumed is kept per period of the subscription and starts again at 0 at each period start;
  for any other limit it is a standing total.
- resources (the content that reconciliation adapts): a limit that a count rule of the catalog's
  `reconciliation` ties to a resource type (`keep_most_children`, `remove_newest`) counts the
  resources of that type; one a `scale_proportionally` rule ties to an attribute sums it.

`seats` is the quantity bought with the edition; members count toward it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote, unquote

from tierline.domain.catalog import Catalog
from tierline.domain.entitlements import limits_of
from tierline.domain.plan import Plan
from tierline.domain.reconciliation import Resource

SEATS = "seats"

MemberStatus = Literal[
    "normal", "pending_approval", "pending_activation", "deactivated", "logged_off"
]
MEMBER_STATUSES: tuple[MemberStatus, ...] = (
    "normal",
    "pending_approval",
    "pending_activation",
    "deactivated",
    "logged_off",
)

# The period key of consumption on a limit that is not a quota: it never starts again.
STANDING = datetime(1970, 1, 1, tzinfo=UTC)

_COUNT_RULES = frozenset({"keep_most_children", "remove_newest"})


@dataclass(frozen=True)
class Member:
    """One person in one application of an account, as the operator's product reports it."""

    account_id: str
    person_id: str
    application: str
    status: MemberStatus
    counts_toward: str = SEATS

    @property
    def counted(self) -> bool:
        """Only normal members count (not pending, deactivated or logged off ones)."""
        return self.status == "normal"

    @property
    def key(self) -> str:
        """One string for the pair, as in the member's URL: `{person_id}/{application}`, each
        part percent-encoded."""
        return f"{quote(self.person_id, safe='')}/{quote(self.application, safe='')}"


def member_of_key(key: str) -> tuple[str, str] | None:
    """(person_id, application) from a `Member.key`, or None if `key` is not one."""
    parts = key.split("/")
    if len(parts) != 2 or not all(parts):
        return None
    return unquote(parts[0]), unquote(parts[1])


def count_members(members: Iterable[Member], limit: str = SEATS) -> int:
    """How many members count toward `limit`: normal ones, one per (person, application)."""
    return len({(m.person_id, m.application) for m in members if m.counted and _toward(m, limit)})


def _toward(member: Member, limit: str) -> bool:
    return member.counts_toward == limit


def members_added(before: Member | None, after: Member) -> int:
    """How many more members count toward `after.counts_toward` once `after` replaces `before`."""
    if not after.counted:
        return 0
    if before is not None and before.counted and before.counts_toward == after.counts_toward:
        return 0
    return 1


def account_limits(catalog: Catalog, plan: Plan) -> dict[str, int | None]:
    """The plan's limits (edition + add-on grants × quantity) and its seats (quantity bought)."""
    limits = limits_of(catalog, plan)
    limits[SEATS] = plan.quantity
    return limits


def known_limit(catalog: Catalog, name: str) -> bool:
    """Is `name` a limit of some edition or add-on of the catalog, or the seats?"""
    if name == SEATS:
        return True
    return any(name in e.limits for e in catalog.editions) or any(
        name in a.grants for a in catalog.addons
    )


def period_key(catalog: Catalog, limit: str, period_start: datetime) -> datetime:
    """Where consumption on `limit` is counted: the period's start for a quota, else STANDING."""
    return period_start if catalog.is_quota(limit) else STANDING


@dataclass(frozen=True)
class ResourceMeasure:
    """How a limit is measured on reported resources: count them, or sum one attribute."""

    resource: str
    attribute: str | None = None  # None: count


def resource_measure(catalog: Catalog, limit: str) -> ResourceMeasure | None:
    """The first count or sum rule of the catalog's reconciliation tied to `limit`, if any."""
    for rule in catalog.reconciliation:
        if rule.limit != limit:
            continue
        if rule.rule in _COUNT_RULES:
            return ResourceMeasure(rule.resource)
        if rule.rule == "scale_proportionally":
            return ResourceMeasure(rule.resource, rule.attribute)
    return None


def measure_resources(measure: ResourceMeasure, resources: Iterable[Resource]) -> int:
    """How much of a limit the resources use: their number, or the sum of the attribute."""
    found = [r for r in resources if r.type == measure.resource]
    if measure.attribute is None:
        return len(found)
    return sum(max(r.number(measure.attribute) or 0, 0) for r in found)


def resource_measures(catalog: Catalog) -> dict[str, ResourceMeasure]:
    """Every limit measured on resources, by limit name."""
    found: dict[str, ResourceMeasure] = {}
    for rule in catalog.reconciliation:
        if rule.limit is not None and rule.limit not in found:
            measure = resource_measure(catalog, rule.limit)
            if measure is not None:
                found[rule.limit] = measure
    return found


def add_usage(*parts: Mapping[str, int]) -> dict[str, int]:
    """Usage by limit, the parts (members, consumption, resources) added up."""
    total: dict[str, int] = {}
    for part in parts:
        for name, value in part.items():
            total[name] = total.get(name, 0) + value
    return total
