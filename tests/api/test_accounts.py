"""Accounts and their payment methods through /v1/accounts."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import DECLINED_CARD, GOOD_CARD, an_account, error_of, sqlite_only, whole_list


class TestCreateAccount:
    def test_creating_an_account_returns_it_in_the_catalog_currency(
        self, client: TestClient
    ) -> None:
        response = client.post(
            "/v1/accounts",
            json={"id": "acme", "name": "Acme", "timezone": "Europe/Rome",
                  "billing_email": "billing@acme.test"},
        )  # fmt: skip

        assert response.status_code == 201
        assert response.json() == {
            "id": "acme",
            "name": "Acme",
            "currency": "EUR",
            "timezone": "Europe/Rome",
            "locale": "en",
            "sales_managed": False,
            "billing_email": "billing@acme.test",
            "created_at": "2026-01-31T10:00:00Z",
            "country": None,
            "region": None,
            "address": [],
            "tax_id": None,
        }
        assert client.get("/v1/accounts/acme").json() == response.json()

    def test_an_account_without_an_id_gets_a_generated_one(self, client: TestClient) -> None:
        created = client.post("/v1/accounts", json={"name": "Acme"}).json()

        assert created["id"]
        assert client.get(f"/v1/accounts/{created['id']}").status_code == 200

    def test_an_id_in_use_is_a_conflict(self, client: TestClient) -> None:
        an_account(client, "acme", card=None)

        error = error_of(client.post("/v1/accounts", json={"id": "acme", "name": "B"}), 409)

        assert error["code"] == "account_exists"

    @sqlite_only
    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({}, "name"),
            ({"name": ""}, "name"),
            ({"name": 42}, "name"),
            ({"name": "Acme", "nickname": "A"}, "nickname"),
            ({"name": "Acme", "id": "has spaces"}, "id"),
            ({"name": "Acme", "id": "x" * 65}, "id"),
            ({"name": "Acme", "sales_managed": "perhaps"}, "sales_managed"),
            ({"name": "Acme", "timezone": "Mars/Olympus"}, "timezone"),
        ],
        ids=["missing name", "empty name", "number name", "unknown field", "bad id",
             "long id", "not a boolean", "unknown timezone"],
    )  # fmt: skip
    def test_a_bad_body_is_refused_naming_the_field(
        self, client: TestClient, body: dict[str, Any], param: str
    ) -> None:
        error = error_of(client.post("/v1/accounts", json=body), 400)

        assert error["type"] == "invalid_request_error"
        assert error["code"] == "invalid_request"
        assert error["param"] == param


class TestReadAccounts:
    def test_an_unknown_account_is_not_found(self, client: TestClient) -> None:
        error = error_of(client.get("/v1/accounts/nobody"), 404)

        assert error["type"] == "not_found"
        assert error["code"] == "unknown_account"

    def test_pages_of_two_walk_every_account_in_id_order(self, client: TestClient) -> None:
        ids = ["a1", "a2", "a3", "a4", "a5"]
        for account_id in reversed(ids):
            an_account(client, account_id, card=None)

        seen: list[str] = []
        flags: list[bool] = []
        query: dict[str, Any] = {"limit": 2}
        while True:
            page = client.get("/v1/accounts", params=query).json()
            seen += [a["id"] for a in page["data"]]
            flags.append(page["has_more"])
            if not page["has_more"]:
                break
            query["starting_after"] = page["data"][-1]["id"]

        assert seen == ids
        assert flags == [True, True, False]

    def test_a_page_that_ends_exactly_at_the_last_account_has_no_more(
        self, client: TestClient
    ) -> None:
        for account_id in ("a1", "a2"):
            an_account(client, account_id, card=None)

        page = client.get("/v1/accounts", params={"limit": 2}).json()

        assert [a["id"] for a in page["data"]] == ["a1", "a2"]
        assert page["has_more"] is False

    @sqlite_only
    @pytest.mark.parametrize("limit", ["0", "101", "many"])
    def test_a_limit_outside_1_to_100_is_refused(self, client: TestClient, limit: str) -> None:
        error = error_of(client.get(f"/v1/accounts?limit={limit}"), 400)

        assert error["param"] == "limit"


class TestUpdateAccount:
    def test_patching_changes_only_the_fields_sent(self, client: TestClient) -> None:
        an_account(client, "acme", card=None, timezone="Asia/Shanghai")

        body = {"name": "Acme Ltd", "sales_managed": True}
        response = client.patch("/v1/accounts/acme", json=body)

        assert response.status_code == 200
        body = response.json()
        assert (body["name"], body["sales_managed"], body["timezone"]) == (
            "Acme Ltd", True, "Asia/Shanghai",
        )  # fmt: skip
        assert client.get("/v1/accounts/acme").json() == body

    def test_patching_an_unknown_account_is_not_found(self, client: TestClient) -> None:
        error = error_of(client.patch("/v1/accounts/nobody", json={"name": "X"}), 404)

        assert error["code"] == "unknown_account"

    @sqlite_only
    @pytest.mark.parametrize(
        ("body", "param"),
        [({"currency": "USD"}, "currency"), ({"name": ""}, "name"),
         ({"timezone": "Nowhere/Else"}, "timezone"), ({"locale": 3}, "locale")],
    )  # fmt: skip
    def test_a_bad_patch_is_refused_naming_the_field(
        self, client: TestClient, body: dict[str, Any], param: str
    ) -> None:
        an_account(client, "acme", card=None)

        error = error_of(client.patch("/v1/accounts/acme", json=body), 400)

        assert error["param"] == param


class TestPaymentMethods:
    def test_the_first_card_becomes_the_primary_method(self, client: TestClient) -> None:
        an_account(client, "acme", card=None)

        response = client.post(
            "/v1/accounts/acme/payment_methods", json={"card": GOOD_CARD, "id": "visa"}
        )

        assert response.status_code == 201
        assert response.json() == {
            "id": "visa", "brand": "visa", "last4": "4242", "is_primary": True, "is_backup": False,
            "expiry": None, "bank": None, "mandate_reference": None,
        }  # fmt: skip
        assert whole_list(client, "/v1/accounts/acme/payment_methods") == [response.json()]

    def test_a_backup_card_keeps_the_primary(self, client: TestClient) -> None:
        an_account(client, "acme")

        client.post(
            "/v1/accounts/acme/payment_methods",
            json={"card": "5555555555554444", "id": "mc", "backup": True},
        )

        roles = {m["id"]: (m["is_primary"], m["is_backup"]) for m in
                 whole_list(client, "/v1/accounts/acme/payment_methods")}  # fmt: skip
        assert roles == {"card": (True, False), "mc": (False, True)}

    @sqlite_only
    def test_an_invalid_card_number_is_refused(self, client: TestClient) -> None:
        an_account(client, "acme", card=None)

        error = error_of(
            client.post("/v1/accounts/acme/payment_methods", json={"card": "1234567812345678"}), 400
        )

        assert (error["code"], error["param"]) == ("invalid_card", "card")

    @sqlite_only
    @pytest.mark.parametrize(
        ("body", "param"),
        [({}, "card"), ({"card": 4242424242424242}, "card"),
         ({"card": GOOD_CARD, "cvc": "123"}, "cvc"),
         ({"card": GOOD_CARD, "backup": "perhaps"}, "backup")],
    )  # fmt: skip
    def test_a_bad_payment_method_body_is_refused_naming_the_field(
        self, client: TestClient, body: dict[str, Any], param: str
    ) -> None:
        an_account(client, "acme", card=None)

        error = error_of(client.post("/v1/accounts/acme/payment_methods", json=body), 400)

        assert error["param"] == param

    def test_a_card_id_in_use_is_a_conflict(self, client: TestClient) -> None:
        an_account(client, "acme")

        response = client.post(
            "/v1/accounts/acme/payment_methods", json={"card": GOOD_CARD, "id": "card"}
        )

        assert error_of(response, 409)["param"] == "id"

    def test_payment_methods_of_an_unknown_account_are_not_found(self, client: TestClient) -> None:
        added = client.post("/v1/accounts/nobody/payment_methods", json={"card": GOOD_CARD})
        listed = client.get("/v1/accounts/nobody/payment_methods")

        assert error_of(added, 404)["code"] == "unknown_account"
        assert error_of(listed, 404)["code"] == "unknown_account"

    def test_roles_make_another_card_primary_and_the_old_one_backup(
        self, client: TestClient
    ) -> None:
        an_account(client, "acme")
        client.post("/v1/accounts/acme/payment_methods", json={"card": DECLINED_CARD, "id": "d"})

        response = client.put(
            "/v1/accounts/acme/payment_methods/roles", json={"primary": "d", "backup": "card"}
        )

        assert response.status_code == 200
        roles = {m["id"]: (m["is_primary"], m["is_backup"]) for m in response.json()}
        assert roles == {"card": (False, True), "d": (True, False)}

    def test_roles_naming_an_unknown_card_are_not_found(self, client: TestClient) -> None:
        an_account(client, "acme")

        error = error_of(
            client.put("/v1/accounts/acme/payment_methods/roles", json={"backup": "nope"}), 404
        )

        assert error["param"] == "backup"

    def test_the_same_card_cannot_be_primary_and_backup(self, client: TestClient) -> None:
        an_account(client, "acme")

        body = {"primary": "card", "backup": "card"}
        error = error_of(client.put("/v1/accounts/acme/payment_methods/roles", json=body), 400)

        assert error["param"] == "backup"

    def test_removing_the_primary_promotes_the_backup(self, client: TestClient) -> None:
        an_account(client, "acme")
        client.post(
            "/v1/accounts/acme/payment_methods",
            json={"card": "5555555555554444", "id": "mc", "backup": True},
        )

        response = client.delete("/v1/accounts/acme/payment_methods/card")

        assert response.status_code == 204
        methods = whole_list(client, "/v1/accounts/acme/payment_methods")
        assert [(m["id"], m["is_primary"]) for m in methods] == [("mc", True)]

    def test_removing_an_unknown_card_is_not_found(self, client: TestClient) -> None:
        an_account(client, "acme")

        error = error_of(client.delete("/v1/accounts/acme/payment_methods/nope"), 404)

        assert error["param"] == "payment_method"
