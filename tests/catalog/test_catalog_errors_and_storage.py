from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tierline.catalog import (
    CatalogError,
    CatalogIssue,
    catalog_to_dict,
    format_issues,
    load_catalog,
    loader,
    parse_catalog,
)
from tierline.errors import Invalid

FULL_CATALOG = Path(__file__).with_name("full_catalog.yaml")
EXAMPLES = Path(__file__).parents[2] / "examples"

MINIMAL = {
    "currency": "EUR",
    "quantity_unit": "seat",
    "cycles": [{"code": "month", "months": 1}],
    "editions": [{"code": "pro", "rank": 1, "prices": [{"cycle": "month", "per_unit": "5.00"}]}],
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    return caught.value


class TestReporting:
    def test_all_errors_are_reported_at_once(self) -> None:
        data = {
            "currency": "EUR",
            "cycles": [{"code": "month", "months": "1"}],
            "editions": [
                {"code": "a", "rank": 1, "prices": [{"cycle": "month", "per_unit": 2.5}]},
                {"code": "b", "rank": 2, "colour": "red", "prices": [{"cycle": "month"}]},
            ],
        }

        with pytest.raises(CatalogError) as caught:
            parse_catalog(data)

        assert [str(issue) for issue in caught.value.issues] == [
            "quantity_unit: is required",
            "cycles[0].months: must be an integer",
            "editions[0].prices[0].per_unit: must be a decimal string",
            "editions[1].colour: unknown key",
        ]

    def test_all_consistency_errors_are_reported_at_once(self) -> None:
        data = {
            **MINIMAL,
            "cycles": [{"code": "month", "months": 1}, {"code": "month", "days": 7}],
            "editions": [
                {"code": "a", "rank": 1},
                {"code": "b", "rank": 2, "prices": [{"cycle": "year", "flat": "1.00"}]},
            ],
        }

        with pytest.raises(CatalogError) as caught:
            parse_catalog(data)

        assert [issue.path for issue in caught.value.issues] == [
            "cycles[1].code",
            "editions[0].prices",
            "editions[1].prices[0].cycle",
        ]

    def test_error_text_lists_one_issue_per_line(self) -> None:
        err = CatalogError([CatalogIssue("a", "bad"), CatalogIssue("b[0].c", "worse")])

        assert str(err) == "a: bad\nb[0].c: worse"

    def test_catalog_error_is_an_invalid_request_with_a_stable_code(self) -> None:
        err = CatalogError([CatalogIssue("editions[0].rank", "is required")])

        assert isinstance(err, Invalid)
        assert (err.code, err.param) == ("invalid_catalog", "editions[0].rank")

    def test_format_issues_names_the_source_and_counts_the_problems(self) -> None:
        err = CatalogError(
            [CatalogIssue("currency", "is required"), CatalogIssue("cycles", "must be a list")],
            source="shop.yaml",
        )

        assert format_issues(err) == (
            "shop.yaml: 2 problems\n  currency: is required\n  cycles: must be a list"
        )


@pytest.mark.usefixtures("each_yaml_reader")
class TestYamlFiles:
    def test_yaml_syntax_error_names_the_file_line_and_column(self, tmp_path: Path) -> None:
        path = write(tmp_path, "currency: EUR\ncycles: [month\n")

        err = refused(path)

        assert len(err.issues) == 1
        assert err.issues[0].path == str(path)
        assert err.issues[0].message.startswith("line 3, column 1: ")

    def test_duplicate_yaml_key_is_refused_instead_of_overwritten(self, tmp_path: Path) -> None:
        path = write(tmp_path, "currency: EUR\ncurrency: USD\n")

        assert [str(i) for i in refused(path).issues] == [
            f"{path}: line 2, column 1: duplicate key 'currency'"
        ]

    def test_a_date_that_does_not_exist_is_refused_with_its_line(self, tmp_path: Path) -> None:
        path = write(tmp_path, "currency: EUR\nstart: 2026-02-30\n")

        assert [str(i) for i in refused(path).issues] == [
            f"{path}: line 2, column 8: 2026-02-30 is not a date: day is out of range for month"
        ]

    def test_yaml_merge_keys_may_override_merged_values(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "currency: EUR\nquantity_unit: seat\n"
            "cycles: [{code: month, months: 1}]\n"
            "editions:\n"
            "  - &base {code: pro, rank: 1, prices: [{cycle: month, per_unit: '5.00'}]}\n"
            "  - {<<: *base, code: max, rank: 2}\n",
        )

        assert [e.code for e in load_catalog(path).editions] == ["pro", "max"]

    def test_empty_file_is_refused(self, tmp_path: Path) -> None:
        path = write(tmp_path, "# nothing yet\n")

        assert [str(i) for i in refused(path).issues] == [
            f"{path}: a catalog must be a mapping, found nothing"
        ]

    def test_missing_file_is_reported_as_a_catalog_error(self, tmp_path: Path) -> None:
        err = refused(tmp_path / "absent.yaml")

        assert err.issues[0].path == str(tmp_path / "absent.yaml")
        assert err.issues[0].message.startswith("cannot be read")


class TestStorage:
    def test_round_trip_through_dict_gives_same_catalog(self) -> None:
        catalog = load_catalog(FULL_CATALOG)

        stored = json.dumps(catalog_to_dict(catalog))

        assert parse_catalog(json.loads(stored)) == catalog

    def test_round_trip_of_a_minimal_catalog_writes_its_defaults(self) -> None:
        catalog = parse_catalog(MINIMAL)

        body = catalog_to_dict(catalog)

        assert parse_catalog(json.loads(json.dumps(body))) == catalog
        assert body["policies"]["upgrade"] == {
            "timing": "immediate",
            "proration": "prorate",
            "credit_to": "invoice",
        }
        assert body["editions"][0]["name"] == "Pro"

    def test_amounts_keep_their_written_form(self) -> None:
        body = catalog_to_dict(load_catalog(FULL_CATALOG))

        tiers = body["editions"][1]["prices"][1]["tiers"]
        assert tiers[0] == {"up_to": 500, "flat": "290.00"}
        assert tiers[2] == {"up_to": None, "per_unit": "0.45"}
        assert body["policies"]["transitions"][0]["from"] == ["professional", "serenity"]

    @given(
        per_unit=st.decimals(min_value=0, max_value=10**9, places=7),
        flat=st.decimals(min_value=0, max_value=10**9, places=2),
        discount=st.decimals(min_value=0, max_value=100, places=4),
    )
    def test_any_valid_amount_survives_the_round_trip(
        self, per_unit: Decimal, flat: Decimal, discount: Decimal
    ) -> None:
        data: dict[str, Any] = {
            **MINIMAL,
            "cycles": [
                {"code": "month", "months": 1},
                {"code": "year", "months": 12, "discount_percent": format(discount, "f")},
            ],
            "editions": [
                {
                    "code": "pro",
                    "rank": 1,
                    "prices": [
                        {"cycle": "month", "per_unit": format(per_unit, "f")},
                        {"cycle": "year", "flat": format(flat, "f")},
                    ],
                }
            ],
        }
        catalog = parse_catalog(data)

        assert parse_catalog(json.loads(json.dumps(catalog_to_dict(catalog)))) == catalog


def test_every_way_of_reading_yaml_reads_every_example_alike() -> None:
    files = [FULL_CATALOG, *sorted(EXAMPLES.glob("*/*.yaml"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        read = [yaml.load(text, Loader=reader) for reader in loader.YAML_LOADERS]
        assert all(each == read[0] for each in read), path
