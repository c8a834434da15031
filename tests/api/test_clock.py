"""The sandbox test clock: advancing runs what falls due; it never moves backwards."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.builders import base_of, error_of, sqlite_only, subscribed, whole_list
from tierline.api.app import create_app
from tierline.clock import SystemClock
from tierline.payments import SandboxGateway
from tierline.runtime import Runtime
from tierline.services.operators import create_api_key

ADVANCE = "/v1/test_clock/advance"


class TestReadClock:
    def test_the_clock_shows_the_runtime_time(self, client: TestClient) -> None:
        assert client.get("/v1/test_clock").json() == {"now": "2026-01-31T10:00:00Z"}


class TestAdvance:
    def test_advancing_past_the_period_end_renews_the_subscription(
        self, client: TestClient
    ) -> None:
        subscribed(client)

        response = client.post(ADVANCE, json={"to": "2026-03-01T00:00:00Z"})

        assert response.status_code == 200
        assert response.json() == {"now": "2026-03-01T00:00:00Z"}
        sub = client.get(base_of(client)).json()
        assert (sub["current_period_start"], sub["current_period_end"]) == (
            "2026-02-28T10:00:00Z", "2026-03-31T10:00:00Z",
        )  # fmt: skip
        invoices = whole_list(client, "/v1/accounts/acme/invoices")
        assert len(invoices) == 2
        renewal = invoices[1]
        assert (renewal["status"], renewal["total"]) == ("paid", "50.00")
        assert renewal["reason"] != "subscription_create"
        assert renewal["lines"][0]["period_start"] == "2026-02-28T10:00:00Z"

    def test_advancing_before_anything_falls_due_only_moves_the_clock(
        self, client: TestClient
    ) -> None:
        subscribed(client)

        client.post(ADVANCE, json={"to": "2026-02-10T00:00:00+00:00"})

        assert client.get("/v1/test_clock").json() == {"now": "2026-02-10T00:00:00Z"}
        assert len(whole_list(client, "/v1/accounts/acme/invoices")) == 1

    def test_advancing_to_the_current_instant_is_accepted(self, client: TestClient) -> None:
        response = client.post(ADVANCE, json={"to": "2026-01-31T10:00:00Z"})

        assert response.json() == {"now": "2026-01-31T10:00:00Z"}

    def test_moving_backwards_is_refused(self, client: TestClient) -> None:
        client.post(ADVANCE, json={"to": "2026-02-10T00:00:00Z"})

        error = error_of(client.post(ADVANCE, json={"to": "2026-02-01T00:00:00Z"}), 400)

        assert (error["code"], error["param"]) == ("invalid_request", "to")
        assert client.get("/v1/test_clock").json() == {"now": "2026-02-10T00:00:00Z"}

    @sqlite_only
    @pytest.mark.parametrize(
        "body",
        [{"to": "next tuesday"}, {"to": "2026-02-10T00:00:00"}, {"to": 1767225600}, {},
         {"to": "2026-02-10T00:00:00Z", "by": "1d"}],
        ids=["not an instant", "no timezone", "a number", "missing", "unknown field"],
    )  # fmt: skip
    def test_a_bad_instant_is_refused_naming_the_field(
        self, client: TestClient, body: dict[str, Any]
    ) -> None:
        error = error_of(client.post(ADVANCE, json=body), 400)

        assert error["param"] in {"to", "by"}


def test_a_server_on_the_real_clock_refuses_to_advance(engine: Engine, runtime: Runtime) -> None:
    real = Runtime(engine, SystemClock(), SandboxGateway())
    key = create_api_key("real", uow=real.uow(), clock=real.clock).secret
    with TestClient(create_app(real), headers={"Authorization": f"Bearer {key}"}) as client:
        error = error_of(client.post(ADVANCE, json={"to": "2099-01-01T00:00:00Z"}), 403)

    assert error["code"] == "test_clock_disabled"
