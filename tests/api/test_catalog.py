"""The catalog: reading it, replacing it from YAML, price quotes and the plan summary."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from api.builders import a_catalog, error_of, sqlite_only, subscribed, whole_list

YAML = {"Content-Type": "application/yaml"}


class TestReadCatalog:
    def test_the_catalog_is_served_in_the_catalog_file_format(self, client: TestClient) -> None:
        response = client.get("/v1/catalog")

        assert response.status_code == 200
        catalog = response.json()
        assert catalog["currency"] == "EUR"
        assert [e["code"] for e in catalog["editions"]] == ["free", "pro", "max"]
        assert [a["code"] for a in catalog["addons"]] == ["storage", "audit"]


class TestReplaceCatalog:
    def test_a_valid_yaml_catalog_becomes_the_next_version(self, client: TestClient) -> None:
        data = a_catalog()
        data["editions"][1]["prices"][0]["per_unit"] = "12.00"

        response = client.put("/v1/catalog", content=yaml.safe_dump(data), headers=YAML)

        assert response.status_code == 200
        assert response.json() == {"version": 2}
        quote = client.get("/v1/catalog/quote", params={"edition": "pro", "cycle": "month"})
        assert quote.json()["unit_amount"] == "12.00"

    def test_a_catalog_with_a_bad_field_is_refused_with_its_path(self, client: TestClient) -> None:
        data = a_catalog()
        data["editions"][1]["prices"][0]["cycle"] = "fortnight"

        response = client.put("/v1/catalog", content=yaml.safe_dump(data), headers=YAML)

        error = error_of(response, 400)
        assert error["code"] == "invalid_catalog"
        assert error["param"] == "editions[1].prices[0].cycle"
        assert "fortnight" in error["message"]
        assert client.get("/v1/catalog").json()["editions"][1]["prices"][0]["cycle"] == "month"

    @sqlite_only
    @pytest.mark.parametrize(
        "text",
        ["currency: [EUR", "just a string", "", "currency: EUR\ncurrency: USD\n"],
        ids=["broken yaml", "not a mapping", "empty", "duplicate key"],
    )
    def test_text_that_is_not_a_catalog_is_refused(self, client: TestClient, text: str) -> None:
        error = error_of(client.put("/v1/catalog", content=text, headers=YAML), 400)

        assert error["code"] in {"invalid_catalog", "invalid_request"}

    @sqlite_only
    @pytest.mark.parametrize(
        "text",
        ["[" * 300 + "]" * 300, "{a: " * 300 + "}" * 300,
         "a:\n" + "".join("  " * n + "- \n" for n in range(1, 301))],
        ids=["flow lists", "flow mappings", "block lists"],
    )  # fmt: skip
    def test_a_catalog_nested_too_deep_is_refused_with_a_clear_error(
        self, client: TestClient, text: str
    ) -> None:
        error = error_of(client.put("/v1/catalog", content=text, headers=YAML), 400)

        assert error["code"] == "invalid_catalog"
        assert "nested more than 32 levels deep" in error["message"]

    @pytest.mark.parametrize(
        ("path", "value", "param", "bound"),
        [
            (("cycles", 0, "months"), 100000000000000000000, "cycles[0].months", 120),
            (("cycles", 0, "months"), 121, "cycles[0].months", 120),
            (("editions", 1, "trial_days"), 100000000000, "editions[1].trial_days", 365),
            (("renewal", "lead_days"), 1000000000, "renewal.lead_days", 60),
            (("renewal", "retry_days", 1), 61, "renewal.retry_days[1]", 60),
            (("collection", "delay_days"), 366, "collection.delay_days", 365),
            (("editions", 2, "quantity", "max"), 1000001, "editions[2].quantity.max", 1000000),
        ],
        ids=["months beyond any calendar", "months past ten years", "trial days",
             "lead days", "a retry", "collection delay", "a quantity maximum"],
    )  # fmt: skip
    def test_a_number_past_its_bound_is_refused_with_its_path_and_the_catalog_kept(
        self, client: TestClient, path: tuple[Any, ...], value: int, param: str, bound: int
    ) -> None:
        subscribed(client)
        data = a_catalog(renewal={"retry_days": [1, 3, 5]}, collection={"delay_days": 0})
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

        error = error_of(client.put("/v1/catalog", content=yaml.safe_dump(data), headers=YAML), 400)

        assert (error["code"], error["param"]) == ("invalid_catalog", param)
        assert error["message"] == f"{param}: must be at most {bound}"
        assert client.get("/v1/accounts/acme/subscription").status_code == 200
        change = client.post("/v1/accounts/acme/subscription/change", json={"quantity": 6})
        assert change.status_code == 200, change.text

    def test_a_nul_character_in_the_catalog_is_refused_naming_its_field(
        self, client: TestClient
    ) -> None:
        text = yaml.safe_dump(a_catalog()).replace("name: Pro", 'name: "P\\0ro"')

        error = error_of(client.put("/v1/catalog", content=text, headers=YAML), 400)

        assert (error["code"], error["param"]) == ("invalid_catalog", "editions[1].name")
        assert client.get("/v1/catalog").json()["editions"][1]["name"] == "Pro"


class TestQuote:
    def test_a_quote_is_price_times_quantity_with_the_cycle_discount(
        self, client: TestClient
    ) -> None:
        response = client.get(
            "/v1/catalog/quote", params={"edition": "pro", "cycle": "year", "quantity": 3}
        )

        assert response.status_code == 200
        assert response.json() == {
            "edition": "pro", "cycle": "year", "quantity": 3, "unit_amount": "108.00",
            "total": "324.00", "per_month": "27.00", "discount_percent": "10", "currency": "EUR",
        }  # fmt: skip

    @sqlite_only
    def test_a_quote_without_quantity_uses_the_edition_default(self, client: TestClient) -> None:
        quote = client.get("/v1/catalog/quote", params={"edition": "pro", "cycle": "month"}).json()

        assert (quote["quantity"], quote["total"]) == (5, "50.00")

    @sqlite_only
    @pytest.mark.parametrize(
        ("params", "code", "param"),
        [
            ({"edition": "gold", "cycle": "month"}, "unknown_edition", "edition"),
            ({"edition": "pro", "cycle": "week"}, "unknown_cycle", "cycle"),
            ({"edition": "pro", "cycle": "month", "quantity": 51}, "quantity_out_of_range",
             "quantity"),
            ({"edition": "pro", "cycle": "month", "quantity": -1}, "invalid_request", "quantity"),
            ({"edition": "pro", "cycle": "month", "quantity": "x"}, "invalid_request", "quantity"),
            ({"cycle": "month"}, "invalid_request", "edition"),
        ],
        ids=["unknown edition", "unknown cycle", "too many seats", "negative quantity",
             "quantity not a number", "missing edition"],
    )  # fmt: skip
    def test_a_bad_quote_is_refused_naming_the_field(
        self, client: TestClient, params: dict[str, Any], code: str, param: str
    ) -> None:
        error = error_of(client.get("/v1/catalog/quote", params=params), 400)

        assert (error["code"], error["param"]) == (code, param)


class TestQuoteBounds:
    @pytest.fixture
    def catalog_data(self) -> dict[str, Any]:
        """Max is priced per seat with no maximum of its own."""
        data = a_catalog()
        data["editions"][2]["prices"] = [{"cycle": "month", "per_unit": "99.00"}]
        return data

    @sqlite_only
    @pytest.mark.parametrize(
        "quantity", ["10000000000000000000000000", str(2**63), "1000001"],
        ids=["26 digits", "two to the 63", "one past the ceiling"],
    )  # fmt: skip
    def test_a_quantity_past_the_ceiling_is_refused_not_priced(
        self, client: TestClient, quantity: str
    ) -> None:
        params = {"edition": "max", "cycle": "month", "quantity": quantity}

        error = error_of(client.get("/v1/catalog/quote", params=params), 400)

        assert (error["code"], error["param"]) == ("quantity_out_of_range", "quantity")
        assert "at most 1000000" in error["message"]

    @sqlite_only
    def test_the_ceiling_itself_is_priced(self, client: TestClient) -> None:
        params = {"edition": "max", "cycle": "month", "quantity": "1000000"}

        quote = client.get("/v1/catalog/quote", params=params).json()

        assert quote["total"] == "99000000.00"


class TestPlanSummary:
    def test_the_summary_counts_live_subscriptions_and_units_per_edition(
        self, client: TestClient
    ) -> None:
        subscribed(client, "a1", quantity=5)
        subscribed(client, "a2", quantity=7)
        subscribed(client, "a3", edition="max", quantity=1)

        summary = whole_list(client, "/v1/plans/summary")

        assert [(s["edition"], s["subscriptions"], s["units"]) for s in summary] == [
            ("free", 0, 0), ("pro", 2, 12), ("max", 1, 1),
        ]  # fmt: skip
