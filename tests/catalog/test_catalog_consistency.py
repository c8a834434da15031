from __future__ import annotations

import copy
from typing import Any

import pytest

from tierline.catalog import CatalogError, parse_catalog


def a_catalog(**overrides: Any) -> dict[str, Any]:
    """A valid catalog: month and year cycles, a free and two paid editions."""
    data: dict[str, Any] = {
        "currency": "EUR",
        "quantity_unit": "seat",
        "cycles": [{"code": "month", "months": 1}, {"code": "year", "months": 12}],
        "editions": [
            {"code": "free", "rank": 0, "free": True},
            {"code": "pro", "rank": 1, "prices": [{"cycle": "month", "per_unit": "5.00"}]},
            {"code": "max", "rank": 2, "prices": [{"cycle": "month", "flat": "99.00"}]},
        ],
    }
    data.update(copy.deepcopy(overrides))
    return data


def with_pro(**fields: Any) -> dict[str, Any]:
    data = a_catalog()
    data["editions"][1].update(fields)
    return data


def with_tiers(*tiers: dict[str, Any], **price: Any) -> dict[str, Any]:
    return with_pro(prices=[{"cycle": "month", "tiers": list(tiers), **price}])


def issues(data: Any) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    return [str(issue) for issue in caught.value.issues]


class TestCodesAndCycles:
    def test_the_base_catalog_is_valid(self) -> None:
        assert len(parse_catalog(a_catalog()).editions) == 3

    def test_duplicate_codes_are_reported_on_the_repeated_one(self) -> None:
        data = a_catalog()
        data["editions"][2]["code"] = "pro"
        data["cycles"][1]["code"] = "month"

        assert issues(data) == [
            "cycles[1].code: duplicate code 'month' (already cycles[0])",
            "editions[2].code: duplicate code 'pro' (already editions[1])",
        ]

    @pytest.mark.parametrize("length", [{}, {"months": 1, "days": 30}])
    def test_a_cycle_has_exactly_one_of_months_or_days(self, length: dict[str, int]) -> None:
        data = a_catalog(cycles=[{"code": "month", **length}])

        assert issues(data) == ["cycles[0]: must have exactly one of months or days"]

    def test_cycle_length_must_be_positive(self) -> None:
        data = a_catalog(cycles=[{"code": "month", "days": 0}])

        assert issues(data) == ["cycles[0].days: must be greater than 0"]

    def test_empty_code_is_refused(self) -> None:
        assert issues(with_pro(code=" ")) == ["editions[1].code: must not be empty"]


class TestPrices:
    def test_price_naming_unknown_cycle_is_reported_with_path(self) -> None:
        data = with_pro(prices=[{"cycle": "week", "per_unit": "1.00"}])

        assert issues(data) == ["editions[1].prices[0].cycle: unknown cycle 'week'"]

    def test_the_same_cycle_cannot_be_priced_twice(self) -> None:
        price = {"cycle": "month", "per_unit": "1.00"}

        assert issues(with_pro(prices=[price, price])) == [
            "editions[1].prices[1].cycle: cycle 'month' already has a price (editions[1].prices[0])"
        ]

    @pytest.mark.parametrize(
        "price",
        [
            {"cycle": "month"},
            {"cycle": "month", "per_unit": "1.00", "flat": "1.00"},
            {"cycle": "month", "flat": "1.00", "tiers": [{"per_unit": "1.00"}]},
        ],
    )
    def test_a_price_has_exactly_one_of_per_unit_flat_or_tiers(self, price: dict[str, Any]) -> None:
        assert issues(with_pro(prices=[price])) == [
            "editions[1].prices[0]: must have exactly one of per_unit, flat or tiers"
        ]

    def test_tiers_mode_only_applies_to_tiers(self) -> None:
        data = with_pro(prices=[{"cycle": "month", "per_unit": "1.00", "tiers_mode": "volume"}])

        assert issues(data) == [
            "editions[1].prices[0].tiers_mode: only applies to a price with tiers"
        ]

    def test_tiers_default_to_volume_mode(self) -> None:
        data = with_tiers({"up_to": 10, "flat": "10.00"}, {"up_to": None, "per_unit": "0.90"})

        price = parse_catalog(data).editions[1].prices[0]

        assert price.tiers_mode == "volume"

    def test_tier_bounds_must_increase(self) -> None:
        data = with_tiers(
            {"up_to": 100, "per_unit": "1.00"},
            {"up_to": 100, "per_unit": "0.90"},
            {"up_to": None, "per_unit": "0.80"},
        )

        assert issues(data) == [
            "editions[1].prices[0].tiers[1].up_to: must be greater than the previous up_to (100)"
        ]

    def test_a_bounded_last_tier_is_reported_with_any_decrease(self) -> None:
        data = with_tiers({"up_to": 100, "per_unit": "1.00"}, {"up_to": 50, "per_unit": "0.90"})

        assert issues(data) == [
            "editions[1].prices[0].tiers[1].up_to: the last tier must be unbounded (null)",
            "editions[1].prices[0].tiers[1].up_to: must be greater than the previous up_to (100)",
        ]

    def test_only_the_last_tier_is_unbounded(self) -> None:
        data = with_tiers({"up_to": None, "per_unit": "1.00"}, {"up_to": 10, "per_unit": "0.90"})

        assert issues(data) == [
            "editions[1].prices[0].tiers[0].up_to: only the last tier may be unbounded (null)",
            "editions[1].prices[0].tiers[1].up_to: the last tier must be unbounded (null)",
        ]

    def test_a_tier_needs_an_amount(self) -> None:
        data = with_tiers({"up_to": None}, tiers_mode="graduated")

        assert issues(data) == ["editions[1].prices[0].tiers[0]: must have flat and/or per_unit"]

    def test_tiers_must_not_be_empty(self) -> None:
        assert issues(with_tiers()) == ["editions[1].prices[0].tiers: must not be empty"]


class TestEditions:
    def test_a_free_edition_has_no_prices_and_no_trial(self) -> None:
        data = a_catalog()
        data["editions"][0].update(prices=[{"cycle": "month", "flat": "0.00"}], trial_days=7)

        assert issues(data) == [
            "editions[0].prices: a free edition has no prices",
            "editions[0].trial_days: a free edition has no trial",
        ]

    def test_a_paid_edition_needs_a_price(self) -> None:
        assert issues(with_pro(prices=[])) == [
            "editions[1].prices: an edition that is not free needs at least one price"
        ]

    def test_quantity_max_must_not_be_below_min(self) -> None:
        data = with_pro(quantity={"min": 10, "max": 5})

        assert issues(data) == ["editions[1].quantity.max: must be at least min (10)"]

    @pytest.mark.parametrize(
        ("quantity", "message"),
        [
            ({"min": 1, "max": 5, "default": 6}, "must be between min and max (1 to 5)"),
            ({"min": 3, "default": 2}, "must be at least min (3)"),
        ],
    )
    def test_quantity_default_lies_within_min_and_max(
        self, quantity: dict[str, int], message: str
    ) -> None:
        assert issues(with_pro(quantity=quantity)) == [f"editions[1].quantity.default: {message}"]

    def test_quantity_minimum_may_be_zero_but_not_negative(self) -> None:
        assert parse_catalog(with_pro(quantity={"min": 0})).editions[1].quantity.default == 0
        assert issues(with_pro(quantity={"min": -1})) == [
            "editions[1].quantity.min: must be at least 0"
        ]

    def test_ranks_may_repeat(self) -> None:
        data = a_catalog()
        data["editions"][2]["rank"] = 1

        assert [e.rank for e in parse_catalog(data).editions] == [0, 1, 1]


class TestAddonsAndTransitions:
    def test_add_on_must_be_offered_on_known_paid_editions(self) -> None:
        addon = {
            "code": "pack",
            "prices": [{"cycle": "month", "per_unit": "9.00"}],
            "available_on": ["pro", "gold", "free"],
        }

        assert issues(a_catalog(addons=[addon])) == [
            "addons[0].available_on[1]: unknown edition 'gold'",
            "addons[0].available_on[2]: edition 'free' is free and takes no add-ons",
        ]

    def test_add_on_prices_name_known_cycles_and_there_is_at_least_one(self) -> None:
        addons = [
            {"code": "a", "prices": [{"cycle": "week", "per_unit": "1.00"}]},
            {"code": "b"},
        ]

        assert issues(a_catalog(addons=addons)) == [
            "addons[0].prices[0].cycle: unknown cycle 'week'",
            "addons[1].prices: an add-on needs at least one price",
        ]

    def test_transition_names_known_editions(self) -> None:
        rule = {"from": ["pro", "gold"], "to": ["platinum"], "allowed": True}

        assert issues(a_catalog(policies={"transitions": [rule]})) == [
            "policies.transitions[0].from[1]: unknown edition 'gold'",
            "policies.transitions[0].to[0]: unknown edition 'platinum'",
        ]

    def test_a_refused_transition_needs_a_message(self) -> None:
        rule = {"from": ["pro"], "to": ["free"]}

        assert issues(a_catalog(policies={"transitions": [rule]})) == [
            "policies.transitions[0].message: is required when allowed is false"
        ]

    def test_an_allowed_transition_needs_no_message(self) -> None:
        rule = {"from": ["free"], "to": ["pro", "max"], "allowed": True}

        catalog = parse_catalog(a_catalog(policies={"transitions": [rule]}))

        found = catalog.transition_rule("free", "max")
        assert found is not None and found.allowed and found.message == ""


class TestAccountRules:
    def test_retry_days_must_increase(self) -> None:
        data = a_catalog(renewal={"retry_days": [1, 3, 3]})

        assert issues(data) == ["renewal.retry_days[2]: must be greater than the previous (3)"]

    def test_retry_days_are_positive(self) -> None:
        data = a_catalog(renewal={"retry_days": [0, 1]})

        assert issues(data) == ["renewal.retry_days[0]: must be greater than 0"]

    def test_collection_delay_is_not_negative(self) -> None:
        data = a_catalog(collection={"mode": "send_invoice", "delay_days": -3})

        assert issues(data) == ["collection.delay_days: must be at least 0"]

    def test_top_up_max_must_not_be_below_top_up_min(self) -> None:
        data = a_catalog(balance={"top_up_min": "20.00", "top_up_max": "10.00"})

        assert issues(data) == ["balance.top_up_max: must be at least top_up_min (20.00)"]
