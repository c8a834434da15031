"""The catalog's `reconciliation:` section: loading, validation with paths, storage round trip,
and the waiting-room example's rules run on a worked account."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tierline.catalog import CatalogError, catalog_to_dict, load_catalog, parse_catalog
from tierline.domain.catalog import ReconciliationRule
from tierline.domain.entitlements import features_of, limits_of
from tierline.domain.plan import Plan
from tierline.domain.reconciliation import Resource, apply, reattach, reconcile

WAITING_ROOM = Path(__file__).resolve().parents[2] / "examples" / "waiting-room" / "catalog.yaml"

SEED_RULES: list[dict[str, str]] = [
    {"limit": "domains", "resource": "domain", "rule": "keep_most_children", "children": "room"},
    {"limit": "rooms", "resource": "room", "rule": "remove_newest"},
    {
        "limit": "capacity",
        "resource": "room",
        "attribute": "capacity",
        "rule": "scale_proportionally",
    },
    {"limit": "entry_rate", "resource": "room", "attribute": "entry_rate", "rule": "cap"},
    {"feature": "priority_groups", "resource": "priority_group", "rule": "remove_without_feature"},
    {"feature": "firewall", "resource": "firewall_ip", "rule": "remove_without_feature"},
    {"feature": "templates", "resource": "template", "rule": "detach_without_feature"},
    {"limit": "seats", "resource": "member", "rule": "keep"},
]


def a_catalog(rules: list[dict[str, Any]]) -> dict[str, Any]:
    """A small catalog that names the limits and features the rules above use."""
    return {
        "currency": "EUR",
        "quantity_unit": "account",
        "cycles": [{"code": "month", "months": 1}],
        "editions": [
            {"code": "free", "rank": 0, "free": True, "limits": {"domains": 1, "rooms": 1}},
            {
                "code": "pro",
                "rank": 1,
                "limits": {"domains": 5, "rooms": None, "capacity": 1000, "entry_rate": 100},
                "features": ["priority_groups", "firewall", "templates"],
                "prices": [{"cycle": "month", "flat": "10.00"}],
            },
        ],
        "addons": [
            {
                "code": "seats",
                "grants": {"seats": 5},
                "prices": [{"cycle": "month", "per_unit": "1.00"}],
            }
        ],
        "reconciliation": copy.deepcopy(rules),
    }


def issues(rules: list[dict[str, Any]]) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(a_catalog(rules))
    return [str(issue) for issue in caught.value.issues]


class TestLoading:
    def test_the_waiting_room_example_declares_the_seven_rules_of_seed_003(self) -> None:
        catalog = load_catalog(WAITING_ROOM)

        assert catalog.reconciliation == (
            ReconciliationRule(
                "keep_most_children", "domain", limit="domains", children="waiting_room"
            ),
            ReconciliationRule("remove_newest", "waiting_room", limit="waiting_rooms"),
            ReconciliationRule(
                "scale_proportionally", "waiting_room", limit="capacity", attribute="capacity"
            ),
            ReconciliationRule("cap", "waiting_room", limit="entry_rate", attribute="entry_rate"),
            ReconciliationRule(
                "remove_without_feature", "priority_group", feature="priority_groups"
            ),
            ReconciliationRule("remove_without_feature", "firewall_ip", feature="firewall"),
            ReconciliationRule(
                "detach_without_feature", "custom_template", feature="custom_templates"
            ),
        )

    def test_a_catalog_without_the_section_has_no_rules(self) -> None:
        data = a_catalog([])
        del data["reconciliation"]

        assert parse_catalog(data).reconciliation == ()

    def test_a_limit_granted_only_by_an_add_on_is_known(self) -> None:
        catalog = parse_catalog(a_catalog([{"limit": "seats", "resource": "m", "rule": "keep"}]))

        assert catalog.reconciliation == (ReconciliationRule("keep", "m", limit="seats"),)


class TestStorage:
    def test_rules_survive_the_round_trip_through_a_dict(self) -> None:
        catalog = parse_catalog(a_catalog(SEED_RULES))

        stored = json.dumps(catalog_to_dict(catalog))

        assert parse_catalog(json.loads(stored)) == catalog

    def test_the_example_catalog_survives_the_round_trip(self) -> None:
        catalog = load_catalog(WAITING_ROOM)

        assert parse_catalog(json.loads(json.dumps(catalog_to_dict(catalog)))) == catalog

    def test_a_rule_is_written_with_only_the_keys_it_has(self) -> None:
        body = catalog_to_dict(parse_catalog(a_catalog(SEED_RULES)))

        assert body["reconciliation"] == SEED_RULES

    def test_a_catalog_without_rules_writes_an_empty_list(self) -> None:
        assert catalog_to_dict(parse_catalog(a_catalog([])))["reconciliation"] == []


class TestErrors:
    def test_an_unknown_rule_name_is_refused(self) -> None:
        found = issues([{"limit": "rooms", "resource": "room", "rule": "remove_oldest"}])

        assert len(found) == 1
        assert found[0].startswith("reconciliation[0].rule: must be 'keep_most_children', ")

    def test_a_scaling_without_attribute_names_the_field(self) -> None:
        rules = copy.deepcopy(SEED_RULES)
        del rules[2]["attribute"]

        assert issues(rules) == [
            "reconciliation[2].attribute: required for scale_proportionally",
        ]

    def test_a_cap_without_attribute_names_the_field(self) -> None:
        rules = [{"limit": "entry_rate", "resource": "room", "rule": "cap"}]

        assert issues(rules) == ["reconciliation[0].attribute: required for cap"]

    def test_keep_most_children_needs_the_child_type(self) -> None:
        rules = [{"limit": "domains", "resource": "domain", "rule": "keep_most_children"}]

        assert issues(rules) == ["reconciliation[0].children: required for keep_most_children"]

    def test_a_rule_takes_only_the_keys_it_needs(self) -> None:
        rules = [
            {
                "limit": "rooms",
                "feature": "firewall",
                "resource": "room",
                "attribute": "capacity",
                "children": "x",
                "rule": "remove_newest",
            }
        ]

        assert issues(rules) == [
            "reconciliation[0].feature: does not apply to remove_newest",
            "reconciliation[0].attribute: does not apply to remove_newest",
            "reconciliation[0].children: does not apply to remove_newest",
        ]

    def test_a_limit_rule_needs_a_limit_and_a_feature_rule_a_feature(self) -> None:
        rules = [
            {"resource": "room", "rule": "remove_newest"},
            {"resource": "ip", "rule": "remove_without_feature"},
            {
                "limit": "rooms",
                "feature": "templates",
                "resource": "t",
                "rule": "detach_without_feature",
            },
        ]

        assert issues(rules) == [
            "reconciliation[0].limit: required for remove_newest",
            "reconciliation[1].feature: required for remove_without_feature",
            "reconciliation[2].limit: does not apply to detach_without_feature",
        ]

    def test_keep_names_exactly_one_of_limit_or_feature(self) -> None:
        rules = [
            {"resource": "room", "rule": "keep"},
            {"limit": "rooms", "feature": "firewall", "resource": "room", "rule": "keep"},
        ]

        assert issues(rules) == [
            "reconciliation[0]: keep needs exactly one of limit or feature",
            "reconciliation[1]: keep needs exactly one of limit or feature",
        ]

    def test_limits_and_features_must_be_known_to_some_edition(self) -> None:
        rules = [
            {"limit": "room", "resource": "room", "rule": "remove_newest"},
            {"feature": "sso", "resource": "idp", "rule": "remove_without_feature"},
        ]

        assert issues(rules) == [
            "reconciliation[0].limit: unknown limit 'room' (no edition or add-on has it)",
            "reconciliation[1].feature: unknown feature 'sso' (no edition has it)",
        ]

    def test_a_second_rule_for_the_same_resource_and_limit_is_refused(self) -> None:
        rules = [
            *SEED_RULES,
            {"limit": "rooms", "resource": "room", "rule": "keep"},
            {"limit": "capacity", "resource": "room", "attribute": "capacity", "rule": "cap"},
        ]

        assert issues(rules) == [
            "reconciliation[8]: duplicate rule for resource 'room' and limit 'rooms'"
            " (already reconciliation[1])",
            "reconciliation[9]: duplicate rule for resource 'room' and limit 'capacity'"
            " and attribute 'capacity' (already reconciliation[2])",
        ]

    def test_shape_errors_name_the_key(self) -> None:
        rules = [
            {"limit": "rooms", "rule": "remove_newest"},
            {"limit": "capacity", "resource": "room", "atribute": "capacity", "rule": "cap"},
            {"limit": 3, "resource": "room", "rule": "remove_newest"},
        ]

        assert issues(rules) == [
            "reconciliation[0].resource: is required",
            "reconciliation[1].atribute: unknown key (did you mean 'attribute'?)",
            "reconciliation[2].limit: must be a string",
        ]

    def test_the_section_must_be_a_list(self) -> None:
        data = a_catalog([])
        data["reconciliation"] = {"limit": "rooms"}

        with pytest.raises(CatalogError) as caught:
            parse_catalog(data)

        assert [str(i) for i in caught.value.issues] == ["reconciliation: must be a list"]


def day(n: int) -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n - 1)


def room(id_: str, domain: str, activated: int, capacity: int, entry_rate: int) -> Resource:
    attributes = {"capacity": capacity, "entry_rate": entry_rate}
    return Resource(id_, "waiting_room", domain, attributes, day(activated))


class TestWaitingRoomExample:
    """A Pro account (examples/waiting-room) downgraded to Free — 1 domain, 1 waiting room,
    capacity 100, entry rate 20, no features — then upgraded back to Pro."""

    def account(self) -> list[Resource]:
        return [
            Resource("shop", "domain", None, {}, day(1)),
            Resource("blog", "domain", None, {}, day(2)),
            room("r1", "shop", activated=1, capacity=600, entry_rate=50),
            room("r2", "shop", activated=3, capacity=300, entry_rate=10),
            room("r3", "blog", activated=2, capacity=100, entry_rate=5),
            Resource("pg1", "priority_group", "r1", {}, day(4)),
            Resource("t1", "custom_template", "r1", {}, day(5)),
        ]

    def test_a_downgrade_to_free_follows_the_catalogs_rules(self) -> None:
        catalog = load_catalog(WAITING_ROOM)
        free = Plan("free", "month", 1)

        plan = reconcile(
            self.account(),
            catalog.reconciliation,
            limits_of(catalog, free),
            features_of(catalog, free),
        )

        # shop has 2 rooms, blog 1: blog goes with r3. Of r1 (day 1) and r2 (day 3), r2 goes.
        # pg1 goes, t1 is detached; r1's entry rate 50 is capped at 20, its capacity 600 → 100.
        assert [(a.kind, a.resource_id, a.before, a.after, a.rule) for a in plan] == [
            ("remove", "blog", None, None, "keep_most_children"),
            ("remove", "r3", None, None, "keep_most_children"),
            ("remove", "r2", None, None, "remove_newest"),
            ("remove", "pg1", None, None, "remove_without_feature"),
            ("detach", "t1", None, None, "detach_without_feature"),
            ("cap", "r1", 50, 20, "cap"),
            ("scale", "r1", 600, 100, "scale_proportionally"),
        ]
        after = apply(self.account(), plan)
        assert after == (
            Resource("shop", "domain", None, {}, day(1)),
            room("r1", "shop", activated=1, capacity=100, entry_rate=20),
            Resource("t1", "custom_template", "r1", {}, day(5), detached=True),
        )

        pro = Plan("pro", "month", 1)
        upgrade = reattach(after, catalog.reconciliation, features_of(catalog, pro))
        assert [(a.kind, a.resource_id) for a in upgrade] == [("reattach", "t1")]
        assert [r.id for r in apply(after, upgrade)] == ["shop", "r1", "t1"]
