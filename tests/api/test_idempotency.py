"""`Idempotency-Key` on POST: a retry replays the first response and has no second effect."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.builders import DECLINED_CARD, an_account, error_of, subscribed, whole_list
from tierline.api.app import create_app
from tierline.api.idempotency import HEADER, LEASE, _claim, request_hash
from tierline.clock import TestClock
from tierline.errors import Conflict
from tierline.runtime import Runtime
from tierline.services.accounts import CreateAccount, create_account
from tierline.services.operators import authenticate, create_api_key
from tierline.store.operators import EFFECT_COMMITTED, IdempotencyClaim, current_claim
from tierline.store.tables import idempotency_keys

TOP_UPS = "/v1/accounts/acme/balance/top_ups"
SUB = "/v1/subscriptions"


def _key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


def _replayed(response: httpx.Response) -> bool:
    return response.headers.get("Idempotent-Replayed") == "true"


def _top_ups(client: TestClient) -> list[dict[str, Any]]:
    transactions = whole_list(client, "/v1/accounts/acme/balance/transactions")
    return [t for t in transactions if t["kind"] == "top_up"]


JSON = {"Content-Type": "application/json"}
TOP_UP_BODY = b'{"amount": "25.00"}'
ACCOUNT_BODY = b'{"id": "acme", "name": "Acme"}'


def _scope(runtime: Runtime, secret: str) -> str:
    """The id of the API key with this secret: what its idempotency keys belong to."""
    key_id = authenticate(secret, uow=runtime.uow())
    assert key_id is not None
    return key_id


def _left_running(
    runtime: Runtime, scope: str, key: str, path: str, body: bytes, *, started: datetime
) -> IdempotencyClaim:
    """The claim of a request that started at `started` and then died: nobody finishes it."""
    claim = IdempotencyClaim(scope, key, "dead-request")
    with runtime.uow() as uow:
        assert uow.idempotency.claim(claim, request_hash("POST", path, body), started)
        uow.commit()
    return claim


def _create_account_as(claim: IdempotencyClaim, runtime: Runtime) -> None:
    """Create `acme` as the request holding `claim` would: its commit carries the claim."""
    token = current_claim.set(claim)
    try:
        create_account(
            CreateAccount(name="Acme", id="acme"), uow=runtime.uow(), clock=runtime.clock
        )
    finally:
        current_claim.reset(token)


def _recorded_keys(runtime: Runtime) -> int:
    with runtime.uow() as uow:
        return int(
            uow.connection.execute(select(func.count()).select_from(idempotency_keys)).scalar_one()
        )


class TestReplay:
    def test_a_retried_subscribe_replays_the_response_and_issues_one_invoice(
        self, client: TestClient
    ) -> None:
        an_account(client)
        body = {"account_id": "acme", "edition": "pro", "cycle": "month", "quantity": 5,
                "trial": False}  # fmt: skip

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

    @pytest.mark.parametrize("scheme", ["bearer", "BEARER", "bEaReR"])
    def test_one_api_key_spelled_with_another_scheme_case_tops_up_once(
        self, client: TestClient, api_key: str, scheme: str
    ) -> None:
        subscribed(client)

        first = client.post(
            TOP_UPS, json={"amount": "25.00"},
            headers={"Authorization": f"Bearer {api_key}", **_key("spelled")},
        )  # fmt: skip
        again = client.post(
            TOP_UPS, json={"amount": "25.00"},
            headers={"Authorization": f"{scheme} {api_key}", **_key("spelled")},
        )  # fmt: skip

        assert first.status_code == again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert client.get("/v1/accounts/acme/balance").json()["balance"] == "25.00"
        assert len(_top_ups(client)) == 1

    def test_one_api_key_spelled_two_ways_creates_one_account(
        self, client: TestClient, api_key: str
    ) -> None:
        body = {"id": "acme", "name": "Acme"}

        first = client.post(
            "/v1/accounts", json=body,
            headers={"Authorization": f"Bearer {api_key}", **_key("new-account")},
        )  # fmt: skip
        again = client.post(
            "/v1/accounts", json=body,
            headers={"Authorization": f"bearer {api_key}", **_key("new-account")},
        )  # fmt: skip

        assert first.status_code == again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert [a["id"] for a in whole_list(client, "/v1/accounts")] == ["acme"]


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

    def test_the_same_key_on_another_request_is_a_conflict(self, client: TestClient) -> None:
        an_account(client, "a1", card=None)
        an_account(client, "a2", card=None)
        body = {"edition": "free", "cycle": "month"}

        client.post(SUB, json={"account_id": "a1", **body}, headers=_key("k"))
        response = client.post(SUB, json={"account_id": "a2", **body}, headers=_key("k"))

        assert error_of(response, 409)["code"] == "idempotency_conflict"
        assert whole_list(client, SUB, {"account_id": "a2"}) == []

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
    @pytest.mark.parametrize("auth", ["Bearer tl_sk_wrong", "Basic dXNlcjpwYXNz", ""])
    def test_a_request_without_a_valid_api_key_gets_its_401_and_keeps_no_key(
        self, anonymous: TestClient, runtime: Runtime, auth: str
    ) -> None:
        response = anonymous.post(
            "/v1/accounts", json={"name": "A"}, headers={"Authorization": auth, **_key("k")}
        )

        assert error_of(response, 401)["code"] == "unauthorized"
        assert _recorded_keys(runtime) == 0


class TestDeadRequests:
    """A request killed mid-way leaves its claim behind; the next one with its key sorts it out
    by what the store says happened."""

    def test_a_claim_whose_lease_ran_out_before_any_effect_is_taken_over_and_runs_once(
        self, client: TestClient, runtime: Runtime, api_key: str, clock: TestClock
    ) -> None:
        subscribed(client)
        started = clock.now() - LEASE - timedelta(seconds=1)
        _left_running(runtime, _scope(runtime, api_key), "dead", TOP_UPS, TOP_UP_BODY,
                      started=started)  # fmt: skip

        first = client.post(TOP_UPS, content=TOP_UP_BODY, headers={**JSON, **_key("dead")})
        again = client.post(TOP_UPS, content=TOP_UP_BODY, headers={**JSON, **_key("dead")})

        assert first.status_code == 201, first.text
        assert "Idempotent-Replayed" not in first.headers
        assert again.headers["Idempotent-Replayed"] == "true"
        assert client.get("/v1/accounts/acme/balance").json()["balance"] == "25.00"
        assert len(_top_ups(client)) == 1

    def test_a_claim_whose_lease_is_still_running_answers_in_progress(
        self, client: TestClient, runtime: Runtime, api_key: str, clock: TestClock
    ) -> None:
        subscribed(client)
        started = clock.now() - LEASE + timedelta(seconds=1)
        _left_running(runtime, _scope(runtime, api_key), "busy", TOP_UPS, TOP_UP_BODY,
                      started=started)  # fmt: skip

        response = client.post(TOP_UPS, content=TOP_UP_BODY, headers={**JSON, **_key("busy")})

        assert error_of(response, 409)["code"] == "idempotency_in_progress"
        assert _top_ups(client) == []

    def test_a_request_whose_effect_committed_without_a_response_is_not_run_again(
        self, client: TestClient, runtime: Runtime, api_key: str, clock: TestClock
    ) -> None:
        claim = _left_running(runtime, _scope(runtime, api_key), "lost", "/v1/accounts",
                              ACCOUNT_BODY, started=clock.now())  # fmt: skip
        _create_account_as(claim, runtime)  # the effect commits; then the process dies
        clock.set(clock.now() + LEASE + timedelta(seconds=1))

        responses = [
            client.post("/v1/accounts", content=ACCOUNT_BODY, headers={**JSON, **_key("lost")})
            for _ in range(2)
        ]

        for response in responses:
            error = error_of(response, 409)
            assert (error["code"], error["param"]) == ("idempotency_outcome_unknown", HEADER)
        assert [a["id"] for a in whole_list(client, "/v1/accounts")] == ["acme"]

    def test_the_effect_is_recorded_in_the_transaction_that_commits_it(
        self, runtime: Runtime, clock: TestClock
    ) -> None:
        claim = _left_running(runtime, "scope", "k", "/v1/accounts", ACCOUNT_BODY,
                              started=clock.now())  # fmt: skip

        _create_account_as(claim, runtime)

        with runtime.uow() as uow:
            found = uow.idempotency.find("scope", "k")
        assert found is not None
        assert (found.state, found.owner, found.status_code) == (
            EFFECT_COMMITTED,
            claim.owner,
            None,
        )

    def test_a_slow_request_whose_claim_was_taken_over_commits_nothing(
        self, client: TestClient, runtime: Runtime, clock: TestClock
    ) -> None:
        slow = _left_running(runtime, "scope", "k", "/v1/accounts", ACCOUNT_BODY,
                             started=clock.now())  # fmt: skip
        with runtime.uow() as uow:
            assert uow.idempotency.take_over(
                IdempotencyClaim("scope", "k", "retry"), slow.owner, clock.now()
            )
            uow.commit()

        with pytest.raises(Conflict) as refused:
            _create_account_as(slow, runtime)

        assert refused.value.code == "idempotency_claim_lost"
        assert whole_list(client, "/v1/accounts") == []

    def test_a_5xx_after_the_effect_committed_is_not_run_again(
        self, runtime: Runtime, api_key: str
    ) -> None:
        app = create_app(runtime)

        @app.post("/v1/accounts-then-boom")
        def effect_then_boom() -> None:
            create_account(CreateAccount(name="Acme", id="acme"), uow=runtime.uow(),
                           clock=runtime.clock)  # fmt: skip
            raise RuntimeError("a bug after the effect")

        client = TestClient(
            app, headers={"Authorization": f"Bearer {api_key}"}, raise_server_exceptions=False
        )
        first = client.post("/v1/accounts-then-boom", json={}, headers=_key("boom"))
        again = client.post("/v1/accounts-then-boom", json={}, headers=_key("boom"))

        assert first.status_code == 500
        assert error_of(again, 409)["code"] == "idempotency_outcome_unknown"
        assert [a["id"] for a in whole_list(client, "/v1/accounts")] == ["acme"]


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

        def claim(owner: str) -> None:
            barrier.wait()
            decided, _ = _claim(runtime, IdempotencyClaim("scope", "race", owner), "hash")
            won.append(decided == "claimed")

        threads = [threading.Thread(target=claim, args=(f"owner-{n}",)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(won) == [False] * 7 + [True]

    def test_concurrent_retries_of_a_dead_request_take_it_over_once(
        self, runtime: Runtime, clock: TestClock
    ) -> None:
        started = clock.now() - LEASE - timedelta(seconds=1)
        _left_running(runtime, "scope", "k", TOP_UPS, TOP_UP_BODY, started=started)
        hashed = request_hash("POST", TOP_UPS, TOP_UP_BODY)
        barrier = threading.Barrier(8)
        decided: list[str] = []

        def retry(owner: str) -> None:
            barrier.wait()
            decided.append(_claim(runtime, IdempotencyClaim("scope", "k", owner), hashed)[0])

        threads = [threading.Thread(target=retry, args=(f"retry-{n}",)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(decided) == ["claimed"] + ["in_progress"] * 7
