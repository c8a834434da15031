"""Counting what an account uses (seed 000's rules) and checking an action against its limits,
with what would allow a refused one. The catalog is HAP's (examples/hap/catalog.yaml), in short:

    free          rank 0, 10 seats fixed, 0 external users, 1,000 workflow executions
    standard      rank 1, 10–10,000 seats, 100 external users, 10,000 workflow executions
    professional  rank 2, 10–10,000 seats, 100 external users, 50,000 workflow executions
    enterprise    rank 3, 50+ seats,       100 external users, 200,000 workflow executions
    external-users pack: +100 external users, 30.00 a month
    workflow-executions pack: +10,000 executions, 15.00 a month
    (here also) workflow-executions-50k pack: +50,000 executions, 60.00 a month
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from builders import a_catalog, a_free_edition, a_plan, an_addon, an_edition, per_unit
from hypothesis import given, settings
from hypothesis import strategies as st

from tierline.domain.catalog import Catalog, Edition, QuantityRange, ReconciliationRule
from tierline.domain.entitlement_checks import Decision, Suggestion, check, suggest
from tierline.domain.errors import Invalid
from tierline.domain.plan import Plan
from tierline.domain.reconciliation import Resource
from tierline.domain.usage import (
    SEATS,
    STANDING,
    Member,
    ResourceMeasure,
    account_limits,
    count_members,
    known_limit,
    measure_resources,
    members_added,
    period_key,
    resource_measure,
)

PERIOD_START = datetime(2026, 1, 31, 10, tzinfo=UTC)


def hap() -> Catalog:
    def edition(code: str, rank: int, workflows: int, seats: QuantityRange) -> Edition:
        limits = {"external_users": 100, "workflow_executions": workflows, "applications": 50}
        return an_edition(code, rank=rank, quantity=seats, limits=limits)

    return a_catalog(
        editions=(
            a_free_edition(
                "free",
                limits={"external_users": 0, "workflow_executions": 1000, "applications": 3},
            ),
            edition("standard", 1, 10000, QuantityRange(10, 10000, 10)),
            edition("professional", 2, 50000, QuantityRange(10, 10000, 10)),
            edition("enterprise", 3, 200000, QuantityRange(50, None, 50)),
        ),
        addons=(
            an_addon("external-users", prices=(per_unit("30.00"),)),
            an_addon(
                "workflow-executions",
                name="Workflow executions +10,000",
                grants={"workflow_executions": 10000},
                prices=(per_unit("15.00"),),
            ),
            an_addon(
                "workflow-executions-50k",
                name="Workflow executions +50,000",
                grants={"workflow_executions": 50000},
                prices=(per_unit("60.00"),),
            ),
        ),
        quotas=("workflow_executions",),
    )


def a_member(person: str, application: str = "crm", status: str = "normal", **kw: str) -> Member:
    return Member("acc_1", person, application, status, **kw)


class TestCountingMembers:
    @pytest.mark.parametrize(
        "status", ["pending_approval", "pending_activation", "deactivated", "logged_off"]
    )
    def test_only_normal_members_count(self, status: str) -> None:
        members = [a_member("ann"), a_member("bob", status=status)]

        assert count_members(members) == 1

    def test_one_person_in_two_applications_counts_twice(self) -> None:
        members = [a_member("ann", "crm"), a_member("ann", "hr"), a_member("bob", "crm")]

        assert count_members(members) == 3

    def test_the_same_person_and_application_reported_twice_counts_once(self) -> None:
        assert count_members([a_member("ann", "crm"), a_member("ann", "crm")]) == 1

    def test_a_member_counts_only_toward_its_own_limit(self) -> None:
        members = [a_member("ann"), a_member("guest", counts_toward="external_users")]

        assert count_members(members, SEATS) == 1
        assert count_members(members, "external_users") == 1

    def test_a_new_normal_member_adds_one(self) -> None:
        assert members_added(None, a_member("ann")) == 1

    def test_activating_a_pending_member_adds_one(self) -> None:
        assert members_added(a_member("ann", status="pending_activation"), a_member("ann")) == 1

    def test_reporting_a_normal_member_again_adds_none(self) -> None:
        assert members_added(a_member("ann"), a_member("ann")) == 0

    def test_a_member_that_is_not_normal_adds_none(self) -> None:
        assert members_added(None, a_member("ann", status="pending_approval")) == 0
        assert members_added(a_member("ann"), a_member("ann", status="deactivated")) == 0

    def test_moving_a_normal_member_to_another_limit_adds_one_there(self) -> None:
        guest = a_member("ann", counts_toward="external_users")

        assert members_added(a_member("ann"), guest) == 1


class TestWhatIsUsed:
    def test_the_seats_are_the_quantity_bought_next_to_the_plans_limits(self) -> None:
        limits = account_limits(
            hap(), a_plan("standard", quantity=25, addons={"external-users": 2})
        )

        assert limits[SEATS] == 25
        assert limits["external_users"] == 300
        assert limits["workflow_executions"] == 10000

    def test_a_quota_is_counted_per_period_and_any_other_limit_in_total(self) -> None:
        assert period_key(hap(), "workflow_executions", PERIOD_START) == PERIOD_START
        assert period_key(hap(), "applications", PERIOD_START) == STANDING

    def test_the_seats_and_every_limit_of_an_edition_or_pack_are_known(self) -> None:
        catalog = hap()

        assert [known_limit(catalog, n) for n in (SEATS, "applications", "storage")] == [
            True,
            True,
            False,
        ]

    def test_a_count_rule_measures_a_limit_by_the_number_of_resources_of_its_type(self) -> None:
        catalog = a_catalog(
            reconciliation=(
                ReconciliationRule("remove_newest", "waiting_room", limit="waiting_rooms"),
                ReconciliationRule(
                    "scale_proportionally", "waiting_room", limit="capacity", attribute="capacity"
                ),
                ReconciliationRule(
                    "cap", "waiting_room", limit="entry_rate", attribute="entry_rate"
                ),
            )
        )
        rooms = [
            Resource("r1", "waiting_room", attributes={"capacity": 300}),
            Resource("r2", "waiting_room", attributes={"capacity": 200, "entry_rate": 50}),
            Resource("d1", "domain"),
        ]

        count = resource_measure(catalog, "waiting_rooms")
        total = resource_measure(catalog, "capacity")

        assert count == ResourceMeasure("waiting_room")
        assert total == ResourceMeasure("waiting_room", "capacity")
        assert (measure_resources(count, rooms), measure_resources(total, rooms)) == (2, 500)
        assert resource_measure(catalog, "entry_rate") is None  # a maximum per room, not a total


class TestCheck:
    def test_an_action_within_the_limit_is_allowed_with_what_remains(self) -> None:
        decision = check("external_users", 1, {"external_users": 98}, {"external_users": 100})

        assert decision == Decision("external_users", 1, True, 98, 100, 2)

    def test_an_action_that_reaches_the_limit_exactly_is_allowed(self) -> None:
        decision = check("external_users", 2, {"external_users": 98}, {"external_users": 100})

        assert (decision.allowed, decision.remaining) == (True, 2)

    def test_an_action_over_the_limit_is_refused(self) -> None:
        decision = check("external_users", 3, {"external_users": 98}, {"external_users": 100})

        assert (decision.allowed, decision.used, decision.limit) == (False, 98, 100)

    def test_an_unlimited_limit_allows_anything(self) -> None:
        decision = check("applications", 10**6, {"applications": 500}, {"applications": None})

        assert decision == Decision("applications", 10**6, True, 500, None, None)

    def test_a_limit_the_plan_does_not_name_is_zero(self) -> None:
        decision = check("external_users", 1, {}, {})

        assert (decision.allowed, decision.limit, decision.remaining) == (False, 0, 0)

    def test_an_account_already_over_its_limit_has_nothing_remaining(self) -> None:
        decision = check("external_users", 0, {"external_users": 120}, {"external_users": 100})

        assert (decision.allowed, decision.remaining) == (False, 0)

    def test_a_negative_amount_is_invalid(self) -> None:
        with pytest.raises(Invalid) as refused:
            check("external_users", -1, {}, {"external_users": 100})

        assert refused.value.param == "amount"

    def test_a_refusal_without_the_catalog_has_no_suggestion(self) -> None:
        decision = check("external_users", 1, {"external_users": 100}, {"external_users": 100})

        assert decision.suggestion is None


def refused(
    name: str, used: int, edition: str = "standard", *, amount: int = 1, **plan: object
) -> Suggestion | None:
    """The suggestion of a refused check of `amount` more of `name` on a HAP plan."""
    catalog = hap()
    the_plan = a_plan(edition, **plan)  # type: ignore[arg-type]
    decision = check(
        name, amount, {name: used}, account_limits(catalog, the_plan), catalog=catalog,
        plan=the_plan,
    )  # fmt: skip
    assert not decision.allowed
    return decision.suggestion


class TestSuggestion:
    def test_a_seat_beyond_the_quantity_suggests_expanding_the_same_edition(self) -> None:
        suggestion = refused(SEATS, 10, quantity=10)

        assert suggestion == Suggestion("quantity", "standard", "Standard", 11)
        assert suggestion.change() == {"quantity": 11}

    def test_a_seat_beyond_the_free_editions_ten_suggests_the_lowest_paid_edition(self) -> None:
        suggestion = refused(SEATS, 10, "free", quantity=10)

        assert suggestion == Suggestion("edition", "standard", "Standard", 11)
        assert suggestion.change() == {"edition": "standard", "quantity": 11}

    def test_seats_beyond_the_editions_maximum_suggest_the_lowest_edition_taking_them(
        self,
    ) -> None:
        # Standard and Professional take at most 10,000 seats; Enterprise has no maximum.
        suggestion = refused(SEATS, 10000, quantity=10000)

        assert suggestion == Suggestion("edition", "enterprise", "Enterprise", 10001)

    def test_an_edition_suggested_for_seats_is_bought_at_least_at_its_minimum(self) -> None:
        catalog = hap()
        free, enterprise = catalog.editions[0], catalog.editions[3]
        catalog = replace(catalog, editions=(free, enterprise))

        suggestion = suggest(catalog, a_plan("free", quantity=10), SEATS, 11)

        assert suggestion == Suggestion("edition", "enterprise", "Enterprise", 50)

    def test_an_external_user_beyond_the_included_100_suggests_one_pack(self) -> None:
        suggestion = refused("external_users", 100)

        assert suggestion == Suggestion("addon", "external-users", "External user pack", 1)
        assert suggestion.change() == {"addons": {"external-users": 1}}

    def test_a_pack_suggestion_counts_the_packs_already_held(self) -> None:
        suggestion = refused("external_users", 200, addons={"external-users": 1})

        assert suggestion is not None
        assert (suggestion.code, suggestion.quantity) == ("external-users", 2)

    def test_the_packs_suggested_cover_the_whole_gap(self) -> None:
        suggestion = refused("external_users", 100, amount=250)

        assert suggestion is not None
        assert (suggestion.code, suggestion.quantity) == ("external-users", 3)

    def test_the_cheapest_pack_for_the_gap_is_suggested(self) -> None:
        # 15,000 more: two 10k packs cost 30.00, one 50k pack 60.00.
        small_gap = refused("workflow_executions", 10000, amount=15000)
        # 45,000 more: five 10k packs cost 75.00, one 50k pack 60.00.
        large_gap = refused("workflow_executions", 10000, amount=45000)

        assert small_gap == Suggestion(
            "addon", "workflow-executions", "Workflow executions +10,000", 2
        )
        assert large_gap == Suggestion(
            "addon", "workflow-executions-50k", "Workflow executions +50,000", 1
        )

    def test_a_pack_not_sold_on_the_free_edition_gives_way_to_the_lowest_edition(self) -> None:
        suggestion = refused("external_users", 0, "free", quantity=10)

        assert suggestion == Suggestion("edition", "standard", "Standard")
        assert suggestion.change() == {"edition": "standard"}

    def test_no_pack_is_suggested_during_a_trial(self) -> None:
        catalog = hap()
        plan = a_plan("standard")

        suggestion = suggest(catalog, plan, "workflow_executions", 10001, trialing=True)

        assert suggestion == Suggestion("edition", "professional", "Professional")

    def test_the_lowest_edition_whose_limit_covers_the_total_is_suggested(self) -> None:
        catalog = hap()
        plan = a_plan("free", quantity=10)

        # 60,000 executions: professional has 50,000, enterprise 200,000.
        assert suggest(catalog, plan, "workflow_executions", 60000) == Suggestion(
            "edition", "enterprise", "Enterprise"
        )

    def test_nothing_is_suggested_when_no_pack_or_edition_allows_it(self) -> None:
        assert refused("applications", 50, "enterprise", quantity=50) is None


def carried_out(plan: Plan, suggestion: Suggestion) -> Plan:
    change = suggestion.change()
    return plan.with_changes(
        edition=change.get("edition"),  # type: ignore[arg-type]
        quantity=change.get("quantity"),  # type: ignore[arg-type]
        addons=change.get("addons"),  # type: ignore[arg-type]
    )


class TestProperties:
    @settings(max_examples=300, deadline=None)
    @given(
        name=st.sampled_from([SEATS, "external_users", "workflow_executions", "applications"]),
        edition=st.sampled_from(["free", "standard", "professional", "enterprise"]),
        packs=st.integers(0, 3),
        used=st.integers(0, 300_000),
        amount=st.integers(0, 300_000),
        trialing=st.booleans(),
    )
    def test_a_suggestion_carried_out_allows_what_was_refused(
        self, name: str, edition: str, packs: int, used: int, amount: int, trialing: bool
    ) -> None:
        catalog = hap()
        found = catalog.edition(edition)
        assert found is not None
        addons = {} if found.free else {"external-users": packs}
        plan = a_plan(edition, quantity=found.quantity.default, addons=addons)

        decision = check(
            name, amount, {name: used}, account_limits(catalog, plan), catalog=catalog,
            plan=plan, trialing=trialing,
        )  # fmt: skip

        assert decision.remaining is None or decision.remaining >= 0
        assert decision.allowed == (decision.limit is None or used + amount <= decision.limit)
        if decision.suggestion is not None:
            assert not decision.allowed
            assert not (trialing and decision.suggestion.kind == "addon")
            after = carried_out(plan, decision.suggestion)
            assert check(name, amount, {name: used}, account_limits(catalog, after)).allowed
