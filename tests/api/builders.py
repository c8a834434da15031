"""Builders for API tests: a catalog as a mapping, and accounts and subscriptions made through
HTTP; `error_of` checks the status and the shape of an error body."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
ERROR_KEYS = {"type", "code", "message", "param"}

# For a test whose outcome is decided before the store is involved (request parsing, schema
# validation, authentication headers, OpenAPI): one store is enough, and keeps the suite quick.
sqlite_only = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def a_catalog(**overrides: Any) -> dict[str, Any]:
    """Free, Pro (per seat, 14-day trial) and Max (flat); month and year cycles; two add-ons,
    one only on Max; an SMS meter; paid → free refused; top-ups of at least 10.00."""
    data: dict[str, Any] = {
        "currency": "EUR",
        "quantity_unit": "seat",
        "cycles": [
            {"code": "month", "name": "Monthly", "months": 1},
            {"code": "year", "name": "Annual", "months": 12, "discount_percent": 10},
        ],
        "editions": [
            {"code": "free", "name": "Free", "rank": 0, "free": True,
             "quantity": {"min": 1, "max": 3, "default": 3}},
            {"code": "pro", "name": "Pro", "rank": 1, "trial_days": 14,
             "quantity": {"min": 1, "max": 50, "default": 5},
             "prices": [{"cycle": "month", "per_unit": "10.00"},
                        {"cycle": "year", "per_unit": "108.00"}]},
            {"code": "max", "name": "Max", "rank": 2,
             "quantity": {"min": 1, "max": None, "default": 1},
             "prices": [{"cycle": "month", "flat": "99.00"}, {"cycle": "year", "flat": "999.00"}]},
        ],
        "addons": [
            {"code": "storage", "name": "Storage pack", "grants": {"storage_gb": 100},
             "prices": [{"cycle": "month", "per_unit": "5.00"},
                        {"cycle": "year", "per_unit": "50.00"}]},
            {"code": "audit", "name": "Audit log", "available_on": ["max"],
             "prices": [{"cycle": "month", "flat": "20.00"}, {"cycle": "year", "flat": "200.00"}]},
        ],
        "meters": [{"code": "sms", "name": "SMS", "unit_price": "0.05"}],
        "policies": {
            "upgrade": {"timing": "immediate", "proration": "prorate", "credit_to": "invoice"},
            "downgrade": {"timing": "end_of_period", "proration": "none"},
            "quantity_increase": {"timing": "immediate", "proration": "prorate"},
            "quantity_decrease": {"timing": "end_of_period", "proration": "none"},
            "cycle_change": {"timing": "immediate", "proration": "restart",
                             "credit_to": "credit_note"},
            "addon_add": {"timing": "immediate", "proration": "prorate"},
            "addon_remove": {"timing": "immediate", "proration": "prorate",
                             "credit_to": "balance"},
            "transitions": [{"from": ["pro", "max"], "to": ["free"],
                             "message": "A paid edition cannot go back to Free."}],
        },
        "balance": {"top_up_min": "10.00"},
    }  # fmt: skip
    data.update(copy.deepcopy(overrides))
    return data


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The error object of a refused request, after checking its status and shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == ERROR_KEYS, body
    assert body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


def whole_list(
    client: TestClient, path: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The items of a list endpoint, after checking they fit on its first page."""
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    page = response.json()
    assert set(page) == {"data", "has_more"}, page
    assert page["has_more"] is False, page
    items: list[dict[str, Any]] = page["data"]
    return items


def an_account(
    client: TestClient, account_id: str = "acme", *, card: str | None = GOOD_CARD, **fields: Any
) -> dict[str, Any]:
    response = client.post("/v1/accounts", json={"id": account_id, "name": "Acme", **fields})
    assert response.status_code == 201, response.text
    if card is not None:
        added = client.post(
            f"/v1/accounts/{account_id}/payment_methods", json={"card": card, "id": "card"}
        )
        assert added.status_code == 201, added.text
    account: dict[str, Any] = response.json()
    return account


def subscribed(
    client: TestClient,
    account_id: str = "acme",
    *,
    edition: str = "pro",
    cycle: str = "month",
    quantity: int | None = 5,
    **fields: Any,
) -> dict[str, Any]:
    """An account with a card and a paid (not trialing) subscription."""
    an_account(client, account_id)
    body = {"edition": edition, "cycle": cycle, "quantity": quantity, "trial": False, **fields}
    response = client.post("/v1/subscriptions", json={"account_id": account_id, **body})
    assert response.status_code == 201, response.text
    subscription: dict[str, Any] = response.json()
    return subscription


def base_of(client: TestClient, account_id: str = "acme") -> str:
    """The path of the account's base subscription: its latest with an edition."""
    listed = whole_list(client, "/v1/subscriptions", {"account_id": account_id})
    based = [sub for sub in listed if sub["edition"] is not None]
    assert based, listed
    return f"/v1/subscriptions/{based[-1]['id']}"
