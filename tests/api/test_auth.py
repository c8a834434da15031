"""Operator API keys: every /v1 route needs one, and a refusal never hints at what exists."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.builders import error_of, sqlite_only, subscribed

UNAUTHORIZED = {
    "error": {
        "type": "authentication_error",
        "code": "unauthorized",
        "message": "A valid operator API key is required.",
        "param": None,
    }
}

BAD_HEADERS = {
    "missing": {},
    "empty": {"Authorization": ""},
    "basic scheme": {"Authorization": "Basic dXNlcjpwYXNz"},
    "token scheme": {"Authorization": "Token tl_sk_whatever"},
    "bearer without a key": {"Authorization": "Bearer "},
    "unknown key": {"Authorization": "Bearer tl_sk_not-a-real-key"},
    "key without scheme": {"Authorization": "tl_sk_not-a-real-key"},
}


class TestRefusedRequests:
    @sqlite_only
    @pytest.mark.parametrize("headers", BAD_HEADERS.values(), ids=BAD_HEADERS.keys())
    def test_a_missing_malformed_or_unknown_key_gets_the_same_401(
        self, anonymous: TestClient, headers: dict[str, str]
    ) -> None:
        response = anonymous.get("/v1/accounts", headers=headers)

        assert response.status_code == 401
        assert response.json() == UNAUTHORIZED
        assert response.headers["WWW-Authenticate"] == "Bearer"

    @sqlite_only
    def test_every_v1_route_refuses_a_request_without_a_key(self, anonymous: TestClient) -> None:
        paths = anonymous.get("/openapi.json").json()["paths"]
        routes = [(m.upper(), _concrete(p)) for p, operations in paths.items() for m in operations]

        refused = {
            (method, path): (response.status_code, response.json())
            for method, path in routes
            for response in [anonymous.request(method, path, json={})]
        }

        assert len(routes) >= 30
        assert refused == {route: (401, UNAUTHORIZED) for route in routes}

    def test_a_refusal_does_not_tell_whether_the_account_exists(
        self, client: TestClient, anonymous: TestClient
    ) -> None:
        subscribed(client, "acme")
        bad = {"Authorization": "Bearer tl_sk_guess"}

        existing = anonymous.get("/v1/accounts/acme", headers=bad)
        missing = anonymous.get("/v1/accounts/nobody", headers=bad)

        assert existing.status_code == missing.status_code == 401
        assert existing.content == missing.content

    def test_a_truncated_key_is_refused(self, anonymous: TestClient, api_key: str) -> None:
        headers = {"Authorization": f"Bearer {api_key[:-1]}"}
        response = anonymous.get("/v1/accounts", headers=headers)

        assert error_of(response, 401)["code"] == "unauthorized"


class TestAcceptedRequests:
    def test_a_valid_key_reads_the_api(self, client: TestClient) -> None:
        response = client.get("/v1/accounts")

        assert response.status_code == 200
        assert response.json() == {"data": [], "has_more": False}

    @sqlite_only
    def test_the_bearer_scheme_is_case_insensitive(
        self, anonymous: TestClient, api_key: str
    ) -> None:
        response = anonymous.get("/v1/accounts", headers={"Authorization": f"bearer {api_key}"})

        assert response.status_code == 200

    @sqlite_only
    def test_health_needs_no_key(self, anonymous: TestClient) -> None:
        assert anonymous.get("/health").json() == {"status": "ok"}


@sqlite_only
class TestOpenApi:
    def test_the_openapi_document_is_served_and_lists_the_v1_paths(
        self, anonymous: TestClient
    ) -> None:
        response = anonymous.get("/openapi.json")

        assert response.status_code == 200
        paths = response.json()["paths"]
        assert "/v1/accounts" in paths
        assert "/v1/subscriptions" in paths
        assert "/v1/subscriptions/{subscription_id}/change" in paths
        assert "/v1/accounts/{account_id}/balance/top_ups" in paths
        assert "/v1/invoices/{number}" in paths
        assert "/v1/test_clock/advance" in paths
        assert all(path.startswith("/v1/") for path in paths)

    def test_the_openapi_document_declares_bearer_authentication(
        self, anonymous: TestClient
    ) -> None:
        schemes = anonymous.get("/openapi.json").json()["components"]["securitySchemes"]

        assert [s["scheme"].lower() for s in schemes.values()] == ["bearer"]


def _concrete(template: str) -> str:
    """`/v1/accounts/{account_id}/…` → `/v1/accounts/acme/…`: any value does for a 401."""
    return re.sub(r"\{[^}]+\}", "x1", template)
