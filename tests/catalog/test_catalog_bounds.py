"""Numbers a catalog may hold, and files no catalog is: what would otherwise be accepted and then
break every subscribe, read and change is refused when the catalog is loaded, with its path."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tierline.catalog import CatalogError, catalog_to_dict, load_catalog, parse_catalog, read_yaml
from tierline.cli import app

MINIMAL: dict[str, Any] = {
    "currency": "EUR",
    "quantity_unit": "seat",
    "cycles": [{"code": "month", "months": 1}, {"code": "fortnight", "days": 14}],
    "editions": [
        {"code": "pro", "rank": 1, "quantity": {"min": 1, "max": 50},
         "prices": [{"cycle": "month", "per_unit": "5.00"}]},
    ],
}  # fmt: skip


def with_value(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """The minimal catalog with the field at `path` set to `value` (sections made as needed)."""
    data = copy.deepcopy(MINIMAL)
    target: Any = data
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(target, dict) else target[key]
    target[path[-1]] = value
    return data


def issues(data: Any) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    return [str(issue) for issue in caught.value.issues]


BOUNDS = [
    (("cycles", 0, "months"), 120),
    (("cycles", 1, "days"), 3660),
    (("editions", 0, "trial_days"), 365),
    (("editions", 0, "quantity", "max"), 1_000_000),
    (("editions", 0, "quantity", "default"), 50),
    (("renewal", "lead_days"), 60),
    (("renewal", "retry_days"), [60]),
    (("collection", "delay_days"), 365),
]


class TestBounds:
    @pytest.mark.parametrize(
        ("path", "bound"), BOUNDS, ids=[".".join(map(str, p)) for p, _ in BOUNDS]
    )
    def test_a_number_at_its_bound_is_accepted(self, path: tuple[Any, ...], bound: Any) -> None:
        data = with_value(path, bound)
        if path[-1] == "max":
            data["editions"][0]["quantity"]["default"] = 1

        parse_catalog(data)

    @pytest.mark.parametrize(
        ("path", "value", "where", "bound"),
        [
            (("cycles", 0, "months"), 100000000000000000000, "cycles[0].months", 120),
            (("cycles", 0, "months"), 121, "cycles[0].months", 120),
            (("cycles", 1, "days"), 3661, "cycles[1].days", 3660),
            (("editions", 0, "trial_days"), 100000000000, "editions[0].trial_days", 365),
            (("editions", 0, "quantity", "min"), 10**30, "editions[0].quantity.min", 1_000_000),
            (("editions", 0, "quantity", "max"), 1_000_001, "editions[0].quantity.max", 1_000_000),
            (("renewal", "lead_days"), 1000000000, "renewal.lead_days", 60),
            (("renewal", "retry_days"), [1, 3, 61], "renewal.retry_days[2]", 60),
            (("collection", "delay_days"), 10**12, "collection.delay_days", 365),
        ],
        ids=["months in the sextillions", "months past ten years", "days past ten years",
             "a trial of three centuries", "a minimum past the ceiling",
             "a maximum past the ceiling", "lead days", "a retry", "a collection delay"],
    )  # fmt: skip
    def test_a_number_past_its_bound_is_refused_with_its_path(
        self, path: tuple[Any, ...], value: Any, where: str, bound: int
    ) -> None:
        assert issues(with_value(path, value)) == [f"{where}: must be at most {bound}"]

    def test_top_ups_are_at_most_10000_unless_the_catalog_says_otherwise(self) -> None:
        default = parse_catalog(MINIMAL).balance
        chosen = parse_catalog(with_value(("balance", "top_up_max"), "250.00")).balance
        unbounded = parse_catalog(with_value(("balance", "top_up_max"), None)).balance

        assert (default.top_up_max, chosen.top_up_max, unbounded.top_up_max) == (
            Decimal(10000), Decimal("250.00"), None,
        )  # fmt: skip

    def test_the_default_top_up_maximum_survives_storage(self) -> None:
        catalog = parse_catalog(MINIMAL)

        stored = catalog_to_dict(catalog)

        assert stored["balance"]["top_up_max"] == "10000"
        assert parse_catalog(stored) == catalog


@pytest.mark.usefixtures("each_yaml_reader")
class TestNesting:
    @pytest.mark.parametrize(
        "text",
        ["[" * 300 + "]" * 300, "[" * 300, "{a: " * 5000 + "}" * 5000,
         "a:\n" + "".join("  " * n + "- \n" for n in range(1, 1001))],
        ids=["closed lists", "unclosed lists", "flow mappings", "block lists"],
    )  # fmt: skip
    def test_a_file_nested_too_deep_is_refused_with_its_line_not_a_recursion_error(
        self, text: str
    ) -> None:
        with pytest.raises(CatalogError) as caught:
            read_yaml(text, "catalog.yaml")

        [issue] = caught.value.issues
        assert issue.path == "catalog.yaml"
        assert re.fullmatch(r"line \d+, column \d+: nested more than 32 levels deep", issue.message)

    def test_a_catalog_as_deep_as_any_real_one_is_read(self) -> None:
        text = "a:\n" + "".join("  " * n + "- \n" for n in range(1, 31))

        assert read_yaml(text) is not None

    def test_catalog_check_reports_a_deep_file_without_a_traceback(self, tmp_path: Path) -> None:
        path = tmp_path / "catalog.yaml"
        path.write_text("[" * 300 + "]" * 300, encoding="utf-8")

        result = CliRunner().invoke(app, ["catalog", "check", str(path)])

        assert result.exit_code == 1
        assert "nested more than 32 levels deep" in result.output
        assert "Traceback" not in result.output
        assert not isinstance(result.exception, RecursionError)


class TestNulCharacters:
    @pytest.mark.parametrize(
        ("yaml", "path"),
        [('name: "P\\0ro"', "editions[0].name"), ('code: "pr\\0o"', "editions[0].code")],
        ids=["a name", "a code"],
    )
    def test_a_nul_character_is_refused_with_the_path_of_its_field(
        self, tmp_path: Path, yaml: str, path: str
    ) -> None:
        file = tmp_path / "catalog.yaml"
        key = yaml.partition(":")[0]
        file.write_text(
            "currency: EUR\nquantity_unit: seat\ncycles: [{code: month, months: 1}]\n"
            f"editions:\n  - {{{yaml}, rank: 1, prices: [{{cycle: month, per_unit: '5.00'}}]"
            + ("" if key == "code" else ", code: pro")
            + "}\n",
            encoding="utf-8",
        )

        with pytest.raises(CatalogError) as caught:
            load_catalog(file)

        assert [str(i) for i in caught.value.issues] == [
            f"{path}: must not contain a NUL character"
        ]

    def test_a_nul_character_in_a_key_is_refused_with_the_path_of_its_mapping(self) -> None:
        data = with_value(("editions", 0, "limits"), {"sto\x00rage": 1})

        assert issues(data) == ["editions[0].limits: must not contain a NUL character"]
