"""The catalog: reading it, replacing it from YAML, price quotes and the plan summary."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from api.builders import a_catalog, base_of, error_of, sqlite_only, subscribed, whole_list

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
        assert response.json() == {
            "version": 2, "existing": "keep", "moved": 0, "kept": 0, "announced": 0,
        }  # fmt: skip
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
            (("renewal", "price_change_notice_days"), 366, "renewal.price_change_notice_days",
             365),
        ],
        ids=["months beyond any calendar", "months past ten years", "trial days",
             "lead days", "a retry", "collection delay", "a quantity maximum",
             "price change notice"],
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
        assert client.get(base_of(client)).status_code == 200
        change = client.post(f"{base_of(client)}/change", json={"quantity": 6})
        assert change.status_code == 200, change.text

    def test_a_nul_character_in_the_catalog_is_refused_naming_its_field(
        self, client: TestClient
    ) -> None:
        text = yaml.safe_dump(a_catalog()).replace("name: Pro", 'name: "P\\0ro"')

        error = error_of(client.put("/v1/catalog", content=text, headers=YAML), 400)

        assert (error["code"], error["param"]) == ("invalid_catalog", "editions[1].name")
        assert client.get("/v1/catalog").json()["editions"][1]["name"] == "Pro"


def pro_at(per_unit: str) -> str:
    """The catalog with Pro at `per_unit` a seat a month, as YAML."""
    data = a_catalog()
    data["editions"][1]["prices"][0]["per_unit"] = per_unit
    return yaml.safe_dump(data)


class TestCatalogVersions:
    """acme pays for Pro × 5 seats monthly (5 × 10.00 = 50.00) from Jan 31 10:00; the operator
    raises Pro to 12.00 a seat (60.00) on the same day."""

    def test_keep_leaves_the_subscription_at_the_price_it_was_sold_at(
        self, client: TestClient
    ) -> None:
        subscribed(client)

        response = client.put("/v1/catalog", params={"existing": "keep"}, content=pro_at("12.00"),
                              headers=YAML)  # fmt: skip

        assert response.status_code == 200, response.text
        assert response.json() == {
            "version": 2, "existing": "keep", "moved": 0, "kept": 1, "announced": 0,
        }  # fmt: skip
        advanced = client.post("/v1/test_clock/advance", json={"to": "2026-03-01T00:00:00Z"})
        assert advanced.status_code == 200, advanced.text
        invoices = whole_list(client, "/v1/accounts/acme/invoices")
        assert [i["total"] for i in invoices] == ["50.00", "50.00"]  # the renewal on Feb 28

    def test_next_renewal_announces_the_new_price_for_a_renewal_30_days_away(
        self, client: TestClient
    ) -> None:
        subscribed(client)

        response = client.put("/v1/catalog", params={"existing": "next_renewal"},
                              content=pro_at("12.00"), headers=YAML)  # fmt: skip

        assert response.json()["announced"] == 1
        [notice] = [
            m for m in whole_list(client, "/v1/accounts/acme/messages")
            if m["kind"] == "subscription.price_changing"
        ]  # fmt: skip
        # Jan 31 + 30 days = Mar 2: the renewal on Feb 28 is too close, the one on Mar 31 is not.
        assert (notice["payload"]["old_amount"], notice["payload"]["new_amount"]) == (
            "50.00", "60.00",
        )  # fmt: skip
        assert notice["payload"]["effective_at"].startswith("2026-03-31T10:00:00")
        advanced = client.post("/v1/test_clock/advance", json={"to": "2026-04-01T00:00:00Z"})
        assert advanced.status_code == 200, advanced.text
        invoices = whole_list(client, "/v1/accounts/acme/invoices")
        assert [i["total"] for i in invoices] == ["50.00", "50.00", "60.00"]

    def test_an_unknown_choice_for_existing_subscriptions_is_refused(
        self, client: TestClient
    ) -> None:
        response = client.put("/v1/catalog", params={"existing": "always"},
                              content=pro_at("12.00"), headers=YAML)  # fmt: skip

        error = error_of(response, 400)
        assert (error["code"], error["param"]) == ("invalid_request", "existing")
        assert client.get("/v1/catalog/versions").json()["data"][0]["version"] == 1

    def test_the_versions_are_listed_newest_first(self, client: TestClient) -> None:
        client.put("/v1/catalog", params={"existing": "next_renewal"}, content=pro_at("12.00"),
                   headers=YAML)  # fmt: skip

        versions = whole_list(client, "/v1/catalog/versions")

        assert [(v["version"], v["existing"], v["current"]) for v in versions] == [
            (2, "next_renewal", True), (1, None, False),
        ]  # fmt: skip
        assert versions[0]["created_at"] == "2026-01-31T10:00:00Z"

    def test_the_versions_are_paged_by_their_number(self, client: TestClient) -> None:
        client.put("/v1/catalog", content=pro_at("12.00"), headers=YAML)
        client.put("/v1/catalog", content=pro_at("13.00"), headers=YAML)

        first = client.get("/v1/catalog/versions", params={"limit": 2}).json()
        rest = client.get("/v1/catalog/versions", params={"starting_after": "2"}).json()

        assert ([v["version"] for v in first["data"]], first["has_more"]) == ([3, 2], True)
        assert ([v["version"] for v in rest["data"]], rest["has_more"]) == ([1], False)

    def test_the_versions_need_an_operator_key(self, anonymous: TestClient) -> None:
        assert error_of(anonymous.get("/v1/catalog/versions"), 401)["code"]


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
