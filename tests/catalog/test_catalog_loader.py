from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tierline.catalog import CatalogError, load_catalog, parse_catalog, read_yaml
from tierline.domain.catalog import DEFAULT_POLICIES, Policy, Tier
from tierline.domain.periods import CycleLength

FULL_CATALOG = Path(__file__).with_name("full_catalog.yaml")


def a_catalog(**overrides: Any) -> dict[str, Any]:
    """The smallest valid catalog: one monthly cycle, one free and one paid edition."""
    data: dict[str, Any] = {
        "currency": "EUR",
        "quantity_unit": "seat",
        "cycles": [{"code": "month", "months": 1}],
        "editions": [
            {"code": "free", "rank": 0, "free": True},
            {"code": "pro", "rank": 1, "prices": [{"cycle": "month", "per_unit": "5.00"}]},
        ],
    }
    data.update(copy.deepcopy(overrides))
    return data


def with_edition(**fields: Any) -> dict[str, Any]:
    """A catalog whose paid edition has these fields changed."""
    data = a_catalog()
    data["editions"][1].update(fields)
    return data


def issues(data: Any) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    return [str(issue) for issue in caught.value.issues]


class TestTheSpecExample:
    def test_spec_example_loads_into_the_domain_model(self) -> None:
        catalog = load_catalog(FULL_CATALOG)

        assert catalog.currency == "EUR"
        assert catalog.quantity_unit == "contact"
        year = catalog.cycle("year")
        assert year is not None
        assert year.length == CycleLength(months=12)
        assert year.discount_percent == Decimal(20)
        assert [e.code for e in catalog.editions] == ["liberty", "serenity", "professional"]

    def test_editions_keep_prices_limits_and_features(self) -> None:
        catalog = load_catalog(FULL_CATALOG)

        serenity = catalog.edition("serenity")
        assert serenity is not None
        assert serenity.trial_days == 14
        assert serenity.limits == {"external_users": 100, "domains": 1, "waiting_rooms": 5}
        assert serenity.features == frozenset({"priority_groups"})
        month = serenity.explicit_price("month")
        assert month is not None and month.per_unit == Decimal("2.50")
        year = serenity.explicit_price("year")
        assert year is not None and year.tiers_mode == "volume"
        assert year.tiers == (
            Tier(500, flat=Decimal("290.00")),
            Tier(1000, flat=Decimal("490.00")),
            Tier(None, per_unit=Decimal("0.45")),
        )
        professional = catalog.edition("professional")
        assert professional is not None and professional.limits["external_users"] is None

    def test_free_edition_and_add_on_availability(self) -> None:
        catalog = load_catalog(FULL_CATALOG)

        liberty, serenity = catalog.edition("liberty"), catalog.edition("serenity")
        assert liberty is not None and serenity is not None
        assert liberty.free and liberty.quantity.allows(10) and not liberty.quantity.allows(11)
        packs = catalog.addon("workflow-executions")
        assert packs is not None and packs.available_on is None
        assert catalog.addon_available_on(packs, serenity)
        assert not catalog.addon_available_on(packs, liberty)

    def test_policies_transitions_and_account_rules(self) -> None:
        catalog = load_catalog(FULL_CATALOG)

        assert catalog.policies.for_class("cycle_change") == Policy("immediate", "restart")
        assert catalog.policies.for_class("downgrade") == Policy("end_of_period", "none")
        rule = catalog.transition_rule("professional", "liberty")
        assert rule is not None and not rule.allowed
        assert rule.message.startswith("Cancel your subscription")
        assert catalog.balance.top_up_min == Decimal("10.00")
        assert catalog.renewal.retry_days == (1, 3, 5)
        meter = catalog.meter("email")
        assert meter is not None and meter.unit_price == Decimal("0.002")


class TestDefaults:
    def test_minimal_catalog_takes_the_documented_defaults(self) -> None:
        catalog = parse_catalog(a_catalog())

        pro = catalog.edition("pro")
        assert pro is not None
        assert (pro.quantity.min, pro.quantity.max, pro.quantity.default) == (1, None, 1)
        assert pro.trial_days == 0 and pro.limits == {} and pro.features == frozenset()
        assert dict(catalog.policies.by_class) == dict(DEFAULT_POLICIES)
        assert catalog.policies.granularity == "day"
        assert catalog.collection.mode == "charge_automatically"
        assert catalog.renewal.when_retries_fail == "cancel"
        assert catalog.balance.top_up_max == Decimal(10000) and catalog.balance.apply_to_invoices

    def test_quantity_default_is_the_minimum(self) -> None:
        pro = parse_catalog(with_edition(quantity={"min": 5, "max": 50})).edition("pro")

        assert pro is not None and pro.quantity.default == 5

    def test_omitted_names_default_to_the_title_cased_code(self) -> None:
        data = with_edition(code="pro-plus")
        data["meters"] = [{"code": "sms_fee", "unit_price": "0.05"}]

        catalog = parse_catalog(data)

        edition, meter = catalog.edition("pro-plus"), catalog.meter("sms_fee")
        assert edition is not None and edition.name == "Pro Plus"
        assert meter is not None and meter.name == "Sms Fee"
        assert catalog.cycles[0].name is None

    @pytest.mark.parametrize(
        ("timing", "proration"), [("immediate", "prorate"), ("end_of_period", "none")]
    )
    def test_proration_defaults_follow_the_timing(self, timing: str, proration: str) -> None:
        data = a_catalog(policies={"upgrade": {"timing": timing}})

        policy = parse_catalog(data).policies.for_class("upgrade")

        assert (policy.proration, policy.credit_to) == (proration, "invoice")


class TestShapeErrors:
    def test_unknown_key_is_an_error_with_its_path(self) -> None:
        data = with_edition(colour="blue")

        assert issues(data) == ["editions[1].colour: unknown key"]

    def test_misspelt_key_suggests_the_right_one(self) -> None:
        data = with_edition(prices=[{"cycle": "month", "per_units": "5.00"}])

        assert "editions[1].prices[0].per_units: unknown key (did you mean 'per_unit'?)" in (
            issues(data)
        )

    def test_missing_required_field_is_reported(self) -> None:
        data = a_catalog()
        del data["currency"]

        assert issues(data) == ["currency: is required"]

    def test_wrong_types_are_reported_in_plain_words(self) -> None:
        data = with_edition(rank="high", free="no", features="all")

        assert issues(data) == [
            "editions[1].rank: must be an integer",
            "editions[1].free: must be true or false",
            "editions[1].features: must be a list",
        ]

    def test_value_outside_the_vocabulary_lists_the_allowed_values(self) -> None:
        data = a_catalog(policies={"downgrade": {"timing": "later"}})

        assert issues(data) == ["policies.downgrade.timing: must be 'immediate' or 'end_of_period'"]

    def test_limits_are_non_negative_integers_or_null(self) -> None:
        data = with_edition(limits={"domains": -1, "rooms": None, "users": "many"})

        assert issues(data) == [
            "editions[1].limits.domains: must be at least 0",
            "editions[1].limits.users: must be an integer",
        ]

    def test_add_on_grants_must_be_positive(self) -> None:
        data = a_catalog(
            addons=[
                {
                    "code": "pack",
                    "grants": {"users": 0},
                    "prices": [{"cycle": "month", "flat": "1.00"}],
                }
            ]
        )

        assert issues(data) == ["addons[0].grants.users: must be greater than 0"]

    def test_mapping_keys_must_be_strings(self) -> None:
        data = with_edition(limits={1: 5})
        data[2] = "x"

        assert issues(data) == [
            "editions[1].limits: key 1 is not a string",
            "<catalog>: key 2 is not a string",
        ]

    def test_a_catalog_that_is_not_a_mapping_is_refused(self) -> None:
        assert issues(["currency", "EUR"]) == ["<catalog>: a catalog must be a mapping, found list"]


class TestMoney:
    def test_float_price_is_refused_as_not_a_decimal_string(self) -> None:
        data = read_yaml(
            "currency: EUR\nquantity_unit: seat\ncycles: [{code: month, months: 1}]\n"
            "editions: [{code: pro, rank: 1, prices: [{cycle: month, per_unit: 2.50}]}]\n"
        )

        assert issues(data) == ["editions[0].prices[0].per_unit: must be a decimal string"]

    @pytest.mark.parametrize("amount", [5, "5,00", "", "1e3", " 5", True])
    def test_anything_but_a_decimal_string_is_refused_as_money(self, amount: object) -> None:
        data = with_edition(prices=[{"cycle": "month", "flat": amount}])

        assert issues(data) == ["editions[1].prices[0].flat: must be a decimal string"]

    def test_negative_amount_is_refused(self) -> None:
        data = with_edition(prices=[{"cycle": "month", "per_unit": "-1.00"}])

        assert issues(data) == ["editions[1].prices[0].per_unit: must not be negative"]

    def test_per_unit_price_may_have_more_decimals_than_the_currency(self) -> None:
        data = with_edition(prices=[{"cycle": "month", "per_unit": "0.045"}])

        pro = parse_catalog(data).edition("pro")

        assert pro is not None and pro.prices[0].per_unit == Decimal("0.045")

    def test_flat_amounts_must_fit_the_currency_exponent(self) -> None:
        tiers = [{"up_to": 10, "flat": "1.005"}, {"up_to": None, "per_unit": "0.001"}]
        data = with_edition(
            prices=[{"cycle": "month", "flat": "9.995"}, {"cycle": "year", "tiers": tiers}]
        )
        data["cycles"].append({"code": "year", "months": 12})
        data["balance"] = {"top_up_min": "10.001"}

        assert issues(data) == [
            "editions[1].prices[0].flat: EUR amounts have at most 2 decimals",
            "editions[1].prices[1].tiers[0].flat: EUR amounts have at most 2 decimals",
            "balance.top_up_min: EUR amounts have at most 2 decimals",
        ]

    def test_trailing_zeros_within_the_exponent_are_accepted(self) -> None:
        data = a_catalog(currency="JPY")
        data["editions"][1]["prices"] = [{"cycle": "month", "flat": "500.00"}]
        refused = a_catalog(currency="JPY")
        refused["editions"][1]["prices"] = [{"cycle": "month", "flat": "500.5"}]

        assert parse_catalog(data).editions[1].prices[0].flat == Decimal(500)
        assert issues(refused) == ["editions[1].prices[0].flat: JPY amounts have no decimals"]

    @pytest.mark.parametrize(("given", "kept"), [(20, "20"), (12.5, "12.5"), ("7.25", "7.25")])
    def test_discount_percent_is_a_number_or_a_decimal_string(
        self, given: object, kept: str
    ) -> None:
        data = a_catalog(cycles=[{"code": "month", "months": 1, "discount_percent": given}])

        assert parse_catalog(data).cycles[0].discount_percent == Decimal(kept)

    @pytest.mark.parametrize("given", [-1, "100.5", 101])
    def test_discount_percent_outside_0_to_100_is_refused(self, given: object) -> None:
        data = a_catalog(cycles=[{"code": "month", "months": 1, "discount_percent": given}])

        assert issues(data) == ["cycles[0].discount_percent: must be between 0 and 100"]

    def test_meter_unit_price_must_be_positive(self) -> None:
        data = a_catalog(meters=[{"code": "sms", "unit_price": "0"}])

        assert issues(data) == ["meters[0].unit_price: must be greater than 0"]

    @pytest.mark.parametrize("currency", ["eur", "EURO", "€", ""])
    def test_currency_must_look_like_an_iso_4217_code(self, currency: str) -> None:
        assert issues(a_catalog(currency=currency)) == [
            "currency: must be an ISO 4217 code such as EUR"
        ]
