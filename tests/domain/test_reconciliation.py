"""Downgrade reconciliation (seed 003): each of the seven rules on a worked example.

Every expected figure is written out by hand in the test that uses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

import pytest

from tierline.domain.catalog import ReconciliationRule
from tierline.domain.errors import Invalid
from tierline.domain.reconciliation import (
    Action,
    Plan,
    Resource,
    apply,
    reattach,
    reconcile,
)

# The waiting-room catalog's rules (examples/waiting-room/catalog.yaml).
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
EVERY_FEATURE = frozenset({"priority_groups", "firewall", "custom_templates"})
NO_FEATURE: frozenset[str] = frozenset()


def day(n: int) -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n - 1)


def a_domain(id_: str, activated: int | None = 1) -> Resource:
    return Resource(id_, "domain", None, {}, None if activated is None else day(activated))


def a_room(
    id_: str,
    domain: str | None = None,
    *,
    activated: int | None = 1,
    capacity: int = 100,
    entry_rate: int = 10,
) -> Resource:
    attributes = {"capacity": capacity, "entry_rate": entry_rate}
    return Resource(
        id_, "waiting_room", domain, attributes, None if activated is None else day(activated)
    )


def a(type_: str, id_: str, parent: str | None = None, *, detached: bool = False) -> Resource:
    return Resource(id_, type_, parent, {}, day(1), detached)


def limits(**given: int | None) -> dict[str, int | None]:
    """Unlimited except what is given."""
    return {
        "domains": None,
        "waiting_rooms": None,
        "capacity": None,
        "entry_rate": None,
        **given,
    }


def run(
    resources: Iterable[Resource],
    new_limits: Mapping[str, int | None] | None = None,
    features: frozenset[str] = EVERY_FEATURE,
    rules: tuple[ReconciliationRule, ...] = RULES,
) -> Plan:
    return reconcile(
        tuple(resources), rules, limits() if new_limits is None else new_limits, features
    )


def steps(plan: Plan) -> list[tuple[str, str]]:
    return [(action.kind, action.resource_id) for action in plan]


def changes(plan: Plan) -> list[tuple[str, str, str | None, int | None, int | None]]:
    return [(a.kind, a.resource_id, a.attribute, a.before, a.after) for a in plan]


def ids(resources: Iterable[Resource]) -> list[str]:
    return [r.id for r in resources]


def values(resources: Iterable[Resource], attribute: str) -> dict[str, object]:
    return {r.id: r.attributes.get(attribute) for r in resources if r.type == "waiting_room"}


class TestKeepMostChildren:
    """Rule 1: over the domain limit, the domains with the most waiting rooms are kept."""

    def three_domains(self) -> list[Resource]:
        # d1 has 4 rooms, d2 has 2, d3 has 1.
        return [
            a_domain("d1"),
            a_domain("d2"),
            a_domain("d3"),
            *(a_room(f"r{n}", "d1") for n in (1, 2, 3, 4)),
            a_room("r5", "d2"),
            a_room("r6", "d2"),
            a_room("r7", "d3"),
        ]

    def test_the_domain_with_the_fewest_rooms_is_removed_with_its_room(self) -> None:
        resources = self.three_domains()

        plan = run(resources, limits(domains=2))

        assert steps(plan) == [("remove", "d3"), ("remove", "r7")]
        assert {a.rule for a in plan} == {"keep_most_children"}
        assert plan[0].reason == (
            "the new domains limit is 2 (3 found): the 2 with the most waiting_room children"
            " are kept; d3 has 1"
        )
        assert plan[1].reason == "its parent domain d3 is removed"
        assert ids(apply(resources, plan)) == ["d1", "d2", "r1", "r2", "r3", "r4", "r5", "r6"]

    def test_a_limit_of_one_keeps_only_the_domain_with_most_rooms(self) -> None:
        plan = run(self.three_domains(), limits(domains=1))

        assert steps(plan) == [
            ("remove", "d3"),
            ("remove", "r7"),
            ("remove", "d2"),
            ("remove", "r5"),
            ("remove", "r6"),
        ]

    def test_between_domains_with_as_many_rooms_the_oldest_is_kept(self) -> None:
        resources = [
            a_domain("d-new", activated=5),
            a_domain("d-old", activated=2),
            a_room("r1", "d-new"),
            a_room("r2", "d-old"),
        ]

        assert steps(run(resources, limits(domains=1))) == [
            ("remove", "d-new"),
            ("remove", "r1"),
        ]

    def test_between_domains_as_old_and_as_full_the_smallest_id_is_kept(self) -> None:
        resources = [a_domain("b"), a_domain("a"), a_domain("c", activated=None)]

        assert steps(run(resources, limits(domains=1))) == [("remove", "c"), ("remove", "b")]

    def test_only_children_of_the_named_type_count(self) -> None:
        resources = [
            a_domain("d1"),
            a_domain("d2", activated=2),
            a_room("r1", "d2"),
            a("firewall_ip", "ip1", "d1"),
            a("firewall_ip", "ip2", "d1"),
        ]

        assert steps(run(resources, limits(domains=1))) == [
            ("remove", "d1"),
            ("remove", "ip1"),
            ("remove", "ip2"),
        ]

    def test_domains_within_the_limit_are_untouched(self) -> None:
        assert run(self.three_domains(), limits(domains=3)) == ()


class TestRemoveNewest:
    """Rule 2: over the waiting-room limit, the most recently activated rooms are cut."""

    def test_the_most_recently_activated_rooms_are_removed_newest_first(self) -> None:
        resources = [a_room(f"r{n}", activated=n) for n in (3, 1, 7, 5, 2, 6, 4)]

        plan = run(resources, limits(waiting_rooms=5))

        assert steps(plan) == [("remove", "r7"), ("remove", "r6")]
        assert plan[0].reason == (
            "the new waiting_rooms limit is 5 (7 found): the most recently activated are"
            " removed first"
        )
        assert ids(apply(resources, plan)) == ["r3", "r1", "r5", "r2", "r4"]

    def test_a_room_never_activated_counts_as_the_newest(self) -> None:
        resources = [a_room("r1", activated=1), a_room("r2", activated=None), a_room("r3")]

        assert steps(run(resources, limits(waiting_rooms=2))) == [("remove", "r2")]

    def test_rooms_activated_at_the_same_time_go_largest_id_first(self) -> None:
        resources = [a_room("r-a"), a_room("r-c"), a_room("r-b")]

        assert steps(run(resources, limits(waiting_rooms=1))) == [
            ("remove", "r-c"),
            ("remove", "r-b"),
        ]

    def test_a_removed_room_takes_its_priority_groups_and_templates_with_it(self) -> None:
        resources = [
            a_room("r1", activated=1),
            a_room("r2", activated=2),
            a("priority_group", "pg1", "r2"),
            a("custom_template", "t1", "r2"),
        ]

        plan = run(resources, limits(waiting_rooms=1))

        assert steps(plan) == [("remove", "r2"), ("remove", "pg1"), ("remove", "t1")]
        assert plan[1].reason == "its parent waiting_room r2 is removed"
        assert ids(apply(resources, plan)) == ["r1"]

    def test_rooms_are_counted_after_the_domains_are_trimmed(self) -> None:
        # d1 has rooms from days 1-4, d2 from days 5-6, d3 one from day 7. Domains limit 2 removes
        # d3 and its room; 6 rooms remain for a limit of 5, so the newest left (r6) goes.
        resources = [
            a_domain("d1"),
            a_domain("d2"),
            a_domain("d3"),
            *(a_room(f"r{n}", "d1", activated=n) for n in (1, 2, 3, 4)),
            a_room("r5", "d2", activated=5),
            a_room("r6", "d2", activated=6),
            a_room("r7", "d3", activated=7),
        ]

        plan = run(resources, limits(domains=2, waiting_rooms=5))

        assert steps(plan) == [("remove", "d3"), ("remove", "r7"), ("remove", "r6")]
        assert [a.rule for a in plan] == ["keep_most_children"] * 2 + ["remove_newest"]


class TestScaleProportionally:
    """Rule 3: capacities over the plan's total are reduced in proportion."""

    def test_capacities_over_the_total_are_scaled_in_proportion(self) -> None:
        resources = [
            a_room("r1", capacity=600),
            a_room("r2", capacity=300),
            a_room("r3", capacity=100),
        ]

        plan = run(resources, limits(capacity=500))

        assert changes(plan) == [
            ("scale", "r1", "capacity", 600, 300),
            ("scale", "r2", "capacity", 300, 150),
            ("scale", "r3", "capacity", 100, 50),
        ]
        assert plan[0].reason == (
            "capacity totals 1000, over the new capacity limit of 500: scaled down proportionally"
        )
        assert values(apply(resources, plan), "capacity") == {"r1": 300, "r2": 150, "r3": 50}

    def test_units_left_by_rounding_go_to_the_largest_remainders(self) -> None:
        # 5/3/2 of 7: exact 3.5, 2.1, 1.4 → floors 3, 2, 1 (6); the unit left goes to 3.5.
        resources = [
            a_room("r1", capacity=5),
            a_room("r2", capacity=3),
            a_room("r3", capacity=2),
        ]

        assert changes(run(resources, limits(capacity=7))) == [
            ("scale", "r1", "capacity", 5, 4),
            ("scale", "r2", "capacity", 3, 2),
            ("scale", "r3", "capacity", 2, 1),
        ]

    def test_equal_remainders_favour_the_oldest_rooms(self) -> None:
        # 100 each, 200 in all: exact 66.67 each → 66 × 3 = 198; the 2 units left go to the two
        # oldest rooms.
        resources = [
            a_room("r3", activated=3, capacity=100),
            a_room("r1", activated=1, capacity=100),
            a_room("r2", activated=2, capacity=100),
        ]

        after = values(apply(resources, run(resources, limits(capacity=200))), "capacity")

        assert after == {"r1": 67, "r2": 67, "r3": 66}

    def test_the_total_is_taken_after_the_rooms_are_trimmed(self) -> None:
        # r3 (newest) goes first; 800 + 400 = 1200 is then scaled to 600: 400 and 200.
        resources = [
            a_room("r1", activated=1, capacity=800),
            a_room("r2", activated=2, capacity=400),
            a_room("r3", activated=3, capacity=1000),
        ]

        plan = run(resources, limits(waiting_rooms=2, capacity=600))

        assert changes(plan) == [
            ("remove", "r3", None, None, None),
            ("scale", "r1", "capacity", 800, 400),
            ("scale", "r2", "capacity", 400, 200),
        ]

    def test_a_limit_of_zero_scales_every_capacity_to_zero(self) -> None:
        resources = [a_room("r1", capacity=10), a_room("r2", capacity=0)]

        assert changes(run(resources, limits(capacity=0))) == [
            ("scale", "r1", "capacity", 10, 0),
        ]

    def test_capacities_within_the_total_are_untouched(self) -> None:
        resources = [a_room("r1", capacity=300), a_room("r2", capacity=200)]

        assert run(resources, limits(capacity=500)) == ()


class TestCap:
    """Rule 4: entry rates over the new maximum are capped at it."""

    def test_entry_rates_over_the_maximum_are_capped_and_the_others_kept(self) -> None:
        resources = [a_room("r1", entry_rate=200), a_room("r2", entry_rate=50)]

        plan = run(resources, limits(entry_rate=100))

        assert changes(plan) == [("cap", "r1", "entry_rate", 200, 100)]
        assert plan[0].reason == "entry_rate 200 is over the new entry_rate limit of 100"
        assert values(apply(resources, plan), "entry_rate") == {"r1": 100, "r2": 50}

    def test_a_cap_comes_before_a_proportional_scaling_of_the_same_attribute(self) -> None:
        # Cap each at 100 (200 → 100), then scale the total 150 down to 120: 80 and 40.
        rules = (
            ReconciliationRule(
                "scale_proportionally", "waiting_room", limit="total", attribute="entry_rate"
            ),
            ReconciliationRule("cap", "waiting_room", limit="each", attribute="entry_rate"),
        )
        resources = [a_room("r1", entry_rate=200), a_room("r2", entry_rate=50)]

        plan = run(resources, {"total": 120, "each": 100}, rules=rules)

        assert changes(plan) == [
            ("cap", "r1", "entry_rate", 200, 100),
            ("scale", "r1", "entry_rate", 100, 80),
            ("scale", "r2", "entry_rate", 50, 40),
        ]

    def test_an_attribute_that_is_not_a_number_is_left_alone(self) -> None:
        resources = [
            Resource("r1", "waiting_room", None, {"entry_rate": "fast"}),
            Resource("r2", "waiting_room", None, {"entry_rate": None}),
            Resource("r3", "waiting_room", None, {}),
        ]

        assert run(resources, limits(entry_rate=1, capacity=0)) == ()


class TestRemoveWithoutFeature:
    """Rule 5: priority groups and firewall IPs go when the plan lacks the feature, for good."""

    def test_priority_groups_and_firewall_ips_are_removed_without_the_feature(self) -> None:
        resources = [
            a_room("r1"),
            a("priority_group", "pg1", "r1"),
            a("priority_group", "pg2", "r1"),
            a("firewall_ip", "ip1"),
        ]

        plan = run(resources, features=NO_FEATURE)

        assert steps(plan) == [("remove", "pg1"), ("remove", "pg2"), ("remove", "ip1")]
        assert plan[0].reason == (
            "feature priority_groups is not in the new edition; a later upgrade does not restore it"
        )
        assert ids(apply(resources, plan)) == ["r1"]

    def test_only_the_missing_feature_removes_its_content(self) -> None:
        resources = [a("priority_group", "pg1"), a("firewall_ip", "ip1")]

        plan = run(resources, features=frozenset({"priority_groups"}))

        assert steps(plan) == [("remove", "ip1")]

    def test_a_later_upgrade_does_not_restore_them(self) -> None:
        resources = [a("priority_group", "pg1"), a("firewall_ip", "ip1")]
        after = apply(resources, run(resources, features=NO_FEATURE))

        assert after == ()
        assert reattach(after, RULES, EVERY_FEATURE) == ()
        assert run(after, features=EVERY_FEATURE) == ()


class TestDetachWithoutFeature:
    """Rule 6: custom templates are detached without the feature and re-attached on upgrade."""

    def resources(self) -> list[Resource]:
        return [
            a_room("r1"),
            a("custom_template", "t1", "r1"),
            a("custom_template", "t2", "r1"),
        ]

    def test_custom_templates_are_detached_not_removed(self) -> None:
        resources = self.resources()

        plan = run(resources, features=NO_FEATURE)

        assert steps(plan) == [("detach", "t1"), ("detach", "t2")]
        assert plan[0].reason == (
            "feature custom_templates is not in the new edition; a later upgrade re-attaches it"
        )
        after = apply(resources, plan)
        assert ids(after) == ["r1", "t1", "t2"]
        assert [r.detached for r in after] == [False, True, True]

    def test_an_upgrade_with_the_feature_reattaches_them(self) -> None:
        downgraded = apply(self.resources(), run(self.resources(), features=NO_FEATURE))

        plan = reattach(downgraded, RULES, EVERY_FEATURE)

        assert steps(plan) == [("reattach", "t1"), ("reattach", "t2")]
        assert plan[0].reason == "feature custom_templates is in the new edition again"
        assert apply(downgraded, plan) == tuple(self.resources())

    def test_an_upgrade_without_the_feature_leaves_them_detached(self) -> None:
        downgraded = apply(self.resources(), run(self.resources(), features=NO_FEATURE))

        assert reattach(downgraded, RULES, frozenset({"firewall"})) == ()

    def test_templates_already_detached_are_not_detached_again(self) -> None:
        resources = [a("custom_template", "t1", detached=True), a("custom_template", "t2")]

        assert steps(run(resources, features=NO_FEATURE)) == [("detach", "t2")]

    def test_reconcile_reattaches_too_when_the_feature_is_back(self) -> None:
        resources = [a("custom_template", "t1", detached=True)]

        assert steps(run(resources, features=EVERY_FEATURE)) == [("reattach", "t1")]


class TestKeep:
    """Rule 7: leave as is."""

    def test_a_keep_rule_leaves_excess_content_as_it_is(self) -> None:
        rules = (
            ReconciliationRule("keep", "domain", limit="domains"),
            ReconciliationRule("keep", "firewall_ip", feature="firewall"),
        )
        resources = [a_domain("d1"), a_domain("d2"), a("firewall_ip", "ip1")]

        assert run(resources, limits(domains=0), NO_FEATURE, rules) == ()


class TestNothingToDo:
    def account(self) -> list[Resource]:
        return [
            a_domain("d1"),
            a_room("r1", "d1", capacity=300, entry_rate=50),
            a_room("r2", "d1", activated=2, capacity=200, entry_rate=100),
            a("priority_group", "pg1", "r1"),
            a("firewall_ip", "ip1"),
            a("custom_template", "t1", "r2"),
        ]

    def test_content_within_the_new_limits_is_left_alone(self) -> None:
        new = limits(domains=1, waiting_rooms=2, capacity=500, entry_rate=100)

        assert run(self.account(), new, EVERY_FEATURE) == ()

    def test_unlimited_limits_never_remove_or_scale(self) -> None:
        assert run(self.account(), limits(), EVERY_FEATURE) == ()

    def test_no_rules_means_no_actions(self) -> None:
        assert run(self.account(), limits(domains=0), NO_FEATURE, rules=()) == ()

    def test_a_limit_the_new_edition_does_not_name_is_zero(self) -> None:
        rules = (ReconciliationRule("remove_newest", "domain", limit="domains"),)

        assert steps(run([a_domain("d1")], {}, rules=rules)) == [("remove", "d1")]

    def test_types_no_rule_names_are_left_alone(self) -> None:
        resources = [a_domain("d1"), a("report", "x1", "d0"), a("report", "x2")]

        assert run(resources, limits(domains=1, capacity=0), NO_FEATURE) == ()


class TestSeedExample:
    """An Enterprise account downgraded to Standard (2 domains, 5 rooms, capacity 5000, entry rate
    200, no priority groups, no firewall, no custom templates), then upgraded back."""

    def account(self) -> list[Resource]:
        return [
            a_domain("shop", activated=1),
            a_domain("tickets", activated=2),
            a_domain("blog", activated=3),
            a_room("r1", "shop", activated=1, capacity=3000, entry_rate=500),
            a_room("r2", "shop", activated=2, capacity=2000, entry_rate=100),
            a_room("r3", "shop", activated=10, capacity=1000, entry_rate=300),
            a_room("r4", "tickets", activated=3, capacity=2000, entry_rate=150),
            a_room("r5", "tickets", activated=20, capacity=1000, entry_rate=250),
            a_room("r7", "tickets", activated=30, capacity=500, entry_rate=80),
            a_room("r6", "blog", activated=4, capacity=1000, entry_rate=50),
            a("priority_group", "pg1", "r1"),
            a("priority_group", "pg2", "r6"),
            a("firewall_ip", "fw1"),
            a("firewall_ip", "fw2"),
            a("custom_template", "t1", "r2"),
        ]

    def standard(self) -> dict[str, int | None]:
        return {"domains": 2, "waiting_rooms": 5, "capacity": 5000, "entry_rate": 200}

    def test_downgrade_applies_all_seven_rules_in_order(self) -> None:
        plan = run(self.account(), self.standard(), NO_FEATURE)

        # 1. shop and tickets have 3 rooms each, blog 1: blog goes, with r6 and r6's pg2.
        # 2. six rooms for five: the newest, r7 (day 30), goes.
        # 5. priority groups and firewall IPs go. 6. t1 is detached.
        # 4. entry rates over 200 are capped: r1 500, r3 300, r5 250.
        # 3. capacities 3000 + 2000 + 1000 + 2000 + 1000 = 9000 → 5000: exact 1666.67, 1111.11,
        #    555.56, 1111.11, 555.56 → floors sum 4998; the 2 units go to r1 (.67) and r3 (.56,
        #    older than r5).
        assert changes(plan) == [
            ("remove", "blog", None, None, None),
            ("remove", "r6", None, None, None),
            ("remove", "pg2", None, None, None),
            ("remove", "r7", None, None, None),
            ("remove", "pg1", None, None, None),
            ("remove", "fw1", None, None, None),
            ("remove", "fw2", None, None, None),
            ("detach", "t1", None, None, None),
            ("cap", "r1", "entry_rate", 500, 200),
            ("cap", "r3", "entry_rate", 300, 200),
            ("cap", "r5", "entry_rate", 250, 200),
            ("scale", "r1", "capacity", 3000, 1667),
            ("scale", "r2", "capacity", 2000, 1111),
            ("scale", "r4", "capacity", 2000, 1111),
            ("scale", "r3", "capacity", 1000, 556),
            ("scale", "r5", "capacity", 1000, 555),
        ]

    def test_after_the_downgrade_the_content_fits_and_a_second_pass_does_nothing(self) -> None:
        after = apply(self.account(), run(self.account(), self.standard(), NO_FEATURE))

        assert ids(after) == ["shop", "tickets", "r1", "r2", "r3", "r4", "r5", "t1"]
        assert values(after, "capacity") == {
            "r1": 1667,
            "r2": 1111,
            "r3": 556,
            "r4": 1111,
            "r5": 555,
        }
        assert values(after, "entry_rate") == {
            "r1": 200,
            "r2": 100,
            "r3": 200,
            "r4": 150,
            "r5": 200,
        }
        assert run(after, self.standard(), NO_FEATURE) == ()

    def test_upgrading_back_reattaches_templates_but_restores_nothing_removed(self) -> None:
        after = apply(self.account(), run(self.account(), self.standard(), NO_FEATURE))

        plan = reattach(after, RULES, EVERY_FEATURE)

        assert steps(plan) == [("reattach", "t1")]
        upgraded = apply(after, plan)
        assert ids(upgraded) == ids(after)
        assert not any(r.detached for r in upgraded)


class TestApplyAndPlan:
    def test_applying_a_plan_twice_is_the_same_as_once(self) -> None:
        resources = TestSeedExample().account()
        plan = run(resources, TestSeedExample().standard(), NO_FEATURE)

        once = apply(resources, plan)

        assert apply(once, plan) == once

    def test_removing_a_resource_removes_its_descendants(self) -> None:
        resources = [a_domain("d1"), a_room("r1", "d1"), a("priority_group", "pg1", "r1")]
        remove_d1 = Action("remove", "d1", "domain", rule="keep_most_children", reason="")

        assert apply(resources, [remove_d1]) == ()

    def test_actions_on_unknown_resources_are_skipped(self) -> None:
        resources = (a_domain("d1"),)
        gone = Action("remove", "d9", "domain", rule="remove_newest", reason="")

        assert apply(resources, [gone]) == resources

    def test_the_plan_does_not_depend_on_the_order_resources_are_given_in(self) -> None:
        resources = TestSeedExample().account()
        standard = TestSeedExample().standard()

        assert run(reversed(resources), standard, NO_FEATURE) == run(
            resources, standard, NO_FEATURE
        )

    def test_a_resource_given_twice_is_refused(self) -> None:
        with pytest.raises(Invalid) as caught:
            run([a_domain("d1"), a_domain("d1")])

        assert caught.value.code == "duplicate_resource"

    def test_a_parent_cycle_does_not_loop(self) -> None:
        resources = [a("folder", "x", "y"), a("folder", "y", "x")]
        rules = (ReconciliationRule("remove_newest", "folder", limit="folders"),)

        plan = run(resources, {"folders": 1}, rules=rules)

        assert steps(plan) == [("remove", "y"), ("remove", "x")]

    def test_an_action_as_a_webhook_payload(self) -> None:
        cap = Action("cap", "r1", "waiting_room", "entry_rate", 200, 100, rule="cap", reason="…")
        remove = Action("remove", "d3", "domain", rule="keep_most_children", reason="…")

        assert cap.as_dict() == {
            "kind": "cap",
            "resource_id": "r1",
            "type": "waiting_room",
            "attribute": "entry_rate",
            "before": 200,
            "after": 100,
            "rule": "cap",
            "reason": "…",
        }
        assert remove.as_dict() == {
            "kind": "remove",
            "resource_id": "d3",
            "type": "domain",
            "rule": "keep_most_children",
            "reason": "…",
        }


class TestRules:
    @pytest.mark.parametrize(
        "fields",
        [
            {"rule": "cap", "resource": "x", "limit": "l"},
            {"rule": "cap", "resource": "x", "feature": "f", "attribute": "a"},
            {"rule": "remove_newest", "resource": "x", "limit": "l", "attribute": "a"},
            {"rule": "keep_most_children", "resource": "x", "limit": "l"},
            {"rule": "remove_without_feature", "resource": "x"},
            {"rule": "keep", "resource": "x"},
            {"rule": "keep", "resource": "x", "limit": "l", "feature": "f"},
        ],
    )
    def test_a_rule_without_what_it_needs_cannot_be_built(self, fields: dict[str, str]) -> None:
        with pytest.raises(ValueError):
            ReconciliationRule(**fields)  # type: ignore[arg-type]
