"""Subscriptions: subscribe (an edition, or packs beside it), list, read, preview and apply
changes, cancel a scheduled change, auto-renewal."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import (
    DECLINED_CARD,
    an_account,
    base_of,
    error_of,
    sqlite_only,
    subscribed,
    whole_list,
)

SUBSCRIPTIONS = "/v1/subscriptions"
NONE = "/v1/subscriptions/sub_none"  # a subscription that never was


def _subscribe(client: TestClient, body: dict[str, Any], account: str = "acme") -> Any:
    return client.post(SUBSCRIPTIONS, json={"account_id": account, **body})


def _of(client: TestClient, account: str = "acme") -> list[dict[str, Any]]:
    return whole_list(client, SUBSCRIPTIONS, {"account_id": account})


def _with_only_a_declined_card(client: TestClient) -> None:
    client.post("/v1/accounts/acme/payment_methods", json={"card": DECLINED_CARD, "id": "bad"})
    client.put("/v1/accounts/acme/payment_methods/roles", json={"primary": "bad"})
    assert client.delete("/v1/accounts/acme/payment_methods/card").status_code == 204


class TestSubscribe:
    def test_subscribing_without_trial_charges_the_first_period(self, client: TestClient) -> None:
        an_account(client)

        response = _subscribe(
            client, {"edition": "pro", "cycle": "month", "quantity": 5, "trial": False}
        )

        assert response.status_code == 201
        sub = response.json()
        assert (sub["edition"], sub["cycle"], sub["quantity"], sub["status"]) == (
            "pro", "month", 5, "active",
        )  # fmt: skip
        assert sub["current_period_start"] == "2026-01-31T10:00:00Z"
        assert sub["current_period_end"] == "2026-02-28T10:00:00Z"
        invoices = whole_list(client, "/v1/accounts/acme/invoices")
        assert [(i["status"], i["total"]) for i in invoices] == [("paid", "50.00")]
        assert client.get(f"{SUBSCRIPTIONS}/{sub['id']}").json() == sub

    def test_subscribing_to_an_edition_with_a_trial_starts_the_trial_without_charging(
        self, client: TestClient
    ) -> None:
        an_account(client)

        sub = _subscribe(client, {"edition": "pro", "cycle": "month"}).json()

        assert (sub["status"], sub["display_status"]) == ("trialing", "Try")
        assert sub["trial_end"] == "2026-02-14T10:00:00Z"
        assert sub["quantity"] == 5  # the edition's default
        assert whole_list(client, "/v1/accounts/acme/invoices") == []

    def test_the_free_edition_needs_no_card(self, client: TestClient) -> None:
        an_account(client, card=None)

        response = _subscribe(client, {"edition": "free", "cycle": "month"})

        assert response.status_code == 201
        assert response.json()["status"] == "active"

    def test_subscribing_twice_is_a_conflict(self, client: TestClient) -> None:
        subscribed(client)

        error = error_of(_subscribe(client, {"edition": "max", "cycle": "month"}), 409)

        assert (error["type"], error["code"]) == ("conflict", "already_subscribed")

    @sqlite_only
    @pytest.mark.parametrize(
        ("body", "code", "param"),
        [
            ({"edition": "gold", "cycle": "month"}, "unknown_edition", "edition"),
            ({"edition": "pro", "cycle": "week"}, "unknown_cycle", "cycle"),
            ({"edition": "pro", "cycle": "month", "quantity": 51}, "quantity_out_of_range",
             "quantity"),
            ({"edition": "free", "cycle": "month", "quantity": 4}, "quantity_out_of_range",
             "quantity"),
            ({"edition": "pro", "cycle": "month", "addons": {"gpu": 1}}, "unknown_addon",
             "addons.gpu"),
            ({"edition": "pro", "cycle": "month", "quantity": -1}, "invalid_request",
             "quantity"),
            ({"edition": "pro", "cycle": "month", "addons": {"storage": "two"}},
             "invalid_request", "addons.storage"),
            ({"edition": "pro", "cycle": "month", "plan": "x"}, "invalid_request", "plan"),
            ({"edition": "pro"}, "invalid_request", "cycle"),
        ],
        ids=["unknown edition", "unknown cycle", "too many seats", "free above its seats",
             "unknown add-on", "negative quantity", "add-on count not a number",
             "unknown field", "missing cycle"],
    )  # fmt: skip
    def test_a_bad_subscription_is_refused_naming_the_field(
        self, client: TestClient, body: dict[str, Any], code: str, param: str
    ) -> None:
        an_account(client)

        error = error_of(_subscribe(client, {"trial": False, **body}), 400)

        assert (error["code"], error["param"]) == (code, param)
        assert _of(client) == []

    def test_an_add_on_not_offered_on_the_edition_is_refused(self, client: TestClient) -> None:
        an_account(client)

        body = {"edition": "pro", "cycle": "month", "addons": {"audit": 1}, "trial": False}
        error = error_of(_subscribe(client, body), 403)

        assert (error["code"], error["param"]) == ("not_available_on_edition", "addons.audit")

    def test_add_ons_are_refused_during_a_trial(self, client: TestClient) -> None:
        an_account(client)

        body = {"edition": "pro", "cycle": "month", "addons": {"storage": 1}}
        error = error_of(_subscribe(client, body), 403)

        assert error["code"] == "not_available_on_edition"

    def test_a_sales_managed_account_cannot_buy_online(self, client: TestClient) -> None:
        an_account(client, sales_managed=True)

        body = {"edition": "pro", "cycle": "year", "trial": False}
        error = error_of(_subscribe(client, body), 403)

        assert (error["type"], error["code"]) == ("not_allowed", "sales_managed")

    def test_a_sales_managed_account_may_take_the_free_edition(self, client: TestClient) -> None:
        an_account(client, sales_managed=True)

        assert _subscribe(client, {"edition": "free", "cycle": "month"}).status_code == 201

    def test_a_declined_card_refuses_the_subscription_and_keeps_the_failed_payment(
        self, client: TestClient
    ) -> None:
        an_account(client, card=DECLINED_CARD)

        body = {"edition": "pro", "cycle": "month", "trial": False}
        error = error_of(_subscribe(client, body), 402)

        assert (error["type"], error["code"]) == ("payment_error", "payment_failed")
        assert _of(client) == []
        payments = whole_list(client, "/v1/accounts/acme/payments")
        assert [p["status"] for p in payments] == ["failed"]

    def test_a_paid_edition_without_a_card_is_refused(self, client: TestClient) -> None:
        an_account(client, card=None)

        body = {"edition": "pro", "cycle": "month", "trial": False}
        error = error_of(_subscribe(client, body), 402)

        assert error["code"] == "no_payment_method"

    def test_subscribing_an_unknown_account_is_not_found(self, client: TestClient) -> None:
        body = {"edition": "pro", "cycle": "month"}

        assert error_of(_subscribe(client, body, "nobody"), 404)

    def test_reading_a_subscription_that_never_was_is_not_found(self, client: TestClient) -> None:
        an_account(client)

        assert _of(client) == []


class TestPreviewChange:
    def test_an_upgrade_preview_shows_the_prorated_lines_and_stores_nothing(
        self, client: TestClient
    ) -> None:
        subscribed(client)

        response = client.post(f"{base_of(client)}/preview", json={"edition": "max"})

        assert response.status_code == 200
        preview = response.json()
        assert (preview["change"], preview["total_now"], preview["scheduled"]) == (
            "upgrade", "49.00", False,
        )  # fmt: skip
        kinds = [line["kind"] for line in preview["lines"]]
        assert kinds == ["proration_charge", "proration_credit"]
        assert client.get(base_of(client)).json()["edition"] == "pro"
        assert len(whole_list(client, "/v1/accounts/acme/invoices")) == 1

    def test_a_refused_transition_is_refused_with_the_catalog_message(
        self, client: TestClient
    ) -> None:
        subscribed(client)

        error = error_of(client.post(f"{base_of(client)}/preview", json={"edition": "free"}), 403)

        assert error == {
            "type": "not_allowed",
            "code": "transition_not_allowed",
            "message": "A paid edition cannot go back to Free.",
            "param": "edition",
        }

    @sqlite_only
    def test_an_empty_change_is_refused(self, client: TestClient) -> None:
        subscribed(client)

        error = error_of(client.post(f"{base_of(client)}/preview", json={}), 400)

        assert error["code"] == "invalid_request"

    def test_a_preview_without_a_subscription_is_not_found(self, client: TestClient) -> None:
        an_account(client)

        error = error_of(client.post(f"{NONE}/preview", json={"edition": "max"}), 404)

        assert error["code"] == "no_subscription"

    def test_a_sales_managed_account_cannot_preview_a_purchase(self, client: TestClient) -> None:
        an_account(client, card=None, sales_managed=True)
        _subscribe(client, {"edition": "free", "cycle": "month"})

        error = error_of(client.post(f"{base_of(client)}/preview", json={"edition": "pro"}), 403)

        assert error["code"] == "sales_managed"


class TestApplyChange:
    def test_an_upgrade_is_invoiced_now_and_takes_effect_at_once(self, client: TestClient) -> None:
        subscribed(client)

        response = client.post(f"{base_of(client)}/change", json={"edition": "max"})

        assert response.status_code == 200
        result = response.json()
        assert result["subscription"]["edition"] == "max"
        assert result["invoice"] == "INV-2026-000002"
        assert client.get(f"/v1/invoices/{result['invoice']}").json()["total"] == "49.00"

    def test_a_downgrade_is_scheduled_and_can_be_cancelled(self, client: TestClient) -> None:
        subscribed(client, edition="max", quantity=1)

        result = client.post(
            f"{base_of(client)}/change", json={"edition": "pro", "quantity": 2}
        ).json()

        assert result["subscription"]["edition"] == "max"
        assert result["invoice"] is None
        pending = result["subscription"]["pending_change"]
        assert (pending["edition"], pending["change"], pending["effective_at"]) == (
            "pro", "downgrade", "2026-02-28T10:00:00Z",
        )  # fmt: skip

        cancelled = client.delete(f"{base_of(client)}/pending_change")

        assert cancelled.status_code == 200
        assert cancelled.json()["pending_change"] is None

    def test_cancelling_when_nothing_is_scheduled_is_refused(self, client: TestClient) -> None:
        subscribed(client)

        error = error_of(client.delete(f"{base_of(client)}/pending_change"), 403)

        assert error["code"] == "no_pending_change"

    def test_cancelling_without_a_subscription_is_not_found(self, client: TestClient) -> None:
        an_account(client)

        assert error_of(client.delete(f"{NONE}/pending_change"), 404)["code"] == "no_subscription"

    def test_a_change_to_free_is_refused_with_the_catalog_message(self, client: TestClient) -> None:
        subscribed(client)

        error = error_of(client.post(f"{base_of(client)}/change", json={"edition": "free"}), 403)

        assert error["code"] == "transition_not_allowed"
        assert error["message"] == "A paid edition cannot go back to Free."
        assert client.get(base_of(client)).json()["edition"] == "pro"

    @sqlite_only
    @pytest.mark.parametrize(
        ("body", "status", "code", "param"),
        [
            ({"quantity": 51}, 400, "quantity_out_of_range", "quantity"),
            ({"edition": "gold"}, 400, "unknown_edition", "edition"),
            ({"cycle": "week"}, 400, "unknown_cycle", "cycle"),
            ({"addons": {"gpu": 1}}, 400, "unknown_addon", "addons.gpu"),
            ({"addons": {"audit": 1}}, 403, "not_available_on_edition", "addons.audit"),
            ({"quantity": "lots"}, 400, "invalid_request", "quantity"),
            ({"seats": 3}, 400, "invalid_request", "seats"),
        ],
        ids=["too many seats", "unknown edition", "unknown cycle", "unknown add-on",
             "add-on not on edition", "quantity not a number", "unknown field"],
    )  # fmt: skip
    def test_a_bad_change_is_refused_and_changes_nothing(
        self, client: TestClient, body: dict[str, Any], status: int, code: str, param: str
    ) -> None:
        before = subscribed(client)

        error = error_of(client.post(f"{base_of(client)}/change", json=body), status)

        assert (error["code"], error["param"]) == (code, param)
        assert client.get(base_of(client)).json() == before

    def test_a_declined_card_refuses_the_upgrade_and_keeps_the_plan(
        self, client: TestClient
    ) -> None:
        before = subscribed(client)
        _with_only_a_declined_card(client)

        error = error_of(client.post(f"{base_of(client)}/change", json={"edition": "max"}), 402)

        assert error["code"] == "payment_failed"
        assert client.get(base_of(client)).json() == before
        assert [p["status"] for p in whole_list(client, "/v1/accounts/acme/payments")] == [
            "succeeded", "failed",
        ]  # fmt: skip

    def test_a_sales_managed_account_cannot_change_online(self, client: TestClient) -> None:
        subscribed(client)
        client.patch("/v1/accounts/acme", json={"sales_managed": True})

        error = error_of(client.post(f"{base_of(client)}/change", json={"quantity": 6}), 403)

        assert error["code"] == "sales_managed"

    def test_changing_without_a_subscription_is_not_found(self, client: TestClient) -> None:
        an_account(client)

        error = error_of(client.post(f"{NONE}/change", json={"edition": "max"}), 404)

        assert error["code"] == "no_subscription"


class TestAutoRenew:
    def test_turning_auto_renewal_off_keeps_the_period_and_drops_the_next_payment(
        self, client: TestClient
    ) -> None:
        subscribed(client)

        response = client.put(f"{base_of(client)}/auto_renew", json={"enabled": False})

        assert response.status_code == 200
        sub = response.json()
        assert (sub["auto_renew"], sub["status"], sub["next_payment_at"]) == (False, "active", None)
        assert sub["current_period_end"] == "2026-02-28T10:00:00Z"

    @sqlite_only
    @pytest.mark.parametrize("body", [{}, {"enabled": "perhaps"}, {"enabled": True, "x": 1}])
    def test_a_bad_auto_renew_body_is_refused(
        self, client: TestClient, body: dict[str, Any]
    ) -> None:
        subscribed(client)

        error = error_of(client.put(f"{base_of(client)}/auto_renew", json=body), 400)

        assert error["param"] in {"enabled", "x"}

    def test_auto_renewal_without_a_subscription_is_not_found(self, client: TestClient) -> None:
        an_account(client)

        error = error_of(client.put(f"{NONE}/auto_renew", json={"enabled": False}), 404)

        assert error["code"] == "no_subscription"


class TestSeveralSubscriptions:
    def test_packs_without_an_edition_are_a_second_subscription_of_the_account(
        self, client: TestClient
    ) -> None:
        base = subscribed(client)  # Pro, 5 seats × 10.00 = 50.00 a month

        response = _subscribe(client, {"cycle": "year", "addons": {"storage": 2}})

        assert response.status_code == 201, response.text
        packs = response.json()
        assert packs["id"] != base["id"]
        assert (packs["account_id"], packs["edition"], packs["cycle"], packs["addons"]) == (
            "acme", None, "year", {"storage": 2},
        )  # fmt: skip
        assert (packs["current_period_start"], packs["current_period_end"]) == (
            "2026-01-31T10:00:00Z", "2027-01-31T10:00:00Z",
        )  # fmt: skip
        assert [sub["id"] for sub in _of(client)] == [base["id"], packs["id"]]
        # 2 packs × 50.00 a year = 100.00, on an invoice of its own naming that subscription
        invoices = whole_list(client, "/v1/accounts/acme/invoices")
        assert [i["total"] for i in invoices] == ["50.00", "100.00"]
        assert [line["subscription"] for line in invoices[1]["lines"]] == [packs["id"]]

    @pytest.mark.parametrize(
        "edition", ["free", None], ids=["beside a free edition", "without an edition"]
    )
    def test_packs_need_a_paid_edition(self, client: TestClient, edition: str | None) -> None:
        an_account(client)
        if edition is not None:
            assert _subscribe(client, {"edition": edition, "cycle": "month"}).status_code == 201

        error = error_of(_subscribe(client, {"cycle": "month", "addons": {"storage": 1}}), 403)

        assert error["code"] == "not_available_on_edition"

    def test_packs_are_refused_beside_a_trial(self, client: TestClient) -> None:
        an_account(client)
        _subscribe(client, {"edition": "pro", "cycle": "month"})

        error = error_of(_subscribe(client, {"cycle": "month", "addons": {"storage": 1}}), 403)

        assert error["code"] == "not_available_on_edition"

    def test_a_pack_not_offered_on_the_accounts_edition_is_refused(
        self, client: TestClient
    ) -> None:
        subscribed(client)  # the audit log is sold on Max only

        error = error_of(_subscribe(client, {"cycle": "month", "addons": {"audit": 1}}), 403)

        assert (error["code"], error["param"]) == ("not_available_on_edition", "addons.audit")

    def test_a_change_of_packs_touches_only_their_subscription(self, client: TestClient) -> None:
        base = subscribed(client)
        packs = _subscribe(client, {"cycle": "month", "addons": {"storage": 1}}).json()

        result = client.post(
            f"{SUBSCRIPTIONS}/{packs['id']}/change", json={"addons": {"storage": 3}}
        ).json()

        assert (result["subscription"]["id"], result["subscription"]["addons"]) == (
            packs["id"], {"storage": 3},
        )  # fmt: skip
        assert client.get(f"{SUBSCRIPTIONS}/{base['id']}").json() == base
        # the whole month is left: 3 × 5.00 charged, 1 × 5.00 credited: 10.00
        assert client.get(f"/v1/invoices/{result['invoice']}").json()["total"] == "10.00"

    @sqlite_only
    @pytest.mark.parametrize(
        ("body", "code", "param"),
        [
            ({"edition": "max"}, "invalid_request", "edition"),
            ({"quantity": 2}, "invalid_request", "quantity"),
            ({"addons": {"storage": 0}}, "no_addons", "addons"),
        ],
        ids=["an edition", "a quantity", "no pack left"],
    )
    def test_a_pack_subscription_holds_packs_only(
        self, client: TestClient, body: dict[str, Any], code: str, param: str
    ) -> None:
        subscribed(client)
        packs = _subscribe(client, {"cycle": "month", "addons": {"storage": 1}}).json()

        error = error_of(client.post(f"{SUBSCRIPTIONS}/{packs['id']}/preview", json=body), 400)

        assert (error["code"], error["param"]) == (code, param)

    def test_each_subscription_renews_on_its_own(self, client: TestClient) -> None:
        base = subscribed(client)
        packs = _subscribe(client, {"cycle": "month", "addons": {"storage": 1}}).json()

        off = client.put(f"{SUBSCRIPTIONS}/{packs['id']}/auto_renew", json={"enabled": False})

        assert off.json()["auto_renew"] is False
        assert client.get(f"{SUBSCRIPTIONS}/{base['id']}").json()["auto_renew"] is True


class TestListSubscriptions:
    def test_the_list_is_filtered_by_account_and_status_and_paged(self, client: TestClient) -> None:
        acme = subscribed(client)
        first = _subscribe(client, {"cycle": "month", "addons": {"storage": 1}}).json()
        second = _subscribe(client, {"cycle": "year", "addons": {"storage": 1}}).json()
        other = subscribed(client, "globex")
        client.put(f"{SUBSCRIPTIONS}/{first['id']}/auto_renew", json={"enabled": False})
        client.post("/v1/test_clock/advance", json={"to": "2026-03-01T00:00:00Z"})

        page = client.get(SUBSCRIPTIONS, params={"account_id": "acme", "limit": 2}).json()
        assert [s["id"] for s in page["data"]] == [acme["id"], first["id"]]
        assert page["has_more"] is True
        rest = client.get(
            SUBSCRIPTIONS,
            params={"account_id": "acme", "limit": 2, "starting_after": first["id"]},
        ).json()
        assert ([s["id"] for s in rest["data"]], rest["has_more"]) == ([second["id"]], False)
        expired = whole_list(client, SUBSCRIPTIONS, {"account_id": "acme", "status": "expired"})
        assert [s["id"] for s in expired] == [first["id"]]
        everyone = whole_list(client, SUBSCRIPTIONS)
        assert {s["id"] for s in everyone} == {acme["id"], first["id"], second["id"], other["id"]}

    @sqlite_only
    def test_an_unknown_status_or_cursor_is_refused(self, client: TestClient) -> None:
        subscribed(client)

        bad_status = error_of(client.get(SUBSCRIPTIONS, params={"status": "paused"}), 400)
        bad_cursor = error_of(client.get(SUBSCRIPTIONS, params={"starting_after": "sub_x"}), 400)

        assert (bad_status["code"], bad_status["param"]) == ("invalid_status", "status")
        assert (bad_cursor["code"], bad_cursor["param"]) == ("unknown_cursor", "starting_after")

    def test_the_list_of_an_unknown_account_is_not_found(self, client: TestClient) -> None:
        assert error_of(client.get(SUBSCRIPTIONS, params={"account_id": "nobody"}), 404)

    @sqlite_only
    def test_the_openapi_shows_the_subscription_routes(self, client: TestClient) -> None:
        paths = client.get("/openapi.json").json()["paths"]

        assert set(paths[SUBSCRIPTIONS]) == {"get", "post"}
        assert set(paths["/v1/subscriptions/{subscription_id}"]) == {"get"}
        for route, method in [
            ("preview", "post"), ("change", "post"), ("pending_change", "delete"),
            ("auto_renew", "put"),
        ]:  # fmt: skip
            assert method in paths[f"/v1/subscriptions/{{subscription_id}}/{route}"]
        assert not [path for path in paths if path.startswith("/v1/accounts/{account_id}/subscr")]
