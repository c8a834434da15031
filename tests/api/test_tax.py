"""Billing details and tax through the API: `invalid_tax_id`, and the documents' tax figures.

The catalog is the API tests' (Pro 10.00 a seat a month) with a French seller: France 20 %,
reverse charge in the EU.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import GOOD_CARD, a_catalog, an_account, error_of, whole_list

SELLER = {
    "name": "Association Software SAS",
    "address": ["12 rue Oberkampf", "75011 Paris"],
    "country": "FR",
    "tax_id": "FR40303265045",
}
TAX = {
    "prices": "exclusive",
    "rates": [{"country": "FR", "rate": "20"}, {"country": "DE", "rate": "19"}],
    "reverse_charge": ["DE", "FR", "IT"],
}


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    return a_catalog(seller=SELLER, tax=TAX)


def subscribe_pro(client: TestClient, account_id: str, quantity: int = 5) -> None:
    body = {"edition": "pro", "cycle": "month", "quantity": quantity, "trial": False}
    response = client.post("/v1/subscriptions", json={"account_id": account_id, **body})
    assert response.status_code == 201, response.text


class TestBillingDetails:
    def test_an_account_keeps_its_billing_details_with_the_tax_id_compacted(
        self, client: TestClient
    ) -> None:
        created = an_account(
            client, "club", card=None, country="DE", tax_id="DE 136 695 976",
            address=["Hauptstr. 1", "10115 Berlin"],
        )  # fmt: skip
        assert (created["country"], created["tax_id"], created["address"]) == (
            "DE", "DE136695976", ["Hauptstr. 1", "10115 Berlin"],
        )  # fmt: skip

    def test_invalid_tax_id_is_refused_with_invalid_tax_id_naming_the_field(
        self, client: TestClient
    ) -> None:
        response = client.post(
            "/v1/accounts",
            json={"id": "club", "name": "Club", "country": "DE", "tax_id": "DE136695977"},
        )
        error = error_of(response, 400)
        assert (error["code"], error["param"]) == ("invalid_tax_id", "tax_id")
        assert client.get("/v1/accounts/club").status_code == 404

    def test_updating_the_tax_id_checks_it_for_the_accounts_country(
        self, client: TestClient
    ) -> None:
        an_account(client, "club", card=None, country="FR")
        error = error_of(client.patch("/v1/accounts/club", json={"tax_id": "DE136695976"}), 400)
        assert (error["code"], error["param"]) == ("invalid_tax_id", "tax_id")
        updated = client.patch(
            "/v1/accounts/club", json={"country": "DE", "tax_id": "DE136695976", "region": "BE"}
        )
        assert updated.status_code == 200, updated.text
        assert (updated.json()["tax_id"], updated.json()["region"]) == ("DE136695976", "BE")

    def test_openapi_declares_invalid_tax_id_on_the_account_routes(
        self, client: TestClient
    ) -> None:
        paths = client.get("/openapi.json").json()["paths"]
        for method, path in (("post", "/v1/accounts"), ("patch", "/v1/accounts/{account_id}")):
            assert "invalid_tax_id" in paths[path][method]["responses"]["400"]["description"]


class TestTaxOnDocuments:
    def test_invoice_shows_tax_per_rate_tax_total_gross_and_parties(
        self, client: TestClient
    ) -> None:
        """5 seats × 10.00 = 50.00 + 20 % = 10.00: 60.00."""
        an_account(client, "paris", country="FR", address=["3 rue des Lilas", "75020 Paris"])
        subscribe_pro(client, "paris")
        (invoice,) = whole_list(client, "/v1/accounts/paris/invoices")
        assert invoice["tax"] == [
            {"rate": "20", "category": "standard", "taxable": "50.00", "amount": "10.00",
             "mention": None},
        ]  # fmt: skip
        assert (invoice["subtotal"], invoice["tax_total"], invoice["gross"], invoice["total"]) == (
            "50.00", "10.00", "60.00", "60.00",
        )  # fmt: skip
        assert invoice["parties"]["seller"]["tax_id"] == "FR40303265045"
        assert invoice["parties"]["buyer"]["address"] == ["3 rue des Lilas", "75020 Paris"]
        assert client.get(f"/v1/invoices/{invoice['number']}").json() == invoice

    def test_reverse_charge_for_valid_eu_business_id_shows_legal_mention(
        self, client: TestClient
    ) -> None:
        an_account(client, "club", card=GOOD_CARD, country="DE", tax_id="DE136695976")
        subscribe_pro(client, "club")
        (invoice,) = whole_list(client, "/v1/accounts/club/invoices")
        assert invoice["tax"] == [
            {"rate": "0", "category": "reverse_charge", "taxable": "50.00", "amount": "0.00",
             "mention": "Reverse charge"},
        ]  # fmt: skip
        assert invoice["total"] == "50.00"


class TestTaxReport:
    def test_tax_report_per_country_rate_and_category_as_json_and_csv(
        self, client: TestClient
    ) -> None:
        """Paris: 50.00 + 10.00 (20 %); Berlin: 50.00 reverse charged, both on 2026-01-31."""
        an_account(client, "paris", country="FR")
        subscribe_pro(client, "paris")
        an_account(client, "club", country="DE", tax_id="DE136695976")
        subscribe_pro(client, "club")
        response = client.get("/v1/reports/tax", params={"from": "2026-01-01", "to": "2026-01-31"})
        assert response.status_code == 200, response.text
        assert response.json() == {
            "from": "2026-01-01", "to": "2026-01-31", "currency": "EUR",
            "rows": [
                {"country": "DE", "rate": "0", "category": "reverse_charge", "taxable": "50.00",
                 "tax": "0.00", "invoices": 1, "credit_notes": 0},
                {"country": "FR", "rate": "20", "category": "standard", "taxable": "50.00",
                 "tax": "10.00", "invoices": 1, "credit_notes": 0},
            ],
            "taxable": "100.00", "tax": "10.00",
        }  # fmt: skip
        csv = client.get(
            "/v1/reports/tax", params={"from": "2026-01-01", "to": "2026-01-31", "format": "csv"}
        )
        assert csv.headers["content-type"].startswith("text/csv")
        assert csv.text.splitlines()[2] == "FR,20,standard,50.00,10.00,1,0,EUR"
        assert (
            client.get("/v1/reports/tax", params={"from": "2026-02-01", "to": "2026-02-28"}).json()[
                "rows"
            ]
            == []
        )

    def test_a_period_that_ends_before_it_starts_is_refused(self, client: TestClient) -> None:
        response = client.get("/v1/reports/tax", params={"from": "2026-02-01", "to": "2026-01-01"})
        assert error_of(response, 400)["param"] == "to"
