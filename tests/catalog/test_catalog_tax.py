"""The catalog's `seller` and `tax`: loading, `catalog check` errors with their paths, storage."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tierline.catalog import CatalogError, catalog_to_dict, load_catalog, parse_catalog
from tierline.cli import app
from tierline.domain.catalog import Seller, TaxRate, TaxRules

EU = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE"]
EU += ["IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]

SPEC_EXAMPLE = f"""\
currency: EUR
quantity_unit: seat
cycles: [{{code: month, months: 1}}]
editions: [{{code: pro, rank: 1, prices: [{{cycle: month, per_unit: "5.00"}}]}}]
seller:
  name: Association Software SAS
  address: ["12 rue Oberkampf", "75011 Paris"]
  country: FR
  tax_id: FR40303265045
tax:
  prices: exclusive
  rates:
    - {{country: FR, rate: "20", from: 2014-01-01}}
    - {{country: FR, rate: "19.6", until: 2014-01-01}}
    - {{country: DE, rate: "19"}}
    - {{country: US, region: CA, rate: "7.25"}}
  reverse_charge: [{", ".join(EU)}]
  otherwise: "0"
"""


def a_catalog(**overrides: Any) -> dict[str, Any]:
    """A valid catalog with a seller and tax rules; `overrides` replace top-level keys."""
    data: dict[str, Any] = {
        "currency": "EUR",
        "quantity_unit": "seat",
        "cycles": [{"code": "month", "months": 1}],
        "editions": [
            {"code": "pro", "rank": 1, "prices": [{"cycle": "month", "per_unit": "5.00"}]}
        ],
        "seller": {
            "name": "Association Software SAS",
            "address": ["12 rue Oberkampf", "75011 Paris"],
            "country": "FR",
            "tax_id": "FR40303265045",
        },
        "tax": {
            "prices": "exclusive",
            "rates": [
                {"country": "FR", "rate": "20", "from": date(2014, 1, 1)},
                {"country": "FR", "rate": "19.6", "until": date(2014, 1, 1)},
            ],
            "reverse_charge": ["DE", "FR"],
            "otherwise": "0",
        },
    }
    data.update(copy.deepcopy(overrides))
    return data


def with_tax(**fields: Any) -> dict[str, Any]:
    data = a_catalog()
    data["tax"].update(copy.deepcopy(fields))
    return data


def with_seller(**fields: Any) -> dict[str, Any]:
    data = a_catalog()
    data["seller"].update(copy.deepcopy(fields))
    return data


def with_rates(*rates: dict[str, Any]) -> dict[str, Any]:
    return with_tax(rates=list(rates))


def issues(data: Any) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    return [str(issue) for issue in caught.value.issues]


class TestLoading:
    def test_the_spec_example_loads_into_the_domain_model(self, tmp_path: Path) -> None:
        path = tmp_path / "catalog.yaml"
        path.write_text(SPEC_EXAMPLE, encoding="utf-8")

        catalog = load_catalog(path)

        assert catalog.seller == Seller(
            name="Association Software SAS",
            country="FR",
            address=("12 rue Oberkampf", "75011 Paris"),
            tax_id="FR40303265045",
        )
        assert catalog.tax == TaxRules(
            prices="exclusive",
            rates=(
                TaxRate("FR", Decimal("20"), valid_from=date(2014, 1, 1)),
                TaxRate("FR", Decimal("19.6"), valid_until=date(2014, 1, 1)),
                TaxRate("DE", Decimal("19")),
                TaxRate("US", Decimal("7.25"), region="CA"),
            ),
            reverse_charge=frozenset(EU),
            otherwise=Decimal("0"),
        )

    def test_without_tax_nothing_changes(self) -> None:
        data = a_catalog()
        del data["seller"], data["tax"]

        catalog = parse_catalog(data)

        assert (catalog.seller, catalog.tax) == (None, None)
        assert "tax" not in catalog_to_dict(catalog)
        assert "seller" not in catalog_to_dict(catalog)

    def test_a_seller_may_be_given_without_tax(self) -> None:
        data = a_catalog()
        del data["tax"]

        catalog = parse_catalog(data)

        assert catalog.seller is not None and catalog.tax is None

    def test_tax_defaults_to_exclusive_prices_and_an_otherwise_rate_of_zero(self) -> None:
        catalog = parse_catalog(a_catalog(tax={"rates": [{"country": "DE", "rate": "19"}]}))

        assert catalog.tax == TaxRules(rates=(TaxRate("DE", Decimal("19")),))

    def test_inclusive_prices_are_kept(self) -> None:
        catalog = parse_catalog(with_tax(prices="inclusive"))

        assert catalog.tax is not None and catalog.tax.prices == "inclusive"

    def test_dates_may_be_written_as_strings(self) -> None:
        data = with_rates({"country": "FR", "rate": "20", "from": "2014-01-01"})

        catalog = parse_catalog(data)

        assert catalog.tax is not None
        assert catalog.tax.rates[0].valid_from == date(2014, 1, 1)

    def test_a_seller_tax_id_may_be_written_with_spaces(self) -> None:
        catalog = parse_catalog(with_seller(tax_id="FR 40 303 265 045"))

        assert catalog.seller is not None and catalog.seller.tax_id == "FR 40 303 265 045"


class TestStorage:
    def test_a_stored_catalog_keeps_its_seller_and_tax(self, tmp_path: Path) -> None:
        path = tmp_path / "catalog.yaml"
        path.write_text(SPEC_EXAMPLE, encoding="utf-8")
        catalog = load_catalog(path)

        body = json.loads(json.dumps(catalog_to_dict(catalog)))

        assert parse_catalog(body, source="stored catalog") == catalog
        assert body["tax"]["rates"][0] == {"country": "FR", "rate": "20", "from": "2014-01-01"}
        assert body["tax"]["rates"][3] == {"country": "US", "region": "CA", "rate": "7.25"}
        assert body["seller"]["tax_id"] == "FR40303265045"

    def test_a_stored_catalog_without_a_seller_tax_id_round_trips(self) -> None:
        data = a_catalog(seller={"name": "Waiting Rooms Ltd", "country": "GB"})
        data["tax"]["reverse_charge"] = []
        catalog = parse_catalog(data)

        body = json.loads(json.dumps(catalog_to_dict(catalog)))

        assert parse_catalog(body) == catalog


class TestCountries:
    def test_a_country_must_be_an_iso_3166_alpha_2_code(self) -> None:
        data = with_rates({"country": "FRA", "rate": "20"}, {"country": "XK", "rate": "18"})

        assert issues(data) == [
            "tax.rates[0].country: must be an ISO 3166-1 alpha-2 code such as FR",
            "tax.rates[1].country: must be an ISO 3166-1 alpha-2 code such as FR",
        ]

    def test_a_country_is_written_in_capitals(self) -> None:
        assert issues(with_seller(country="fr")) == [
            "seller.country: must be an ISO 3166-1 alpha-2 code such as FR"
        ]

    def test_reverse_charge_names_countries(self) -> None:
        assert issues(with_tax(reverse_charge=["DE", "EL"])) == [
            "tax.reverse_charge[1]: must be an ISO 3166-1 alpha-2 code such as FR"
        ]

    def test_a_reverse_charge_country_is_listed_once(self) -> None:
        assert issues(with_tax(reverse_charge=["DE", "FR", "DE"])) == [
            "tax.reverse_charge[2]: duplicate country (already tax.reverse_charge[0])"
        ]

    def test_a_region_is_a_subdivision_code_without_its_country(self) -> None:
        data = with_rates({"country": "US", "region": "US-CA", "rate": "7.25"})

        assert issues(data) == [
            "tax.rates[0].region: must be an ISO 3166-2 subdivision code without the country,"
            " such as CA"
        ]


class TestRates:
    @pytest.mark.parametrize("rate", [20, 19.6, "twenty", "20%", "", None])
    def test_a_rate_is_a_decimal_string(self, rate: Any) -> None:
        assert issues(with_rates({"country": "DE", "rate": rate})) == [
            'tax.rates[0].rate: must be a decimal string such as "20"'
        ]

    @pytest.mark.parametrize("rate", ["-1", "100.01", "120"])
    def test_a_rate_is_between_0_and_100(self, rate: str) -> None:
        assert issues(with_rates({"country": "DE", "rate": rate})) == [
            "tax.rates[0].rate: must be between 0 and 100"
        ]

    def test_the_otherwise_rate_is_a_decimal_string(self) -> None:
        assert issues(with_tax(otherwise=0)) == [
            'tax.otherwise: must be a decimal string such as "20"'
        ]

    def test_a_rate_needs_a_country_and_a_rate(self) -> None:
        assert issues(with_rates({"region": "CA"})) == [
            "tax.rates[0].country: is required",
            "tax.rates[0].rate: is required",
        ]

    def test_prices_are_exclusive_or_inclusive(self) -> None:
        assert issues(with_tax(prices="gross")) == [
            "tax.prices: must be 'exclusive' or 'inclusive'"
        ]

    def test_an_unknown_key_suggests_the_known_one(self) -> None:
        assert issues(with_rates({"country": "DE", "rate": "19", "untill": "2020-01-01"})) == [
            "tax.rates[0].untill: unknown key (did you mean 'until'?)"
        ]

    @pytest.mark.parametrize("when", ["2014-13-01", "01/01/2014", "2014-1-1", 20140101])
    def test_a_date_is_a_calendar_date(self, when: Any) -> None:
        assert issues(with_rates({"country": "DE", "rate": "19", "from": when})) == [
            "tax.rates[0].from: must be a date such as 2014-01-01"
        ]

    def test_a_date_and_time_is_not_a_date(self) -> None:
        data = with_rates({"country": "DE", "rate": "19", "until": datetime(2014, 1, 1, 12)})

        assert issues(data) == ["tax.rates[0].until: must be a date such as 2014-01-01"]

    def test_until_comes_after_from(self) -> None:
        data = with_rates(
            {"country": "DE", "rate": "19", "from": "2020-07-01", "until": "2020-07-01"}
        )

        assert issues(data) == ["tax.rates[0].until: must be after from (2020-07-01)"]


class TestOverlaps:
    def test_two_rates_of_one_country_may_not_be_in_force_the_same_day(self) -> None:
        data = with_rates(
            {"country": "FR", "rate": "20", "from": "2014-01-01"},
            {"country": "FR", "rate": "19.6", "until": "2014-01-02"},
        )

        assert issues(data) == ["tax.rates[1]: dates overlap tax.rates[0], both rates of FR"]

    def test_two_undated_rates_of_one_country_overlap(self) -> None:
        data = with_rates({"country": "DE", "rate": "19"}, {"country": "DE", "rate": "16"})

        assert issues(data) == ["tax.rates[1]: dates overlap tax.rates[0], both rates of DE"]

    def test_two_rates_of_one_region_overlap(self) -> None:
        data = with_rates(
            {"country": "US", "region": "CA", "rate": "7.25"},
            {"country": "US", "region": "CA", "rate": "7.5", "from": "2030-01-01"},
        )

        assert issues(data) == ["tax.rates[1]: dates overlap tax.rates[0], both rates of US-CA"]

    def test_back_to_back_rates_do_not_overlap(self) -> None:
        data = with_rates(
            {"country": "DE", "rate": "19", "until": "2020-07-01"},
            {"country": "DE", "rate": "16", "from": "2020-07-01", "until": "2021-01-01"},
            {"country": "DE", "rate": "19", "from": "2021-01-01"},
        )

        parse_catalog(data)

    def test_a_region_rate_and_its_country_rate_do_not_overlap(self) -> None:
        data = with_rates(
            {"country": "US", "rate": "0"},
            {"country": "US", "region": "CA", "rate": "7.25"},
            {"country": "US", "region": "NY", "rate": "4"},
        )

        parse_catalog(data)


class TestSeller:
    def test_an_invalid_seller_tax_id_is_refused(self) -> None:
        assert issues(with_seller(tax_id="FR40303265046")) == [
            "seller.tax_id: 'FR40303265046' is not a valid tax id for FR (format or check digits)"
        ]

    def test_a_seller_tax_id_of_another_country_is_refused(self) -> None:
        assert issues(with_seller(tax_id="DE136695976")) == [
            "seller.tax_id: 'DE136695976' is not a valid tax id for FR (format or check digits)"
        ]

    def test_a_seller_tax_id_outside_the_eu_is_checked_by_its_country(self) -> None:
        data = a_catalog(seller={"name": "Tierline Inc.", "country": "US", "tax_id": "04-2103594"})
        data["tax"]["reverse_charge"] = []

        parse_catalog(data)
        assert issues(a_catalog(seller={"name": "X", "country": "US", "tax_id": "00-0000000"}))[
            0
        ].startswith("seller.tax_id: '00-0000000' is not a valid tax id for US")

    def test_a_seller_needs_a_name_and_a_country(self) -> None:
        assert issues(a_catalog(seller={"address": ["1 Main St"]})) == [
            "seller.name: is required",
            "seller.country: is required",
        ]

    def test_tax_needs_a_seller(self) -> None:
        data = a_catalog()
        del data["seller"]

        assert issues(data) == ["seller: is required when tax is given"]

    def test_reverse_charge_needs_the_sellers_tax_id(self) -> None:
        data = a_catalog()
        del data["seller"]["tax_id"]

        assert issues(data) == [
            "seller.tax_id: is required when tax.reverse_charge lists countries"
        ]


class TestCatalogCheck:
    def test_catalog_check_names_the_path_of_a_bad_tax_field(self, tmp_path: Path) -> None:
        bad = tmp_path / "catalog.yaml"
        bad.write_text(SPEC_EXAMPLE.replace('rate: "19"', 'rate: "190"'), encoding="utf-8")

        result = CliRunner().invoke(app, ["catalog", "check", str(bad)])

        assert result.exit_code == 1
        assert "tax.rates[2].rate: must be between 0 and 100" in result.output

    def test_catalog_check_accepts_the_spec_example(self, tmp_path: Path) -> None:
        good = tmp_path / "catalog.yaml"
        good.write_text(SPEC_EXAMPLE, encoding="utf-8")

        result = CliRunner().invoke(app, ["catalog", "check", str(good)])

        assert result.exit_code == 0, result.output
