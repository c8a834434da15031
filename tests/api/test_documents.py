"""Invoices, credit notes, receipts, payments and in-app messages."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import (
    DECLINED_CARD,
    a_catalog,
    an_account,
    base_of,
    error_of,
    sqlite_only,
    subscribed,
    whole_list,
)

ACCOUNT = "/v1/accounts/acme"


class TestInvoices:
    def test_a_paid_subscription_lists_its_paid_invoice(self, client: TestClient) -> None:
        subscribed(client)

        invoices = whole_list(client, f"{ACCOUNT}/invoices")

        assert len(invoices) == 1
        invoice = invoices[0]
        assert (invoice["number"], invoice["status"], invoice["reason"]) == (
            "INV-2026-000001", "paid", "subscription_create",
        )  # fmt: skip
        assert (invoice["total"], invoice["amount_paid"], invoice["currency"]) == (
            "50.00", "50.00", "EUR",
        )  # fmt: skip
        lines = [
            (x["kind"], x["quantity"], x["unit_amount"], x["amount"]) for x in invoice["lines"]
        ]
        assert lines == [("subscription", 5, "10.00", "50.00")]

    def test_an_invoice_is_read_by_its_number(self, client: TestClient) -> None:
        subscribed(client)
        listed = whole_list(client, f"{ACCOUNT}/invoices")[0]

        response = client.get(f"/v1/invoices/{listed['number']}")

        assert response.status_code == 200
        assert response.json() == listed

    def test_an_unknown_invoice_is_not_found(self, client: TestClient) -> None:
        error = error_of(client.get("/v1/invoices/INV-2026-999999"), 404)

        assert (error["type"], error["code"]) == ("not_found", "unknown_invoice")

    @sqlite_only
    def test_an_unknown_status_filter_is_refused(self, client: TestClient) -> None:
        an_account(client)

        error = error_of(client.get(f"{ACCOUNT}/invoices?status=draft"), 400)

        assert error["param"] == "status"


class TestInvoicesSentForPayment:
    @pytest.fixture
    def catalog_data(self) -> dict[str, Any]:
        return a_catalog(collection={"mode": "send_invoice", "delay_days": 3})

    def test_a_sent_invoice_is_open_until_it_is_collected(self, client: TestClient) -> None:
        subscribed(client)

        open_ = whole_list(client, f"{ACCOUNT}/invoices", {"status": "open"})
        paid = whole_list(client, f"{ACCOUNT}/invoices", {"status": "paid"})

        assert [(i["number"], i["due_at"]) for i in open_] == [
            ("INV-2026-000001", "2026-02-03T10:00:00Z"),
        ]  # fmt: skip
        assert paid == []

    def test_the_invoice_is_paid_when_it_falls_due(self, client: TestClient) -> None:
        subscribed(client)

        client.post("/v1/test_clock/advance", json={"to": "2026-02-03T10:00:00Z"})

        paid = whole_list(client, f"{ACCOUNT}/invoices", {"status": "paid"})
        assert [i["number"] for i in paid] == ["INV-2026-000001"]
        assert whole_list(client, f"{ACCOUNT}/invoices", {"status": "open"}) == []


class TestCreditNotes:
    def test_a_cycle_change_credits_the_unused_month_on_a_credit_note(
        self, client: TestClient
    ) -> None:
        subscribed(client)
        client.post("/v1/test_clock/advance", json={"to": "2026-02-14T10:00:00Z"})

        result = client.post(f"{base_of(client)}/change", json={"cycle": "year"}).json()

        notes = whole_list(client, f"{ACCOUNT}/credit_notes")
        assert [n["number"] for n in notes] == [result["credit_note"]]
        note = notes[0]
        assert (note["invoice"], note["credit_to"], note["total"]) == (
            "INV-2026-000001", "credit_note", "25.00",
        )  # fmt: skip
        invoice = client.get(f"/v1/invoices/{result['invoice']}").json()
        assert (invoice["subtotal"], invoice["credits_applied"], invoice["total"]) == (
            "540.00", "25.00", "515.00",
        )  # fmt: skip

    def test_an_account_with_no_credit_has_no_credit_notes(self, client: TestClient) -> None:
        subscribed(client)

        assert whole_list(client, f"{ACCOUNT}/credit_notes") == []


class TestReceiptsAndPayments:
    def test_a_paid_invoice_has_a_receipt_naming_the_card(self, client: TestClient) -> None:
        subscribed(client)

        receipts = whole_list(client, f"{ACCOUNT}/receipts")

        assert [(r["invoice"], r["payment_method"], r["amount_paid"]) for r in receipts] == [
            ("INV-2026-000001", "card", "50.00"),
        ]  # fmt: skip
        assert receipts[0]["number"].startswith("RCT-2026-")

    def test_payments_list_successes_and_failures_in_time_order(self, client: TestClient) -> None:
        subscribed(client)
        client.post(f"{ACCOUNT}/payment_methods", json={"card": DECLINED_CARD, "id": "bad"})
        client.post(f"{ACCOUNT}/balance/top_ups", json={"amount": "20.00", "payment_method": "bad"})

        payments = whole_list(client, f"{ACCOUNT}/payments")

        seen = [(p["payment_method"], p["amount"], p["status"], p["invoice"]) for p in payments]
        assert seen == [
            ("card", "50.00", "succeeded", "INV-2026-000001"),
            ("bad", "20.00", "failed", None),
        ]
        assert payments[1]["failure_code"]


class TestMessages:
    def test_subscribing_posts_a_subscription_created_message(self, client: TestClient) -> None:
        subscribed(client)

        messages = whole_list(client, f"{ACCOUNT}/messages")

        created = [m for m in messages if m["kind"] == "subscription.created"]
        assert len(created) == 1
        assert created[0]["at"] == "2026-01-31T10:00:00Z"
        assert "Pro" in created[0]["text"]
        assert created[0]["payload"]["edition"] == "pro"

    def test_a_new_account_has_no_messages(self, client: TestClient) -> None:
        an_account(client)

        assert whole_list(client, f"{ACCOUNT}/messages") == []


@pytest.mark.parametrize("kind", ["invoices", "credit_notes", "receipts", "payments", "messages"])
def test_documents_of_an_unknown_account_are_not_found(client: TestClient, kind: str) -> None:
    error = error_of(client.get(f"/v1/accounts/nobody/{kind}"), 404)

    assert error["code"] == "unknown_account"
