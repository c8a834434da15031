"""A receipt read through the API shows the tax of the invoice it pays, as that invoice has it;
a top-up's receipt has none (a prepaid top-up is not taxed when bought).

The catalog is the API tests' (Pro 10.00 a seat a month) with a French seller: France 20 %,
reverse charge in the EU.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import a_catalog, an_account, whole_list
from api.test_tax import (  # the taxed catalog, as the fixture of this module's tests too
    SELLER,
    TAX,
    catalog_data,  # noqa: F401
    subscribe_pro,
)


class TestReceiptTax:
    def test_a_receipt_shows_the_tax_of_the_invoice_it_pays(self, client: TestClient) -> None:
        """5 seats × 10.00 = 50.00 + 20 % = 10.00: 60.00, paid by card."""
        an_account(client, "paris", country="FR", address=["3 rue des Lilas", "75020 Paris"])
        subscribe_pro(client, "paris")
        (invoice,) = whole_list(client, "/v1/accounts/paris/invoices")

        (receipt,) = whole_list(client, "/v1/accounts/paris/receipts")

        assert receipt["invoice"] == invoice["number"]
        assert receipt["tax"] == invoice["tax"] == [
            {"rate": "20", "category": "standard", "taxable": "50.00", "amount": "10.00",
             "mention": None},
        ]  # fmt: skip
        assert (receipt["tax_total"], receipt["gross"], receipt["amount_paid"]) == (
            "10.00", "60.00", "60.00",
        )  # fmt: skip
        assert receipt["parties"]["buyer"]["address"] == ["3 rue des Lilas", "75020 Paris"]
        assert receipt["parties"]["seller"]["tax_id"] == "FR40303265045"

    def test_a_receipt_of_a_reverse_charged_invoice_has_the_mention(
        self, client: TestClient
    ) -> None:
        an_account(client, "club", country="DE", tax_id="DE136695976")
        subscribe_pro(client, "club")

        (receipt,) = whole_list(client, "/v1/accounts/club/receipts")

        assert receipt["tax"] == [
            {"rate": "0", "category": "reverse_charge", "taxable": "50.00", "amount": "0.00",
             "mention": "Reverse charge"},
        ]  # fmt: skip
        assert (receipt["tax_total"], receipt["gross"], receipt["amount_paid"]) == (
            "0.00", "50.00", "50.00",
        )  # fmt: skip

    def test_a_top_up_receipt_has_no_tax(self, client: TestClient) -> None:
        an_account(client, "paris", country="FR")
        subscribe_pro(client, "paris")
        response = client.post("/v1/accounts/paris/balance/top_ups", json={"amount": "50.00"})
        assert response.status_code == 201, response.text

        receipts = whole_list(client, "/v1/accounts/paris/receipts")
        (receipt,) = [r for r in receipts if r["invoice"] is None]

        assert (receipt["tax"], receipt["tax_total"], receipt["gross"]) == ([], "0.00", None)
        assert receipt["amount_paid"] == "50.00"
        assert receipt["parties"]["buyer"]["country"] == "FR"


class TestWithoutTax:
    @pytest.fixture
    def catalog_data(self) -> dict[str, Any]:
        return a_catalog()

    def test_a_receipt_has_no_tax_and_the_invoices_gross(self, client: TestClient) -> None:
        an_account(client, "acme")
        subscribe_pro(client, "acme")

        (receipt,) = whole_list(client, "/v1/accounts/acme/receipts")

        assert (receipt["tax"], receipt["tax_total"], receipt["gross"]) == ([], "0.00", "50.00")
        assert receipt["amount_paid"] == "50.00"


class TestPayingAnOpenInvoice:
    @pytest.fixture
    def catalog_data(self) -> dict[str, Any]:
        return a_catalog(seller=SELLER, tax=TAX, collection={"mode": "send_invoice",
                                                            "delay_days": 3})  # fmt: skip

    def test_the_receipt_paying_it_now_shows_its_tax(self, client: TestClient) -> None:
        an_account(client, "paris", country="FR")
        subscribe_pro(client, "paris")
        (invoice,) = whole_list(client, "/v1/accounts/paris/invoices")
        assert invoice["status"] == "open"

        response = client.post(f"/v1/invoices/{invoice['number']}/pay")

        assert response.status_code == 200, response.text
        receipt = response.json()["receipt"]
        assert receipt["tax"] == invoice["tax"]
        assert (receipt["tax_total"], receipt["gross"], receipt["amount_paid"]) == (
            "10.00", "60.00", "60.00",
        )  # fmt: skip
        assert whole_list(client, "/v1/accounts/paris/receipts") == [receipt]
