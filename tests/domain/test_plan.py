from __future__ import annotations

import pytest
from builders import PAID_TO_FREE_MESSAGE, a_catalog, a_plan, an_addon, an_edition, per_unit

from tierline.domain.errors import (
    Invalid,
    NotAvailableOnEdition,
    QuantityOutOfRange,
    TierlineError,
    TransitionNotAllowed,
)
from tierline.domain.plan import Plan, check_transition, resolve


def refusal(plan: Plan, *, trialing: bool = False) -> TierlineError:
    with pytest.raises(TierlineError) as caught:
        resolve(a_catalog(), plan, trialing=trialing)
    return caught.value


class TestResolve:
    def test_a_valid_plan_resolves_to_its_catalog_objects(self) -> None:
        resolved = resolve(a_catalog(), a_plan("basic", "year", 5, {"external-users": 2}))
        assert resolved.edition.code == "basic"
        assert resolved.cycle.code == "year"
        assert [(a.code, n) for a, n in resolved.addons] == [("external-users", 2)]

    def test_an_unknown_edition_is_refused(self) -> None:
        error = refusal(a_plan("gold"))
        assert (type(error), error.code, error.param) == (Invalid, "unknown_edition", "edition")

    def test_an_unknown_cycle_is_refused(self) -> None:
        error = refusal(a_plan(cycle="fortnight"))
        assert (type(error), error.code, error.param) == (Invalid, "unknown_cycle", "cycle")

    def test_an_edition_without_a_price_for_the_cycle_is_refused(self) -> None:
        catalog = a_catalog(editions=(an_edition("yearly", prices=(per_unit("24.00", "year"),)),))
        with pytest.raises(Invalid) as caught:
            resolve(catalog, a_plan("yearly", "month"))
        assert (caught.value.code, caught.value.param) == ("no_price_for_cycle", "cycle")

    def test_an_addon_without_a_price_for_the_cycle_is_refused(self) -> None:
        catalog = a_catalog(addons=(an_addon("pack", prices=(per_unit("90.00", "year"),)),))
        with pytest.raises(Invalid) as caught:
            resolve(catalog, a_plan(addons={"pack": 1}))
        assert (caught.value.code, caught.value.param) == ("no_price_for_cycle", "addons.pack")

    def test_the_free_edition_is_fixed_at_ten_seats(self) -> None:
        error = refusal(a_plan("free", quantity=11))
        assert isinstance(error, QuantityOutOfRange)
        assert (error.code, error.param) == ("quantity_out_of_range", "quantity")
        assert "at most 10" in error.message

    def test_the_free_edition_at_ten_seats_resolves(self) -> None:
        assert resolve(a_catalog(), a_plan("free", quantity=10)).edition.free

    def test_a_quantity_below_the_minimum_is_refused(self) -> None:
        assert refusal(a_plan("basic", quantity=0)).code == "quantity_out_of_range"

    def test_an_unknown_addon_is_refused(self) -> None:
        error = refusal(a_plan(addons={"sms-pack": 1}))
        assert (type(error), error.code, error.param) == (
            Invalid,
            "unknown_addon",
            "addons.sms-pack",
        )

    def test_a_negative_addon_quantity_is_refused(self) -> None:
        assert refusal(a_plan(addons={"external-users": -1})).code == "quantity_out_of_range"

    def test_an_addon_is_not_available_on_the_free_edition(self) -> None:
        error = refusal(a_plan("free", addons={"external-users": 1}))
        assert isinstance(error, NotAvailableOnEdition)
        assert (error.code, error.param) == ("not_available_on_edition", "addons.external-users")

    def test_an_addon_is_not_available_during_a_trial(self) -> None:
        error = refusal(a_plan("pro", addons={"external-users": 1}), trialing=True)
        assert error.code == "not_available_on_edition"
        assert "during a trial" in error.message

    def test_an_addon_limited_to_some_editions_is_refused_on_others(self) -> None:
        catalog = a_catalog(addons=(an_addon("pack", available_on=frozenset({"pro"})),))
        with pytest.raises(NotAvailableOnEdition):
            resolve(catalog, a_plan("basic", addons={"pack": 1}))
        assert resolve(catalog, a_plan("pro", addons={"pack": 1})).addons

    def test_a_zero_addon_quantity_is_no_addon(self) -> None:
        assert a_plan(addons={"external-users": 0}).addons == {}


class TestTransitions:
    def test_paid_to_free_is_refused_with_the_catalog_message(self) -> None:
        with pytest.raises(TransitionNotAllowed) as caught:
            check_transition(a_catalog(), "pro", "free")
        error = caught.value
        assert (error.code, error.message, error.param) == (
            "transition_not_allowed",
            PAID_TO_FREE_MESSAGE,
            "edition",
        )

    def test_free_to_paid_is_allowed(self) -> None:
        check_transition(a_catalog(), "free", "pro")

    def test_staying_on_the_same_edition_is_always_allowed(self) -> None:
        check_transition(a_catalog(), "free", "free")


class TestPlanChanges:
    def test_with_changes_keeps_what_is_not_named_and_merges_addons(self) -> None:
        plan = a_plan("basic", "month", 5, {"external-users": 1})
        changed = plan.with_changes(quantity=8, addons={"workflows": 2})
        assert changed == a_plan("basic", "month", 8, {"external-users": 1, "workflows": 2})

    def test_with_changes_removes_an_addon_set_to_zero(self) -> None:
        plan = a_plan(addons={"external-users": 1})
        assert plan.with_changes(addons={"external-users": 0}).addons == {}

    def test_equal_plans_hash_alike_whatever_the_addon_order(self) -> None:
        a = a_plan(addons={"workflows": 1, "external-users": 2})
        b = a_plan(addons={"external-users": 2, "workflows": 1})
        assert a == b and hash(a) == hash(b)
