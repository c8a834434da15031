"""Several currencies through HTTP: an account is created in one of the catalog's currencies and
everything it is billed is in it; a quote is asked in a currency.

The catalog is `a_catalog()` sold in EUR and GBP: Pro 10.00 EUR / 8.00 GBP a seat a month
(108.00 / 90.00 a year), Max 99.00 / 85.00 flat, storage 5.00 / 4.00 a pack, SMS 0.05 / 0.04.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import a_catalog, an_account, error_of, sqlite_only, whole_list


def two_currencies() -> dict[str, Any]:
    data = a_catalog(currencies=["EUR", "GBP"])
    pro, top = data["editions"][1], data["editions"][2]
    pro["prices"] = [
        {"cycle": "month", "per_unit": {"EUR": "10.00", "GBP": "8.00"}},
        {"cycle": "year", "per_unit": {"EUR": "108.00", "GBP": "90.00"}},
    ]
    top["prices"] = [
        {"cycle": "month", "flat": {"EUR": "99.00", "GBP": "85.00"}},
        {"cycle": "year", "flat": {"EUR": "999.00", "GBP": "850.00"}},
    ]
    storage, audit = data["addons"]
    storage["prices"] = [
        {"cycle": "month", "per_unit": {"EUR": "5.00", "GBP": "4.00"}},
        {"cycle": "year", "per_unit": {"EUR": "50.00", "GBP": "40.00"}},
    ]
    audit["prices"] = [
        {"cycle": "month", "flat": {"EUR": "20.00", "GBP": "17.00"}},
        {"cycle": "year", "flat": {"EUR": "200.00", "GBP": "170.00"}},
    ]
    data["meters"] = [{"code": "sms", "name": "SMS", "unit_price": {"EUR": "0.05", "GBP": "0.04"}}]
    data["balance"] = {"top_up_min": {"EUR": "10.00", "GBP": "10.00"}}
    return data


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    return two_currencies()


class TestAccountCurrency:
    def test_an_account_is_created_in_the_currency_asked(self, client: TestClient) -> None:
        account = an_account(client, "club", card=None, currency="GBP")

        assert account["currency"] == "GBP"
        assert client.get("/v1/accounts/club").json()["currency"] == "GBP"

    @sqlite_only
    def test_without_a_currency_an_account_takes_the_catalogs(self, client: TestClient) -> None:
        assert an_account(client, "atelier", card=None)["currency"] == "EUR"

    @sqlite_only
    @pytest.mark.parametrize("currency", ["USD", "pounds", ""])
    def test_a_currency_the_catalog_does_not_sell_in_is_refused_naming_it(
        self, client: TestClient, currency: str
    ) -> None:
        response = client.post(
            "/v1/accounts", json={"id": "club", "name": "Club", "currency": currency}
        )

        error = error_of(response, 400)
        assert (error["code"], error["param"]) == ("unsupported_currency", "currency")
        assert error_of(client.get("/v1/accounts/club"), 404)["code"] == "unknown_account"

    @sqlite_only
    def test_the_currency_cannot_be_changed_later(self, client: TestClient) -> None:
        an_account(client, "club", card=None, currency="GBP")

        error = error_of(client.patch("/v1/accounts/club", json={"currency": "EUR"}), 400)

        assert error["param"] == "currency"
        assert client.get("/v1/accounts/club").json()["currency"] == "GBP"

    def test_documents_payments_and_balance_are_in_the_accounts_currency(
        self, client: TestClient
    ) -> None:
        """5 Pro seats × 8.00 GBP = 40.00; a 10.00 top-up; 100 SMS × 0.04 = 4.00."""
        an_account(client, "club", currency="GBP")
        body = {"edition": "pro", "cycle": "month", "quantity": 5, "trial": False}
        assert (
            client.post("/v1/subscriptions", json={"account_id": "club", **body}).status_code == 201
        )
        assert client.post("/v1/accounts/club/balance/top_ups", json={"amount": "10.00"}).is_success
        usage = client.post("/v1/accounts/club/usage", json={"meter": "sms", "quantity": 100})

        (invoice,) = whole_list(client, "/v1/accounts/club/invoices")
        payments = whole_list(client, "/v1/accounts/club/payments")
        receipts = whole_list(client, "/v1/accounts/club/receipts")
        balance = client.get("/v1/accounts/club/balance").json()
        assert (invoice["currency"], invoice["total"]) == ("GBP", "40.00")
        assert [(p["currency"], p["amount"]) for p in payments] == [
            ("GBP", "40.00"),
            ("GBP", "10.00"),
        ]
        assert {r["currency"] for r in receipts} == {"GBP"}
        assert (usage.json()["fee"], usage.json()["currency"]) == ("4.00", "GBP")
        assert balance == {"balance": "6.00", "currency": "GBP"}
        number = invoice["number"]
        assert client.get(f"/v1/invoices/{number}").json()["currency"] == "GBP"


class TestQuoteInACurrency:
    def test_a_quote_is_in_the_currency_asked(self, client: TestClient) -> None:
        response = client.get(
            "/v1/catalog/quote",
            params={"edition": "pro", "cycle": "year", "quantity": 3, "currency": "GBP"},
        )

        assert response.status_code == 200
        assert response.json() == {
            "edition": "pro", "cycle": "year", "quantity": 3, "unit_amount": "90.00",
            "total": "270.00", "per_month": "22.50", "discount_percent": "10", "currency": "GBP",
        }  # fmt: skip

    @sqlite_only
    def test_a_quote_without_a_currency_is_in_the_catalogs(self, client: TestClient) -> None:
        quote = client.get("/v1/catalog/quote", params={"edition": "max", "cycle": "month"})

        assert (quote.json()["total"], quote.json()["currency"]) == ("99.00", "EUR")

    @sqlite_only
    def test_a_quote_may_be_asked_with_a_json_body(self, client: TestClient) -> None:
        body = {"edition": "max", "cycle": "month", "currency": "GBP"}

        response = client.post("/v1/catalog/quote", json=body)

        assert response.status_code == 200
        assert (response.json()["total"], response.json()["currency"]) == ("85.00", "GBP")

    @sqlite_only
    def test_a_quote_in_a_currency_not_sold_is_refused_naming_it(self, client: TestClient) -> None:
        params = {"edition": "pro", "cycle": "month", "currency": "USD"}

        for response in (
            client.get("/v1/catalog/quote", params=params),
            client.post("/v1/catalog/quote", json=params),
        ):
            error = error_of(response, 400)
            assert (error["code"], error["param"]) == ("unsupported_currency", "currency")

    @sqlite_only
    def test_a_malformed_quote_body_is_refused_naming_the_field(self, client: TestClient) -> None:
        error = error_of(client.post("/v1/catalog/quote", json={"cycle": "month"}), 400)

        assert (error["code"], error["param"]) == ("invalid_request", "edition")


@sqlite_only
def test_the_catalog_is_served_with_its_currencies_and_mapped_amounts(
    client: TestClient,
) -> None:
    catalog = client.get("/v1/catalog").json()

    assert (catalog["currency"], catalog["currencies"]) == ("EUR", ["EUR", "GBP"])
    assert catalog["meters"][0]["unit_price"] == {"EUR": "0.05", "GBP": "0.04"}


@sqlite_only
def test_a_tax_report_is_asked_in_one_of_the_catalogs_currencies(client: TestClient) -> None:
    params = {"from": "2026-01-01", "to": "2026-01-31"}

    report = client.get("/v1/reports/tax", params={**params, "currency": "GBP"})
    refused = client.get("/v1/reports/tax", params={**params, "currency": "USD"})

    assert (report.status_code, report.json()["currency"]) == (200, "GBP")
    error = error_of(refused, 400)
    assert (error["code"], error["param"]) == ("unsupported_currency", "currency")
