"""Every list endpoint pages the same way: `limit` (1 to 100, default 20) and `starting_after`
(the last item of the previous page) in, `{"data": [...], "has_more": bool}` out, in the list's
order, whatever the store.

The catalog is the entitlements one (limits, reconciliation rules), with downgrades taking
effect at once so that each one reconciles the account's content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import (
    GOOD_CARD,
    a_catalog,
    an_account,
    base_of,
    error_of,
    sqlite_only,
    subscribed,
    whole_list,
)

BASE = "/v1/accounts/acme"
PRICES = [{"cycle": "month", "per_unit": "10.00"}, {"cycle": "year", "per_unit": "108.00"}]


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    catalog = a_catalog(
        editions=[
            {"code": "free", "name": "Free", "rank": 0, "free": True,
             "quantity": {"min": 3, "max": 3, "default": 3},
             "limits": {"guests": 0, "runs": 100, "rooms": 1}},
            {"code": "pro", "name": "Pro", "rank": 1,
             "quantity": {"min": 1, "max": 50, "default": 5},
             "limits": {"guests": 10, "runs": 1000, "rooms": 3}, "prices": PRICES},
            {"code": "max", "name": "Max", "rank": 2,
             "quantity": {"min": 1, "max": None, "default": 1},
             "limits": {"guests": 100, "runs": 10000, "rooms": 10},
             "prices": [{"cycle": "month", "flat": "99.00"}, {"cycle": "year", "flat": "999.00"}]},
        ],
        quotas=["runs"],
        reconciliation=[{"limit": "rooms", "resource": "room", "rule": "remove_newest"}],
    )  # fmt: skip
    catalog["policies"]["downgrade"] = {
        "timing": "immediate", "proration": "prorate", "credit_to": "balance",
    }  # fmt: skip
    return catalog


# --- arrangements: each makes a list of at least three items, and returns their cursors in
# the list's order when the test can know them beforehand -----------------------------------


def _accounts(client: TestClient) -> list[str] | None:
    for account_id in ("a3", "a1", "a5", "a2", "a4"):
        an_account(client, account_id, card=None)
    return ["a1", "a2", "a3", "a4", "a5"]


def _payment_methods(client: TestClient) -> list[str] | None:
    an_account(client, card=None)
    for method_id in ("card-c", "card-a", "card-e", "card-b", "card-d"):
        added = client.post(f"{BASE}/payment_methods", json={"card": GOOD_CARD, "id": method_id})
        assert added.status_code == 201, added.text
    return ["card-a", "card-b", "card-c", "card-d", "card-e"]  # added at one instant: by id


def _top_ups(client: TestClient) -> list[str] | None:
    subscribed(client)  # the free edition takes no top-ups
    for amount in ("10.00", "20.00", "30.00", "40.00", "50.00"):
        response = client.post(f"{BASE}/balance/top_ups", json={"amount": amount})
        assert response.status_code == 201, response.text
    return None  # journal entry ids are made by the server


def _seat_increases(client: TestClient) -> list[str] | None:
    """A subscription, then four seat increases at the same instant: five paid invoices that
    share their issue time (so the number orders them), five payments, five receipts."""
    subscribed(client, quantity=5)
    for seats in (6, 7, 8, 9):
        response = client.post(f"{base_of(client)}/change", json={"quantity": seats})
        assert response.status_code == 200, response.text
    return None


def _invoices(client: TestClient) -> list[str] | None:
    _seat_increases(client)
    return [f"INV-2026-00000{n}" for n in range(1, 6)]


def _cycle_changes(client: TestClient) -> list[str] | None:
    """Each cycle change credits the unused period on a credit note."""
    subscribed(client, quantity=5)
    notes = []
    for cycle in ("year", "month", "year", "month"):
        response = client.post(f"{base_of(client)}/change", json={"cycle": cycle})
        assert response.status_code == 200, response.text
        notes.append(response.json()["credit_note"])
    return notes


def _messages(client: TestClient) -> list[str] | None:
    _seat_increases(client)
    return None


def _webhook_endpoints(client: TestClient) -> list[str] | None:
    created = []
    for n in range(5):
        response = client.post("/v1/webhook_endpoints", json={"url": f"https://example.com/{n}"})
        assert response.status_code == 201, response.text
        created.append(response.json()["id"])
    return created


def _entitlements(client: TestClient) -> list[str] | None:
    subscribed(client)
    return ["seats", "guests", "rooms", "runs"]


def _members(client: TestClient) -> list[str] | None:
    subscribed(client, quantity=10)
    for person, application in [("bob", "crm"), ("ann", "hr"), ("cid", "crm"), ("ann", "crm"),
                                ("a b", "crm")]:  # fmt: skip
        response = client.put(f"{BASE}/members/{person}/{application}", json={"status": "normal"})
        assert response.status_code == 200, response.text
    return ["a%20b/crm", "ann/crm", "ann/hr", "bob/crm", "cid/crm"]


def _resources(client: TestClient) -> list[str] | None:
    """Oldest activated first, never activated last, then by id."""
    subscribed(client, edition="max", quantity=1)
    for resource_id, day in [("r-a", None), ("r-b", 3), ("r-c", 1), ("r-d", None), ("r-e", 3)]:
        body: dict[str, Any] = {"type": "room"}
        if day is not None:
            body["activated_at"] = f"2026-01-0{day}T09:00:00Z"
        response = client.put(f"{BASE}/resources/{resource_id}", json=body)
        assert response.status_code == 200, response.text
    return ["r-c", "r-b", "r-e", "r-a", "r-d"]


def _reconciliations(client: TestClient) -> list[str] | None:
    """Three downgrades from Max (10 rooms) to Pro (3 rooms), each with a fourth room."""
    subscribed(client, edition="max", quantity=1)
    for n in range(3):
        for room in range(4):
            client.put(f"{BASE}/resources/room-{n}-{room}", json={"type": "room"})
        down = client.post(f"{base_of(client)}/change", json={"edition": "pro", "quantity": 1})
        assert down.status_code == 200, down.text
        up = client.post(f"{base_of(client)}/change", json={"edition": "max", "quantity": 1})
        assert up.status_code == 200, up.text
    return None


def _plan_summary(client: TestClient) -> list[str] | None:
    return ["free", "pro", "max"]  # the catalog's order


@dataclass(frozen=True)
class Listing:
    path: str
    cursor: str  # the field of an item that `starting_after` names
    arrange: Callable[[TestClient], list[str] | None]
    params: dict[str, str] = field(default_factory=dict)


LISTINGS = [
    pytest.param(Listing("/v1/accounts", "id", _accounts), id="accounts"),
    pytest.param(Listing(f"{BASE}/payment_methods", "id", _payment_methods), id="payment methods"),
    pytest.param(Listing(f"{BASE}/balance/transactions", "id", _top_ups),
                 id="balance transactions"),
    pytest.param(Listing(f"{BASE}/invoices", "number", _invoices), id="invoices"),
    pytest.param(Listing(f"{BASE}/invoices", "number", _invoices, {"status": "paid"}),
                 id="paid invoices"),
    pytest.param(Listing(f"{BASE}/credit_notes", "number", _cycle_changes), id="credit notes"),
    pytest.param(Listing(f"{BASE}/receipts", "number", _seat_increases), id="receipts"),
    pytest.param(Listing(f"{BASE}/payments", "id", _seat_increases), id="payments"),
    pytest.param(Listing(f"{BASE}/messages", "id", _messages), id="messages"),
    pytest.param(Listing("/v1/webhook_endpoints", "id", _webhook_endpoints),
                 id="webhook endpoints"),
    pytest.param(Listing(f"{BASE}/entitlements", "name", _entitlements), id="entitlements"),
    pytest.param(Listing(f"{BASE}/members", "id", _members), id="members"),
    pytest.param(Listing(f"{BASE}/resources", "id", _resources), id="resources"),
    pytest.param(Listing(f"{BASE}/reconciliations", "id", _reconciliations),
                 id="reconciliations"),
    pytest.param(Listing("/v1/plans/summary", "edition", _plan_summary), id="plan summary"),
]  # fmt: skip


def every_item(client: TestClient, listing: Listing) -> list[dict[str, Any]]:
    return whole_list(client, listing.path, {**listing.params, "limit": 100})


@pytest.mark.parametrize("listing", LISTINGS)
class TestEveryList:
    def test_pages_of_two_walk_the_whole_list_once_in_order(
        self, client: TestClient, listing: Listing
    ) -> None:
        expected = listing.arrange(client)
        whole = every_item(client, listing)
        cursors = [item[listing.cursor] for item in whole]
        assert len(whole) >= 3, whole  # two pages at least
        assert len(set(cursors)) == len(cursors), cursors
        if expected is not None:
            assert cursors == expected

        seen: list[dict[str, Any]] = []
        flags: list[bool] = []
        query: dict[str, Any] = {**listing.params, "limit": 2}
        while True:
            response = client.get(listing.path, params=query)
            assert response.status_code == 200, response.text
            page = response.json()
            assert set(page) == {"data", "has_more"}
            assert 1 <= len(page["data"]) <= 2, page
            seen += page["data"]
            flags.append(page["has_more"])
            if not page["has_more"]:
                break
            query["starting_after"] = page["data"][-1][listing.cursor]

        assert seen == whole
        pages = (len(whole) + 1) // 2
        assert flags == [True] * (pages - 1) + [False]

    def test_an_unknown_cursor_is_refused_naming_starting_after(
        self, client: TestClient, listing: Listing
    ) -> None:
        listing.arrange(client)

        params = {**listing.params, "starting_after": "nothing-of-the-kind"}
        error = error_of(client.get(listing.path, params=params), 400)

        assert (error["type"], error["code"]) == ("invalid_request_error", "unknown_cursor")
        assert error["param"] == "starting_after"

    @sqlite_only
    @pytest.mark.parametrize("limit", ["0", "101", "-1", "many", "2.5", ""])
    def test_a_limit_outside_1_to_100_is_refused_naming_limit(
        self, client: TestClient, listing: Listing, limit: str
    ) -> None:
        error = error_of(client.get(listing.path, params={**listing.params, "limit": limit}), 400)

        assert (error["code"], error["param"]) == ("invalid_request", "limit")


class TestCursors:
    def test_without_a_limit_a_page_holds_20_items(self, client: TestClient) -> None:
        subscribed(client)
        for _ in range(21):
            client.post(f"{BASE}/balance/top_ups", json={"amount": "10.00"})

        page = client.get(f"{BASE}/balance/transactions").json()

        assert (len(page["data"]), page["has_more"]) == (20, True)

    def test_an_invoice_of_another_account_is_not_a_cursor_here(self, client: TestClient) -> None:
        subscribed(client, "other")
        subscribed(client, "acme")
        [theirs] = whole_list(client, "/v1/accounts/other/invoices")

        error = error_of(
            client.get(f"{BASE}/invoices", params={"starting_after": theirs["number"]}), 400
        )

        assert (error["code"], error["param"]) == ("unknown_cursor", "starting_after")

    def test_an_invoice_outside_the_status_filter_still_marks_the_place(
        self, client: TestClient
    ) -> None:
        _seat_increases(client)
        paid = whole_list(client, f"{BASE}/invoices", {"status": "paid"})

        params = {"status": "open", "starting_after": paid[1]["number"]}
        response = client.get(f"{BASE}/invoices", params=params)

        assert response.status_code == 200, response.text
        assert response.json() == {"data": [], "has_more": False}

    @pytest.mark.parametrize("cursor", ["evt_", "evt_x", "evt_-1", "evt_" + "9" * 30, "1"])
    def test_a_message_cursor_that_names_no_event_is_refused(
        self, client: TestClient, cursor: str
    ) -> None:
        an_account(client)

        error = error_of(client.get(f"{BASE}/messages", params={"starting_after": cursor}), 400)

        assert (error["code"], error["param"]) == ("unknown_cursor", "starting_after")

    @pytest.mark.parametrize("cursor", ["ann", "ann/crm/x", "/crm", "ann/", "bob/crm"])
    def test_a_member_cursor_that_names_no_member_is_refused(
        self, client: TestClient, cursor: str
    ) -> None:
        subscribed(client)
        client.put(f"{BASE}/members/ann/crm", json={"status": "normal"})

        error = error_of(client.get(f"{BASE}/members", params={"starting_after": cursor}), 400)

        assert (error["code"], error["param"]) == ("unknown_cursor", "starting_after")
