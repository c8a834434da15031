"""Hypothesis properties of downgrade reconciliation: the result always fits the new limits,
nothing outside the excess is touched, proportional scaling keeps ratios within rounding, and a
plan applied twice is applied once."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tierline.domain.catalog import ReconciliationRule
from tierline.domain.reconciliation import Plan, Resource, apply, reattach, reconcile

RULES = (
    ReconciliationRule("keep_most_children", "domain", limit="domains", children="waiting_room"),
    ReconciliationRule("remove_newest", "waiting_room", limit="waiting_rooms"),
    ReconciliationRule(
        "scale_proportionally", "waiting_room", limit="capacity", attribute="capacity"
    ),
    ReconciliationRule("cap", "waiting_room", limit="entry_rate", attribute="entry_rate"),
    ReconciliationRule("remove_without_feature", "priority_group", feature="priority_groups"),
    ReconciliationRule("remove_without_feature", "firewall_ip", feature="firewall"),
    ReconciliationRule("detach_without_feature", "custom_template", feature="custom_templates"),
)
FEATURES = ("priority_groups", "firewall", "custom_templates")
PROPERTY = settings(max_examples=150, deadline=None)

# Few distinct days, so that activation ties are common.
activations = st.one_of(
    st.none(),
    st.integers(0, 6).map(lambda n: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n)),
)


@st.composite
def accounts(draw: st.DrawFn) -> list[Resource]:
    """Domains, waiting rooms (some without a domain), their priority groups and templates,
    firewall IPs, and `report`s that no rule names but share the `capacity` attribute."""
    out: list[Resource] = []
    domains = [f"d{i}" for i in range(draw(st.integers(0, 5)))]
    out += [Resource(d, "domain", None, {}, draw(activations)) for d in domains]
    rooms = [f"r{i}" for i in range(draw(st.integers(0, 9)))]
    for room in rooms:
        attributes = {
            "capacity": draw(st.integers(0, 10_000)),
            "entry_rate": draw(st.integers(0, 2_000)),
        }
        parent = draw(st.sampled_from([None, *domains]))
        out.append(Resource(room, "waiting_room", parent, attributes, draw(activations)))
    for i in range(draw(st.integers(0, 4))):
        parent = draw(st.sampled_from([None, *rooms]))
        out.append(Resource(f"pg{i}", "priority_group", parent, {}, draw(activations)))
    for i in range(draw(st.integers(0, 3))):
        out.append(Resource(f"ip{i}", "firewall_ip", None, {}, draw(activations)))
    for i in range(draw(st.integers(0, 3))):
        parent = draw(st.sampled_from([None, *rooms]))
        detached = draw(st.booleans())
        out.append(Resource(f"t{i}", "custom_template", parent, {}, None, detached))
    for i in range(draw(st.integers(0, 2))):
        attributes = {"capacity": draw(st.integers(0, 10_000))}
        out.append(Resource(f"x{i}", "report", None, attributes, draw(activations)))
    return out


limits = st.fixed_dictionaries(
    {
        "domains": st.none() | st.integers(0, 6),
        "waiting_rooms": st.none() | st.integers(0, 10),
        "capacity": st.none() | st.integers(0, 60_000),
        "entry_rate": st.none() | st.integers(0, 2_500),
    }
)
features = st.frozensets(st.sampled_from(FEATURES))


@dataclass(frozen=True)
class Case:
    before: list[Resource]
    limits: dict[str, int | None]
    features: frozenset[str]

    @property
    def plan(self) -> Plan:
        return reconcile(self.before, RULES, self.limits, self.features)

    @property
    def after(self) -> tuple[Resource, ...]:
        return apply(self.before, self.plan)


cases = st.builds(Case, accounts(), limits, features)


def of_type(resources: tuple[Resource, ...] | list[Resource], type_: str) -> list[Resource]:
    return [r for r in resources if r.type == type_]


def age(resource: Resource) -> tuple[bool, datetime, str]:
    never = datetime(1970, 1, 1, tzinfo=UTC)
    return (resource.activated_at is None, resource.activated_at or never, resource.id)


def number(resource: Resource, attribute: str) -> int:
    value = resource.attributes[attribute]
    assert isinstance(value, int)
    return value


@PROPERTY
@given(cases)
def test_the_result_always_fits_the_new_limits(case: Case) -> None:
    after, new = case.after, case.limits
    rooms = of_type(after, "waiting_room")

    if new["domains"] is not None:
        assert len(of_type(after, "domain")) <= new["domains"]
    if new["waiting_rooms"] is not None:
        assert len(rooms) <= new["waiting_rooms"]
    if new["capacity"] is not None:
        assert sum(number(r, "capacity") for r in rooms) <= new["capacity"]
    if new["entry_rate"] is not None:
        assert all(number(r, "entry_rate") <= new["entry_rate"] for r in rooms)
    if "priority_groups" not in case.features:
        assert of_type(after, "priority_group") == []
    if "firewall" not in case.features:
        assert of_type(after, "firewall_ip") == []
    templates = of_type(after, "custom_template")
    assert all(t.detached != ("custom_templates" in case.features) for t in templates)
    # Removing a resource took its descendants with it: no resource lost its parent.
    known, kept = {r.id for r in case.before}, {r.id for r in after}
    assert all(r.parent in kept for r in after if r.parent in known)


@PROPERTY
@given(cases)
def test_nothing_outside_the_excess_is_touched(case: Case) -> None:
    plan, before, new = case.plan, case.before, case.limits
    after = {r.id: r for r in case.after}
    acted = {action.resource_id for action in plan}

    # Resources no action names come out exactly as they went in; `report`s are never named.
    assert all(after[r.id] == r for r in before if r.id not in acted)
    assert not any(action.type == "report" for action in plan)

    # Domains: exactly the excess goes, and never one with more rooms than a domain kept.
    domains = of_type(before, "domain")
    rooms_of = Counter(r.parent for r in of_type(before, "waiting_room"))
    removed = {a.resource_id for a in plan if a.type == "domain"}
    excess = 0 if new["domains"] is None else max(0, len(domains) - new["domains"])
    assert len(removed) == excess
    kept = [d for d in domains if d.id not in removed]
    for gone in removed:
        assert all(rooms_of[gone] <= rooms_of[k.id] for k in kept)

    # Rooms: those cut for the room limit are exactly the excess, and the newest.
    left = [r for r in of_type(before, "waiting_room") if r.parent not in removed]
    cut = [
        a.resource_id
        for a in plan
        if a.rule == "remove_newest" and a.type == "waiting_room" and a.kind == "remove"
    ]
    excess = 0 if new["waiting_rooms"] is None else max(0, len(left) - new["waiting_rooms"])
    assert len(cut) == excess
    survivors = of_type(case.after, "waiting_room")
    for room in (r for r in left if r.id in cut):
        assert all(age(s) < age(room) for s in survivors)

    # Entry rates: only those over the cap are capped, and to the cap.
    original = {r.id: r for r in before}
    capped = {a.resource_id: a for a in plan if a.kind == "cap"}
    for room in survivors:
        rate = number(original[room.id], "entry_rate")
        if room.id in capped:
            assert new["entry_rate"] is not None and rate > new["entry_rate"]
            assert (capped[room.id].before, capped[room.id].after) == (rate, new["entry_rate"])
        else:
            assert number(room, "entry_rate") == rate

    # Capacities: scaled only when the rooms left hold more than the limit, and never raised.
    total = sum(number(original[r.id], "capacity") for r in survivors)
    scaled = [a for a in plan if a.kind == "scale"]
    if new["capacity"] is None or total <= new["capacity"]:
        assert scaled == []
    for action in scaled:
        assert action.before == number(original[action.resource_id], "capacity")
        assert action.after is not None and action.after < action.before

    # A feature that is present removes and detaches nothing (it may re-attach).
    for rule in RULES:
        if rule.feature in case.features:
            mine = [a.kind for a in plan if a.rule == rule.rule and a.type == rule.resource]
            assert set(mine) <= {"reattach"}


@settings(max_examples=300, deadline=None)
@given(
    capacities=st.lists(st.integers(0, 100_000), min_size=1, max_size=12),
    data=st.data(),
)
def test_proportional_scaling_keeps_ratios_within_rounding(
    capacities: list[int], data: st.DataObject
) -> None:
    total = sum(capacities)
    limit = data.draw(st.integers(0, max(total - 1, 0)))
    rooms = [
        Resource(f"r{i}", "waiting_room", None, {"capacity": c}) for i, c in enumerate(capacities)
    ]

    new = {"domains": None, "waiting_rooms": None, "entry_rate": None, "capacity": limit}

    after = apply(rooms, reconcile(rooms, RULES, new, frozenset(FEATURES)))

    scaled = [number(r, "capacity") for r in after]
    assert len(scaled) == len(capacities)
    assert sum(scaled) <= limit
    if total > limit:
        assert sum(scaled) == limit
    for old, new in zip(capacities, scaled, strict=True):
        assert 0 <= new <= old
        if limit and total > limit:
            assert abs(Fraction(new, limit) - Fraction(old, total)) < Fraction(1, limit)


@PROPERTY
@given(cases)
def test_applying_a_plan_twice_is_the_same_as_once(case: Case) -> None:
    once = case.after

    assert apply(once, case.plan) == once
    assert reconcile(once, RULES, case.limits, case.features) == ()


@PROPERTY
@given(cases, st.randoms(use_true_random=False))
def test_the_plan_does_not_depend_on_the_order_of_the_resources(
    case: Case, rnd: random.Random
) -> None:
    shuffled = list(case.before)
    rnd.shuffle(shuffled)

    assert reconcile(shuffled, RULES, case.limits, case.features) == case.plan


@PROPERTY
@given(accounts(), limits)
def test_an_upgrade_after_a_downgrade_reattaches_templates_and_restores_nothing(
    before: list[Resource], new: dict[str, int | None]
) -> None:
    downgraded = apply(before, reconcile(before, RULES, new, frozenset()))

    plan = reattach(downgraded, RULES, frozenset(FEATURES))
    upgraded = apply(downgraded, plan)

    assert {a.kind for a in plan} <= {"reattach"}
    assert [r.id for r in upgraded] == [r.id for r in downgraded]
    assert not any(r.detached for r in upgraded)
    assert of_type(upgraded, "priority_group") == of_type(upgraded, "firewall_ip") == []
