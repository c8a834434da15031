"""`Idempotency-Key` on POST: a retry replays the first response and has no second effect."""

from __future__ import annotations

import hashlib
import threading
from datetime import timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient

from api.builders import DECLINED_CARD, an_account, error_of, subscribed, whole_list
from tierline.api.app import create_app
from tierline.api.idempotency import _claim
from tierline.clock import TestClock
from tierline.runtime import Runtime
from tierline.services.operators import create_api_key

TOP_UPS = "/v1/accounts/acme/balance/top_ups"
SUB = "/v1/accounts/acme/subscription"


def _key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


def _replayed(response: httpx.Response) -> bool:
    return response.headers.get("Idempotent-Replayed") == "true"


def _top_ups(client: TestClient) -> list[dict[str, Any]]:
    transactions = whole_list(client, "/v1/accounts/acme/balance/transactions")
    return [t for t in transactions if t["kind"] == "top_up"]


class TestReplay:
    def test_a_retried_subscribe_replays_the_response_and_issues_one_invoice(
        self, client: TestClient
    ) -> None:
        an_account(client)
        body = {"edition": "pro", "cycle": "month", "quantity": 5, "trial": False}

        first = client.post(SUB, json=body, headers=_key("sub-1"))
        again = client.post(SUB, json=body, headers=_key("sub-1"))

        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert "Idempotent-Replayed" not in first.headers
        assert again.headers["Idempotent-Replayed"] == "true"
        assert len(whole_list(client, "/v1/accounts/acme/invoices")) == 1

    def test_a_retried_top_up_adds_to_the_balance_once(self, client: TestClient) -> None:
        subscribed(client)

        responses = [
            client.post(TOP_UPS, json={"amount": "25.00"}, headers=_key("top-up-1"))
            for _ in range(3)
        ]

        assert [r.status_code for r in responses] == [201, 201, 201]
        assert {r.text for r in responses} == {responses[0].text}
        assert client.get("/v1/accounts/acme/balance").json()["balance"] == "25.00"
        assert len(_top_ups(client)) == 1

    def test_a_refusal_is_replayed_without_charging_again(self, client: TestClient) -> None:
        subscribed(client)
        client.post("/v1/accounts/acme/payment_methods", json={"card": DECLINED_CARD, "id": "bad"})
        body = {"amount": "25.00", "payment_method": "bad"}

        first = client.post(TOP_UPS, json=body, headers=_key("declined"))
        again = client.post(TOP_UPS, json=body, headers=_key("declined"))

        assert error_of(first, 402) == error_of(again, 402)
        assert again.headers["Idempotent-Replayed"] == "true"
        payments = whole_list(client, "/v1/accounts/acme/payments")
        assert [p["status"] for p in payments].count("failed") == 1

    def test_posts_without_a_key_are_not_deduplicated(self, client: TestClient) -> None:
        subscribed(client)

        client.post(TOP_UPS, json={"amount": "25.00"})
        client.post(TOP_UPS, json={"amount": "25.00"})

        assert client.get("/v1/accounts/acme/balance").json()["balance"] == "50.00"

    def test_a_key_on_a_get_is_ignored(self, client: TestClient) -> None:
        an_account(client)

        response = client.get("/v1/accounts/acme", headers=_key("get-1"))
        again = client.get("/v1/accounts/acme", headers=_key("get-1"))

        assert response.status_code == again.status_code == 200
        assert "Idempotent-Replayed" not in again.headers

    def test_keys_are_scoped_to_the_api_key_that_sent_them(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        subscribed(client)
        other_secret = create_api_key("other", uow=runtime.uow(), clock=runtime.clock).secret
        other = {"Authorization": f"Bearer {other_secret}", **_key("shared")}

        client.post(TOP_UPS, json={"amount": "25.00"}, headers=_key("shared"))
        response = client.post(TOP_UPS, json={"amount": "25.00"}, headers=other)

        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response.headers
        assert len(_top_ups(client)) == 2


class TestConflict:
    def test_the_same_key_with_another_body_is_a_conflict(self, client: TestClient) -> None:
        subscribed(client)
        client.post(TOP_UPS, json={"amount": "25.00"}, headers=_key("top-up-1"))

        response = client.post(TOP_UPS, json={"amount": "30.00"}, headers=_key("top-up-1"))

        error = error_of(response, 409)
        assert (error["type"], error["code"], error["param"]) == (
            "conflict", "idempotency_conflict", "Idempotency-Key",
        )  # fmt: skip
        assert client.get("/v1/accounts/acme/balance").json()["balance"] == "25.00"

    def test_the_same_key_on_another_route_is_a_conflict(self, client: TestClient) -> None:
        an_account(client, "a1", card=None)
        an_account(client, "a2", card=None)
        body = {"edition": "free", "cycle": "month"}

        client.post("/v1/accounts/a1/subscription", json=body, headers=_key("k"))
        response = client.post("/v1/accounts/a2/subscription", json=body, headers=_key("k"))

        assert error_of(response, 409)["code"] == "idempotency_conflict"
        assert error_of(client.get("/v1/accounts/a2/subscription"), 404)

    def test_a_key_longer_than_255_characters_is_refused(self, client: TestClient) -> None:
        response = client.post("/v1/accounts", json={"name": "A"}, headers=_key("k" * 256))

        assert error_of(response, 400)["param"] == "Idempotency-Key"
        assert client.get("/v1/accounts").json()["data"] == []


class TestExpiry:
    def test_a_key_reused_after_24_hours_is_a_new_request(
        self, client: TestClient, clock: TestClock
    ) -> None:
        subscribed(client)
        client.post(TOP_UPS, json={"amount": "25.00"}, headers=_key("daily"))
        clock.set(clock.now() + timedelta(hours=24, seconds=1))

        response = client.post(TOP_UPS, json={"amount": "25.00"}, headers=_key("daily"))

        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response.headers
        assert response.json()["balance"] == "50.00"
        assert len(_top_ups(client)) == 2

    def test_a_key_within_24_hours_still_replays(
        self, client: TestClient, clock: TestClock
    ) -> None:
        subscribed(client)
        client.post(TOP_UPS, json={"amount": "25.00"}, headers=_key("daily"))
        clock.set(clock.now() + timedelta(hours=23, minutes=59))

        response = client.post(TOP_UPS, json={"amount": "25.00"}, headers=_key("daily"))

        assert response.headers["Idempotent-Replayed"] == "true"
        assert len(_top_ups(client)) == 1

    def test_a_key_reused_after_24_hours_with_another_body_is_no_conflict(
        self, client: TestClient, clock: TestClock
    ) -> None:
        subscribed(client)
        client.post(TOP_UPS, json={"amount": "25.00"}, headers=_key("daily"))
        clock.set(clock.now() + timedelta(days=2))

        response = client.post(TOP_UPS, json={"amount": "10.00"}, headers=_key("daily"))

        assert response.json()["balance"] == "35.00"


class TestUnauthenticated:
    def test_a_401_does_not_keep_the_key(self, anonymous: TestClient, runtime: Runtime) -> None:
        auth = "Bearer tl_sk_wrong"

        response = anonymous.post(
            "/v1/accounts", json={"name": "A"}, headers={"Authorization": auth, **_key("k")}
        )

        assert response.status_code == 401
        scope = hashlib.sha256(auth.encode()).hexdigest()
        with runtime.uow() as uow:
            assert uow.idempotency.find(scope, "k") is None


class TestServerErrors:
    def test_a_request_that_ends_in_a_500_frees_its_key_for_a_retry(
        self, runtime: Runtime, api_key: str
    ) -> None:
        app = create_app(runtime)
        calls: list[int] = []

        @app.post("/v1/boom")
        def boom() -> None:
            calls.append(1)
            raise RuntimeError("a bug, not bad input")

        client = TestClient(
            app, headers={"Authorization": f"Bearer {api_key}"}, raise_server_exceptions=False
        )
        first = client.post("/v1/boom", json={}, headers=_key("retry-me"))
        again = client.post("/v1/boom", json={}, headers=_key("retry-me"))

        assert first.status_code == again.status_code == 500
        assert len(calls) == 2


class TestConcurrency:
    def test_concurrent_requests_with_one_key_top_up_once(
        self, client: TestClient, runtime: Runtime, api_key: str
    ) -> None:
        subscribed(client)
        app = create_app(runtime)
        headers = {"Authorization": f"Bearer {api_key}", **_key("race")}
        barrier = threading.Barrier(6)
        responses: list[httpx.Response] = []

        def post() -> None:
            own = TestClient(app, headers=headers)  # one event loop per request
            barrier.wait()
            responses.append(own.post(TOP_UPS, json={"amount": "25.00"}))

        threads = [threading.Thread(target=post) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert len(responses) == 6
        fresh = [r for r in responses if r.status_code == 201 and not _replayed(r)]
        assert len(fresh) == 1
        for response in responses:
            if response.status_code == 409:
                assert response.json()["error"]["code"] == "idempotency_in_progress"
            else:
                assert (response.status_code, response.json()) == (201, fresh[0].json())
        assert client.get("/v1/accounts/acme/balance").json()["balance"] == "25.00"
        assert len(_top_ups(client)) == 1

    def test_concurrent_claims_of_one_key_are_won_once(self, runtime: Runtime) -> None:
        barrier = threading.Barrier(8)
        won: list[bool] = []

        def claim() -> None:
            barrier.wait()
            claimed, _ = _claim(runtime, "scope", "race", "hash")
            won.append(claimed)

        threads = [threading.Thread(target=claim) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(won) == [False] * 7 + [True]
