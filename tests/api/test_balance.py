"""The prepaid balance: reading it, topping it up by card, and metered usage paid from it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import DECLINED_CARD, an_account, error_of, sqlite_only, subscribed, whole_list

BALANCE = "/v1/accounts/acme/balance"
TOP_UPS = "/v1/accounts/acme/balance/top_ups"
USAGE = "/v1/accounts/acme/usage"


class TestReadBalance:
    def test_a_new_account_has_a_zero_balance(self, client: TestClient) -> None:
        an_account(client)

        assert client.get(BALANCE).json() == {"balance": "0.00", "currency": "EUR"}

    @pytest.mark.parametrize("path", ["balance", "balance/transactions"])
    def test_the_balance_of_an_unknown_account_is_not_found(
        self, client: TestClient, path: str
    ) -> None:
        error = error_of(client.get(f"/v1/accounts/nobody/{path}"), 404)

        assert error["code"] == "unknown_account"


class TestTopUp:
    def test_a_top_up_charges_the_card_and_adds_to_the_balance(self, client: TestClient) -> None:
        subscribed(client)

        response = client.post(TOP_UPS, json={"amount": "50.00"})

        assert response.status_code == 201
        assert response.json() == {"balance": "50.00", "currency": "EUR"}
        assert client.get(BALANCE).json()["balance"] == "50.00"
        transactions = whole_list(client, f"{BALANCE}/transactions")
        assert [(t["kind"], t["amount"]) for t in transactions] == [("top_up", "50.00")]
        assert [p["amount"] for p in whole_list(client, "/v1/accounts/acme/payments")] == [
            "50.00", "50.00",
        ]  # fmt: skip

    @sqlite_only
    @pytest.mark.parametrize(
        "amount", ["5.00", "0", "-10.00", "abc", "10.001", "NaN", "Infinity", ""]
    )
    def test_an_amount_that_is_not_a_valid_top_up_is_refused(
        self, client: TestClient, amount: str
    ) -> None:
        subscribed(client)

        error = error_of(client.post(TOP_UPS, json={"amount": amount}), 400)

        assert (error["code"], error["param"]) == ("invalid_amount", "amount")
        assert client.get(BALANCE).json()["balance"] == "0.00"

    @sqlite_only
    @pytest.mark.parametrize(
        ("body", "param"),
        [({}, "amount"), ({"amount": 50}, "amount"), ({"amount": "50.00", "card": "x"}, "card")],
        ids=["missing amount", "amount as a number", "unknown field"],
    )
    def test_a_bad_top_up_body_is_refused_naming_the_field(
        self, client: TestClient, body: dict[str, Any], param: str
    ) -> None:
        subscribed(client)

        error = error_of(client.post(TOP_UPS, json=body), 400)

        assert (error["code"], error["param"]) == ("invalid_request", param)

    def test_the_free_edition_cannot_be_topped_up(self, client: TestClient) -> None:
        an_account(client)
        client.post(
            "/v1/subscriptions", json={"account_id": "acme", "edition": "free", "cycle": "month"}
        )

        error = error_of(client.post(TOP_UPS, json={"amount": "50.00"}), 403)

        assert (error["type"], error["code"]) == ("not_allowed", "top_up_not_allowed")

    def test_an_account_without_a_subscription_cannot_be_topped_up(
        self, client: TestClient
    ) -> None:
        an_account(client)

        error = error_of(client.post(TOP_UPS, json={"amount": "50.00"}), 403)

        assert error["code"] == "top_up_not_allowed"

    def test_a_sales_managed_account_cannot_top_up_online(self, client: TestClient) -> None:
        subscribed(client)
        client.patch("/v1/accounts/acme", json={"sales_managed": True})

        error = error_of(client.post(TOP_UPS, json={"amount": "50.00"}), 403)

        assert error["code"] == "sales_managed"

    def test_a_declined_card_refuses_the_top_up_and_leaves_the_balance(
        self, client: TestClient
    ) -> None:
        subscribed(client)
        client.post("/v1/accounts/acme/payment_methods", json={"card": DECLINED_CARD, "id": "bad"})

        response = client.post(TOP_UPS, json={"amount": "50.00", "payment_method": "bad"})

        error = error_of(response, 402)
        assert (error["type"], error["code"]) == ("payment_error", "payment_failed")
        assert client.get(BALANCE).json()["balance"] == "0.00"
        payments = whole_list(client, "/v1/accounts/acme/payments")
        assert [(p["payment_method"], p["status"]) for p in payments][-1] == ("bad", "failed")

    def test_an_unknown_payment_method_is_not_found(self, client: TestClient) -> None:
        subscribed(client)

        response = client.post(TOP_UPS, json={"amount": "50.00", "payment_method": "nope"})

        assert error_of(response, 404)["param"] == "payment_method"

    @sqlite_only
    @pytest.mark.parametrize(
        "amount",
        ["1e3", "1E3", "1_0.00", " 10.00 ", "10.00 ", "\u0661\u0660", "\uff11\uff10", "1,000.00",
         "1 000.00", "+10.00", "10.", ".50", "0x10", "10,00"],
        ids=["exponent", "capital exponent", "underscore", "spaces around", "trailing space",
             "Arabic-Indic digits", "full-width digits", "thousands comma", "thousands space",
             "plus sign", "trailing point", "no whole part", "hexadecimal", "decimal comma"],
    )  # fmt: skip
    def test_an_amount_not_written_as_plain_digits_is_refused_not_read_as_another(
        self, client: TestClient, amount: str
    ) -> None:
        subscribed(client)

        error = error_of(client.post(TOP_UPS, json={"amount": amount}), 400)

        assert (error["code"], error["param"]) == ("invalid_amount", "amount")
        assert client.get(BALANCE).json()["balance"] == "0.00"
        assert [p["amount"] for p in whole_list(client, "/v1/accounts/acme/payments")] == ["50.00"]

    def test_a_top_up_above_the_default_maximum_of_10000_is_refused_before_any_charge(
        self, client: TestClient
    ) -> None:
        subscribed(client)

        refused = error_of(client.post(TOP_UPS, json={"amount": "999999999999"}), 400)
        accepted = client.post(TOP_UPS, json={"amount": "10000.00"})

        assert (refused["code"], refused["param"]) == ("invalid_amount", "amount")
        assert "at most 10000" in refused["message"]
        assert accepted.status_code == 201, accepted.text
        assert client.get(BALANCE).json()["balance"] == "10000.00"
        payments = whole_list(client, "/v1/accounts/acme/payments")
        assert [p["amount"] for p in payments] == ["50.00", "10000.00"]

    def test_a_top_up_paid_by_card_gets_a_receipt_for_no_invoice(self, client: TestClient) -> None:
        subscribed(client)

        client.post(TOP_UPS, json={"amount": "50.00"})

        receipts = whole_list(client, "/v1/accounts/acme/receipts")
        top_up = [r for r in receipts if r["invoice"] is None]
        assert [(r["amount_paid"], r["payment_method"], r["lines"]) for r in top_up] == [
            ("50.00", "card", []),
        ]  # fmt: skip

    def test_topping_up_an_unknown_account_is_not_found(self, client: TestClient) -> None:
        response = client.post("/v1/accounts/nobody/balance/top_ups", json={"amount": "50.00"})

        assert error_of(response, 404)["code"] == "unknown_account"


class TestUsage:
    def test_usage_is_paid_from_the_balance(self, client: TestClient) -> None:
        subscribed(client)
        client.post(TOP_UPS, json={"amount": "10.00"})

        response = client.post(USAGE, json={"meter": "sms", "quantity": 100})

        assert response.status_code == 201
        assert response.json() == {
            "meter": "sms", "quantity": 100, "fee": "5.00", "balance": "5.00", "currency": "EUR",
        }  # fmt: skip
        transactions = whole_list(client, f"{BALANCE}/transactions")
        assert [(t["kind"], t["amount"]) for t in transactions] == [
            ("top_up", "10.00"), ("usage", "-5.00"),
        ]  # fmt: skip

    def test_usage_costing_more_than_the_balance_is_refused(self, client: TestClient) -> None:
        subscribed(client)
        client.post(TOP_UPS, json={"amount": "10.00"})

        error = error_of(client.post(USAGE, json={"meter": "sms", "quantity": 201}), 402)

        assert (error["type"], error["code"]) == ("payment_error", "insufficient_balance")
        assert client.get(BALANCE).json()["balance"] == "10.00"

    def test_an_unknown_meter_is_refused(self, client: TestClient) -> None:
        subscribed(client)

        error = error_of(client.post(USAGE, json={"meter": "fax", "quantity": 1}), 400)

        assert (error["code"], error["param"]) == ("unknown_meter", "meter")

    @sqlite_only
    @pytest.mark.parametrize(
        ("body", "param"),
        [({"meter": "sms", "quantity": 0}, "quantity"), ({"meter": "sms", "quantity": 1.5},
         "quantity"), ({"quantity": 1}, "meter"), ({"meter": "sms", "quantity": 1, "at": 0}, "at")],
        ids=["zero", "fraction", "missing meter", "unknown field"],
    )  # fmt: skip
    def test_a_bad_usage_body_is_refused_naming_the_field(
        self, client: TestClient, body: dict[str, Any], param: str
    ) -> None:
        subscribed(client)

        error = error_of(client.post(USAGE, json=body), 400)

        assert (error["code"], error["param"]) == ("invalid_request", param)

    def test_usage_of_an_unknown_account_is_not_found(self, client: TestClient) -> None:
        response = client.post("/v1/accounts/nobody/usage", json={"meter": "sms", "quantity": 1})

        assert error_of(response, 404)["code"] == "unknown_account"
