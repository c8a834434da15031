"""Several currencies in one catalog: `currencies`, and amounts given per currency.

The spec's example: `currency: EUR`, `currencies: [EUR, GBP, USD]`, and any amount (`per_unit`,
`flat`, tier amounts, `unit_price`, `top_up_min`, `top_up_max`) either a decimal string in
`currency` or a mapping of currency to decimal string with an amount in each currency.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tierline.catalog import CatalogError, catalog_to_dict, parse_catalog, read_yaml
from tierline.cli import app

SPEC_EXAMPLE = """
currency: EUR
currencies: [EUR, GBP, USD]
quantity_unit: seat
cycles: [{code: month, months: 1}, {code: year, months: 12, discount_percent: 20}]
editions:
  - {code: free, rank: 0, free: true}
  - code: standard
    rank: 1
    prices:
      - {cycle: month, per_unit: {EUR: "8.00", GBP: "7.00", USD: "9.00"}}
      - cycle: year
        tiers:
          - {up_to: 10, flat: {EUR: "80.00", GBP: "70.00", USD: "90.00"}}
          - {up_to: null, per_unit: {EUR: "7.50", GBP: "6.50", USD: "8.50"}}
addons:
  - code: external-users
    prices: [{cycle: month, per_unit: {EUR: "9.00", GBP: "8.00", USD: "10.00"}}]
meters:
  - {code: sms, name: SMS, unit_price: {EUR: "0.05", GBP: "0.04", USD: "0.06"}}
balance:
  top_up_min: {EUR: "10.00", GBP: "10.00", USD: "10.00"}
  top_up_max: {EUR: "500.00", GBP: "400.00", USD: "600.00"}
"""


def spec_example() -> dict[str, Any]:
    return copy.deepcopy(read_yaml(SPEC_EXAMPLE))


def issues(data: Any) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    return [str(issue) for issue in caught.value.issues]


class TestMappedAmounts:
    def test_the_catalog_is_in_its_currency_and_offers_every_listed_one(self) -> None:
        catalog = parse_catalog(spec_example())

        assert catalog.currency == "EUR"
        assert catalog.billing_currencies() == ("EUR", "GBP", "USD")
        standard = catalog.edition("standard")
        assert standard is not None and standard.prices[0].per_unit == Decimal("8.00")

    def test_each_currency_has_its_own_amounts_everywhere(self) -> None:
        gbp = parse_catalog(spec_example()).in_currency("GBP")

        standard = gbp.edition("standard")
        addon = gbp.addon("external-users")
        assert standard is not None and addon is not None
        month, year = standard.prices
        assert gbp.currency == "GBP"
        assert month.per_unit == Decimal("7.00")
        assert [(t.flat, t.per_unit) for t in year.tiers] == [
            (Decimal("70.00"), Decimal(0)),
            (Decimal(0), Decimal("6.50")),
        ]
        assert addon.prices[0].per_unit == Decimal("8.00")
        assert gbp.meters[0].unit_price == Decimal("0.04")
        assert (gbp.balance.top_up_min, gbp.balance.top_up_max) == (
            Decimal("10.00"),
            Decimal("400.00"),
        )

    def test_any_currency_leads_to_any_other(self) -> None:
        catalog = parse_catalog(spec_example())

        usd = catalog.in_currency("GBP").in_currency("USD")

        assert usd is catalog.in_currency("USD")
        assert usd.in_currency("EUR") is catalog
        assert usd.meters[0].unit_price == Decimal("0.06")

    def test_a_currency_the_catalog_does_not_sell_in_has_no_prices(self) -> None:
        with pytest.raises(ValueError, match="JPY"):
            parse_catalog(spec_example()).in_currency("JPY")

    def test_a_translated_catalog_keeps_every_currency(self) -> None:
        data = spec_example()
        data["editions"][1]["name"] = {"en": "Standard", "fr": "Standard FR"}

        french_pounds = parse_catalog(data).in_language("fr").in_currency("GBP")

        standard = french_pounds.edition("standard")
        assert standard is not None and standard.name == "Standard FR"
        assert standard.prices[0].per_unit == Decimal("7.00")

    def test_a_catalog_with_one_currency_may_write_its_amounts_as_a_mapping(self) -> None:
        data = read_yaml(
            "currency: EUR\nquantity_unit: seat\ncycles: [{code: month, months: 1}]\n"
            'editions: [{code: pro, rank: 1, prices: [{cycle: month, per_unit: {EUR: "5.00"}}]}]\n'
        )

        catalog = parse_catalog(data)

        assert catalog.billing_currencies() == ("EUR",)
        assert catalog.editions[0].prices[0].per_unit == Decimal("5.00")

    def test_a_zero_amount_may_stay_plain_it_is_zero_in_every_currency(self) -> None:
        data = spec_example()
        data["balance"]["top_up_min"] = "0"

        catalog = parse_catalog(data)

        assert catalog.in_currency("USD").balance.top_up_min == 0

    def test_the_default_top_up_maximum_applies_in_every_currency(self) -> None:
        data = spec_example()
        del data["balance"]["top_up_max"]

        catalog = parse_catalog(data)

        assert catalog.in_currency("GBP").balance.top_up_max == Decimal(10000)


class TestStorage:
    def test_a_stored_catalog_reads_back_the_same_in_every_currency(self) -> None:
        catalog = parse_catalog(spec_example())

        body = catalog_to_dict(catalog)
        again = parse_catalog(body)

        assert body["currencies"] == ["EUR", "GBP", "USD"]
        assert body["meters"][0]["unit_price"] == {"EUR": "0.05", "GBP": "0.04", "USD": "0.06"}
        for code in ("EUR", "GBP", "USD"):
            assert again.in_currency(code) == catalog.in_currency(code)
        assert catalog_to_dict(again) == body

    def test_a_catalog_with_one_currency_is_stored_as_before(self) -> None:
        data = read_yaml(
            "currency: EUR\nquantity_unit: seat\ncycles: [{code: month, months: 1}]\n"
            'editions: [{code: pro, rank: 1, prices: [{cycle: month, per_unit: "5.00"}]}]\n'
        )

        body = catalog_to_dict(parse_catalog(data))

        assert "currencies" not in body
        assert body["editions"][0]["prices"][0]["per_unit"] == "5.00"


class TestRefusals:
    def test_a_mapping_without_one_of_the_currencies_names_it_missing(self) -> None:
        data = spec_example()
        del data["editions"][1]["prices"][0]["per_unit"]["GBP"]

        assert issues(data) == ["editions[1].prices[0].per_unit.GBP: missing"]

    def test_every_kind_of_amount_is_checked_per_currency(self) -> None:
        data = spec_example()
        del data["editions"][1]["prices"][1]["tiers"][0]["flat"]["USD"]
        del data["addons"][0]["prices"][0]["per_unit"]["EUR"]
        del data["meters"][0]["unit_price"]["GBP"]
        del data["balance"]["top_up_min"]["USD"]

        assert issues(data) == [
            "editions[1].prices[1].tiers[0].flat.USD: missing",
            "addons[0].prices[0].per_unit.EUR: missing",
            "meters[0].unit_price.GBP: missing",
            "balance.top_up_min.USD: missing",
        ]

    def test_an_amount_in_a_currency_not_listed_is_refused(self) -> None:
        data = spec_example()
        data["meters"][0]["unit_price"]["CHF"] = "0.05"

        assert issues(data) == [
            "meters[0].unit_price.CHF: not one of the catalog's currencies (EUR, GBP, USD)"
        ]

    def test_each_amount_of_a_mapping_is_a_decimal_string(self) -> None:
        data = spec_example()
        data["editions"][1]["prices"][0]["per_unit"]["GBP"] = 7
        data["meters"][0]["unit_price"]["USD"] = "-0.06"

        assert issues(data) == [
            "editions[1].prices[0].per_unit.GBP: must be a decimal string",
            "meters[0].unit_price.USD: must not be negative",
        ]

    def test_a_flat_amount_fits_each_currency_minor_unit(self) -> None:
        data = spec_example()
        data["editions"][1]["prices"][1]["tiers"][0]["flat"]["GBP"] = "70.005"

        assert issues(data) == [
            "editions[1].prices[1].tiers[0].flat.GBP: GBP amounts have at most 2 decimals"
        ]

    def test_a_plain_amount_other_than_zero_needs_an_amount_in_each_currency(self) -> None:
        data = spec_example()
        data["meters"][0]["unit_price"] = "0.05"

        assert issues(data) == [
            "meters[0].unit_price: a plain amount is in EUR; give a mapping with an amount in "
            "each of EUR, GBP, USD"
        ]

    def test_bounds_and_positive_prices_hold_in_each_currency(self) -> None:
        data = spec_example()
        data["balance"]["top_up_max"]["GBP"] = "5.00"
        data["meters"][0]["unit_price"]["USD"] = "0"

        assert issues(data) == [
            "meters[0].unit_price.USD: must be greater than 0",
            "balance.top_up_max.GBP: must be at least top_up_min (10.00)",
        ]

    def test_the_currency_list_includes_the_catalogs_currency_each_once(self) -> None:
        data = spec_example()
        data["currencies"] = ["GBP", "USD", "GBP"]
        for amount in (
            data["editions"][1]["prices"][0]["per_unit"],
            data["editions"][1]["prices"][1]["tiers"][0]["flat"],
            data["editions"][1]["prices"][1]["tiers"][1]["per_unit"],
            data["addons"][0]["prices"][0]["per_unit"],
            data["meters"][0]["unit_price"],
            data["balance"]["top_up_min"],
            data["balance"]["top_up_max"],
        ):
            del amount["EUR"]

        assert issues(data)[:2] == [
            "currencies[2]: duplicate currency 'GBP' (already currencies[0])",
            "currencies: must include the catalog's currency (EUR)",
        ]

    def test_a_currency_with_another_minor_unit_is_refused(self) -> None:
        """Amounts are stored in minor units of the catalog's currency's size."""
        data = spec_example()
        data["currencies"] = ["EUR", "JPY"]

        assert issues(data)[0] == (
            "currencies[1]: JPY amounts have 0 decimals, EUR amounts 2 decimals: the currencies "
            "of one catalog share their minor unit"
        )

    def test_a_currency_code_is_iso_4217_shaped(self) -> None:
        data = spec_example()
        data["currencies"] = ["EUR", "pounds"]

        assert issues(data) == ["currencies[1]: must be an ISO 4217 code such as EUR"]


def test_catalog_check_names_the_missing_currency_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(SPEC_EXAMPLE.replace('GBP: "7.00", ', ""), encoding="utf-8")

    result = CliRunner().invoke(app, ["catalog", "check", str(path)])

    assert result.exit_code == 1
    assert "editions[1].prices[0].per_unit.GBP: missing" in result.output
