"""Webhook endpoints through /v1/webhook_endpoints, and what they then receive."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import error_of, subscribed, whole_list
from notify.receiver import Receiver
from tierline.notify import Dispatcher, HttpxSender
from tierline.runtime import Runtime

ENDPOINT_KEYS = {"id", "url", "event_types", "created_at"}


def an_endpoint(client: TestClient, url: str, *event_types: str) -> dict[str, Any]:
    response = client.post(
        "/v1/webhook_endpoints", json={"url": url, "event_types": list(event_types)}
    )
    assert response.status_code == 201, response.text
    endpoint: dict[str, Any] = response.json()
    return endpoint


class TestCreateEndpoint:
    def test_creating_an_endpoint_returns_it_with_its_signing_secret(
        self, client: TestClient
    ) -> None:
        response = client.post(
            "/v1/webhook_endpoints",
            json={"url": "https://hooks.example.test/tierline", "event_types": ["invoice.paid"]},
        )

        assert response.status_code == 201
        created = response.json()
        assert set(created) == ENDPOINT_KEYS | {"secret"}
        assert created["id"]
        assert created["url"] == "https://hooks.example.test/tierline"
        assert created["event_types"] == ["invoice.paid"]
        assert created["created_at"] == "2026-01-31T10:00:00Z"
        assert created["secret"].startswith("whsec_")

    def test_the_secret_is_shown_only_on_creation(self, client: TestClient) -> None:
        created = an_endpoint(client, "https://hooks.example.test/")

        listed = whole_list(client, "/v1/webhook_endpoints")

        assert listed == [{k: v for k, v in created.items() if k != "secret"}]

    def test_an_endpoint_without_event_types_is_sent_every_event(self, client: TestClient) -> None:
        response = client.post("/v1/webhook_endpoints", json={"url": "http://localhost:9000/h"})

        assert response.status_code == 201
        assert response.json()["event_types"] == []

    @pytest.mark.parametrize(
        "url",
        ["", "hooks.example.test", "ftp://hooks.example.test/", "javascript:alert(1)",
         "https://", "http:///path", "https://hooks.example.test:99999/",
         "https://hooks.example.test/a b"],
    )  # fmt: skip
    def test_a_url_that_is_not_http_or_https_is_refused(self, client: TestClient, url: str) -> None:
        response = client.post("/v1/webhook_endpoints", json={"url": url})

        error = error_of(response, 400)
        assert (error["code"], error["param"]) == ("invalid_url", "url")

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({}, "url"),
            ({"url": 42}, "url"),
            ({"url": "https://h.test/", "event_types": "invoice.paid"}, "event_types"),
            ({"url": "https://h.test/", "event_types": [""]}, "event_types"),
            ({"url": "https://h.test/", "event_types": ["invoice paid"]}, "event_types"),
            ({"url": "https://h.test/", "enabled": False}, "enabled"),
        ],
    )
    def test_a_bad_field_is_refused_and_named(
        self, client: TestClient, body: dict[str, Any], param: str
    ) -> None:
        error = error_of(client.post("/v1/webhook_endpoints", json=body), 400)

        assert error["param"] == param

    def test_webhook_endpoints_need_an_operator_key(self, anonymous: TestClient) -> None:
        assert anonymous.get("/v1/webhook_endpoints").status_code == 401
        created = anonymous.post("/v1/webhook_endpoints", json={"url": "https://h.test/"})
        assert created.status_code == 401
        assert anonymous.delete("/v1/webhook_endpoints/we_1").status_code == 401


class TestListAndDeleteEndpoints:
    def test_endpoints_are_listed_in_the_order_they_were_created(self, client: TestClient) -> None:
        first = an_endpoint(client, "https://one.example.test/")
        second = an_endpoint(client, "https://two.example.test/", "invoice.paid")

        listed = whole_list(client, "/v1/webhook_endpoints")

        assert [e["id"] for e in listed] == [first["id"], second["id"]]
        assert all(set(e) == ENDPOINT_KEYS for e in listed)

    def test_a_deleted_endpoint_is_no_longer_listed(self, client: TestClient) -> None:
        kept = an_endpoint(client, "https://one.example.test/")
        gone = an_endpoint(client, "https://two.example.test/")

        response = client.delete(f"/v1/webhook_endpoints/{gone['id']}")

        assert response.status_code == 204
        assert [e["id"] for e in whole_list(client, "/v1/webhook_endpoints")] == [kept["id"]]

    def test_deleting_an_unknown_or_deleted_endpoint_is_not_found(self, client: TestClient) -> None:
        gone = an_endpoint(client, "https://two.example.test/")
        client.delete(f"/v1/webhook_endpoints/{gone['id']}")

        again = error_of(client.delete(f"/v1/webhook_endpoints/{gone['id']}"), 404)
        unknown = error_of(client.delete("/v1/webhook_endpoints/we_missing"), 404)

        assert again["code"] == unknown["code"] == "webhook_endpoint_missing"


class TestDelivery:
    def test_a_registered_endpoint_receives_signed_events_of_the_types_it_chose(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        with Receiver() as receiver:
            endpoint = an_endpoint(client, receiver.url, "subscription.created", "invoice.paid")
            subscribed(client, "acme", edition="pro", quantity=5)

            Dispatcher(sender=HttpxSender(timeout=5)).dispatch_once(runtime)

        bodies = [request.verify(endpoint["secret"]) for request in receiver.requests]
        assert sorted(b["type"] for b in bodies) == ["invoice.paid", "subscription.created"]
        created = next(b for b in bodies if b["type"] == "subscription.created")
        assert created["timestamp"] == "2026-01-31T10:00:00Z"
        assert created["data"]["account_id"] == "acme"
        assert created["data"]["edition"] == "pro"
        assert created["data"]["subscription"]

    def test_a_deleted_endpoint_receives_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        with Receiver() as receiver:
            endpoint = an_endpoint(client, receiver.url)
            client.delete(f"/v1/webhook_endpoints/{endpoint['id']}")
            subscribed(client, "acme")

            Dispatcher(sender=HttpxSender(timeout=5)).dispatch_once(runtime)

        assert receiver.requests == []
