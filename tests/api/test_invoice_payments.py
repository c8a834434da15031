"""POST /v1/invoices/{number}/pay: paying an open invoice now.

The catalog here sends its invoices (collected 3 days after issue), so a new subscription's
invoice is open until then: acme has a Visa (`card`, primary) and a declined card (`declined`).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import DECLINED_CARD, a_catalog, error_of, subscribed, whole_list

ACCOUNT = "/v1/accounts/acme"


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    return a_catalog(collection={"mode": "send_invoice", "delay_days": 3})


def open_invoice(client: TestClient) -> str:
    subscribed(client)
    added = client.post(
        f"{ACCOUNT}/payment_methods", json={"card": DECLINED_CARD, "id": "declined"}
    )
    assert added.status_code == 201, added.text
    invoice = whole_list(client, f"{ACCOUNT}/invoices")[0]
    assert invoice["status"] == "open"
    number: str = invoice["number"]
    return number


class TestPayAnInvoice:
    def test_a_declined_card_is_a_402_then_another_card_pays_and_gets_a_receipt(
        self, client: TestClient
    ) -> None:
        number = open_invoice(client)

        refused = error_of(
            client.post(f"/v1/invoices/{number}/pay", json={"payment_method": "declined"}), 402
        )
        assert (refused["code"], refused["message"], refused["param"]) == (
            "payment_failed", "The payment failed: The card was declined.", "payment_method",
        )  # fmt: skip
        assert client.get(f"/v1/invoices/{number}").json()["status"] == "open"

        response = client.post(f"/v1/invoices/{number}/pay", json={"payment_method": "card"})

        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["invoice"]["number"], body["invoice"]["status"]) == (number, "paid")
        assert body["invoice"]["amount_paid"] == body["invoice"]["total"] == "50.00"
        assert (body["receipt"]["invoice"], body["receipt"]["payment_method"]) == (number, "card")
        assert body["receipt"]["amount_paid"] == "50.00"
        payments = whole_list(client, f"{ACCOUNT}/payments")
        assert [(p["payment_method"], p["status"]) for p in payments] == [
            ("declined", "failed"), ("card", "succeeded"),
        ]  # fmt: skip
        kinds = [m["kind"] for m in whole_list(client, f"{ACCOUNT}/messages")]
        assert kinds[-1] == "invoice.paid" and "payment.failed" in kinds

    def test_without_a_body_the_primary_card_pays(self, client: TestClient) -> None:
        number = open_invoice(client)

        response = client.post(f"/v1/invoices/{number}/pay")

        assert response.status_code == 200, response.text
        assert response.json()["receipt"]["payment_method"] == "card"

    def test_a_paid_invoice_is_a_409(self, client: TestClient) -> None:
        number = open_invoice(client)
        assert client.post(f"/v1/invoices/{number}/pay").status_code == 200

        error = error_of(client.post(f"/v1/invoices/{number}/pay"), 409)

        assert (error["type"], error["code"]) == ("conflict", "invoice_already_paid")

    def test_an_unknown_invoice_or_payment_method_is_a_404(self, client: TestClient) -> None:
        number = open_invoice(client)

        unknown = error_of(client.post("/v1/invoices/INV-2026-999999/pay"), 404)
        method = error_of(
            client.post(f"/v1/invoices/{number}/pay", json={"payment_method": "nope"}), 404
        )

        assert unknown["code"] == "unknown_invoice"
        assert (method["code"], method["param"]) == ("unknown_payment_method", "payment_method")

    def test_an_unknown_field_is_a_400(self, client: TestClient) -> None:
        number = open_invoice(client)

        error = error_of(client.post(f"/v1/invoices/{number}/pay", json={"card": "x"}), 400)

        assert error["param"] == "card"

    def test_openapi_lists_the_route_and_its_refusals(self, client: TestClient) -> None:
        operation = client.get("/openapi.json").json()["paths"]["/v1/invoices/{number}/pay"]["post"]

        assert {"200", "400", "401", "402", "403", "404", "409"} <= set(operation["responses"])
