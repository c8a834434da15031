"""Entitlements through HTTP: listing and checking limits, reporting members, consumption and
resources, and the content a downgrade would change in the preview.

The catalog: Free (3 seats, no guests, 100 runs, 1 room), Pro (1–50 seats at 10.00, 10 guests,
1,000 runs, 3 rooms, templates), Max (99.00 flat, 100 guests, 10,000 runs, 10 rooms,
templates); a guest pack adds 10 guests for 3.00 a month; runs are a per-period quota.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.builders import a_catalog, base_of, error_of, sqlite_only, subscribed, whole_list

BASE = "/v1/accounts/acme"
CHECK = f"{BASE}/entitlements/check"
MONTH = [{"cycle": "month", "per_unit": "10.00"}, {"cycle": "year", "per_unit": "108.00"}]


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    return a_catalog(
        editions=[
            {"code": "free", "name": "Free", "rank": 0, "free": True,
             "quantity": {"min": 3, "max": 3, "default": 3},
             "limits": {"guests": 0, "runs": 100, "rooms": 1}},
            {"code": "pro", "name": "Pro", "rank": 1,
             "quantity": {"min": 1, "max": 50, "default": 5},
             "limits": {"guests": 10, "runs": 1000, "rooms": 3}, "features": ["templates"],
             "prices": MONTH},
            {"code": "max", "name": "Max", "rank": 2,
             "quantity": {"min": 1, "max": None, "default": 1},
             "limits": {"guests": 100, "runs": 10000, "rooms": 10}, "features": ["templates"],
             "prices": [{"cycle": "month", "flat": "99.00"}, {"cycle": "year", "flat": "999.00"}]},
        ],
        addons=[
            {"code": "guest-pack", "name": "Guest pack (10)", "grants": {"guests": 10},
             "prices": [{"cycle": "month", "per_unit": "3.00"},
                        {"cycle": "year", "per_unit": "30.00"}]},
        ],
        quotas=["runs"],
        reconciliation=[
            {"limit": "rooms", "resource": "room", "rule": "remove_newest"},
            {"feature": "templates", "resource": "template", "rule": "detach_without_feature"},
        ],
    )  # fmt: skip


def put_member(client: TestClient, person: str, application: str = "crm", **body: Any) -> Any:
    return client.put(f"{BASE}/members/{person}/{application}", json={"status": "normal", **body})


class TestEntitlements:
    def test_each_limit_is_listed_with_used_limit_and_remaining(self, client: TestClient) -> None:
        subscribed(client, quantity=5)
        put_member(client, "ann")
        client.post(f"{BASE}/consumption", json={"limit": "runs", "amount": 40})

        body = whole_list(client, f"{BASE}/entitlements")

        assert [(e["name"], e["used"], e["limit"], e["remaining"], e["quota"]) for e in body] == [
            ("seats", 1, 5, 4, False),
            ("guests", 0, 10, 10, False),
            ("rooms", 0, 3, 3, False),
            ("runs", 40, 1000, 960, True),
        ]
        runs = body[3]
        assert (runs["period_start"], runs["period_end"]) == (
            "2026-01-31T10:00:00Z", "2026-02-28T10:00:00Z",
        )  # fmt: skip

    def test_an_account_without_a_subscription_has_no_entitlements(
        self, client: TestClient
    ) -> None:
        client.post("/v1/accounts", json={"id": "acme", "name": "Acme"})

        error = error_of(client.get(f"{BASE}/entitlements"), 404)

        assert error["code"] == "no_subscription"


class TestCheck:
    def test_a_fitting_action_is_allowed(self, client: TestClient) -> None:
        subscribed(client)

        response = client.post(CHECK, json={"limit": "guests", "amount": 10})

        assert response.status_code == 200, response.text
        assert response.json() == {
            "name": "guests", "amount": 10, "allowed": True, "used": 0, "limit": 10,
            "remaining": 10, "suggestion": None,
        }  # fmt: skip

    def test_a_refused_action_names_the_pack_that_would_allow_it(self, client: TestClient) -> None:
        subscribed(client)
        for n in range(10):
            put_member(client, f"guest{n}", "portal", counts_toward="guests")

        response = client.post(CHECK, json={"limit": "guests"})

        body = response.json()
        assert (body["allowed"], body["used"], body["limit"], body["remaining"]) == (
            False, 10, 10, 0,
        )  # fmt: skip
        assert body["suggestion"] == {
            "kind": "addon", "code": "guest-pack", "name": "Guest pack (10)", "quantity": 1,
            "change": {"addons": {"guest-pack": 1}},
        }  # fmt: skip

    def test_the_suggested_change_can_be_sent_as_it_is(self, client: TestClient) -> None:
        subscribed(client, quantity=2)
        put_member(client, "ann")
        put_member(client, "bob")
        suggestion = client.post(CHECK, json={"limit": "seats"}).json()["suggestion"]

        changed = client.post(f"{base_of(client)}/change", json=suggestion["change"])

        assert changed.status_code == 200, changed.text
        assert client.post(CHECK, json={"limit": "seats"}).json()["allowed"] is True

    def test_a_check_on_an_unknown_limit_is_a_bad_field(self, client: TestClient) -> None:
        subscribed(client)

        error = error_of(client.post(CHECK, json={"limit": "storage"}), 400)

        assert (error["code"], error["param"]) == ("unknown_limit", "limit")

    def test_a_check_for_an_unknown_account_is_not_found(self, client: TestClient) -> None:
        error = error_of(client.post("/v1/accounts/nobody/entitlements/check",
                                     json={"limit": "seats"}), 404)  # fmt: skip

        assert error["code"] == "unknown_account"

    @sqlite_only
    @pytest.mark.parametrize("amount", [-1, "1", 1.5, True])
    def test_an_amount_that_is_not_a_whole_number_from_zero_is_refused(
        self, client: TestClient, amount: Any
    ) -> None:
        subscribed(client)

        error = error_of(client.post(CHECK, json={"limit": "seats", "amount": amount}), 400)

        assert error["param"] == "amount"


class TestMembers:
    def test_a_reported_member_is_returned_with_whether_it_counts(self, client: TestClient) -> None:
        subscribed(client)

        response = put_member(client, "ann", status="pending_activation")

        assert response.status_code == 200, response.text
        assert response.json() == {
            "id": "ann/crm", "person_id": "ann", "application": "crm",
            "status": "pending_activation", "counts_toward": "seats", "counted": False,
        }  # fmt: skip

    def test_a_member_beyond_the_seats_is_refused_with_the_reason(self, client: TestClient) -> None:
        subscribed(client, quantity=2)
        put_member(client, "ann", "crm")
        put_member(client, "ann", "hr")  # one person in two applications: two seats

        error = error_of(put_member(client, "bob"), 403)

        assert error["code"] == "seat_limit_reached"
        assert "expand the subscription to 3 seat(s)" in error["message"]
        assert [m["person_id"] for m in whole_list(client, f"{BASE}/members")] == ["ann", "ann"]

    def test_a_removed_member_frees_its_seat(self, client: TestClient) -> None:
        subscribed(client, quantity=1)
        put_member(client, "ann")

        assert client.delete(f"{BASE}/members/ann/crm").status_code == 204
        assert put_member(client, "bob").status_code == 200
        error = error_of(client.delete(f"{BASE}/members/ann/crm"), 404)
        assert error["code"] == "unknown_member"

    def test_an_unknown_status_is_a_bad_field(self, client: TestClient) -> None:
        subscribed(client)

        error = error_of(put_member(client, "ann", status="active"), 400)

        assert (error["code"], error["param"]) == ("invalid_status", "status")


class TestConsumption:
    def test_consumption_on_a_quota_counts_in_the_period(self, client: TestClient) -> None:
        subscribed(client)

        response = client.post(f"{BASE}/consumption", json={"limit": "runs", "amount": 999})

        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["used"], body["limit"], body["remaining"], body["quota"]) == (
            999, 1000, 1, True,
        )  # fmt: skip
        assert client.post(CHECK, json={"limit": "runs", "amount": 2}).json()["allowed"] is False

    def test_giving_back_more_than_was_consumed_is_refused(self, client: TestClient) -> None:
        subscribed(client)
        client.post(f"{BASE}/consumption", json={"limit": "runs", "amount": 5})

        error = error_of(client.post(f"{BASE}/consumption", json={"limit": "runs", "amount": -6}),
                         400)  # fmt: skip

        assert (error["code"], error["param"]) == ("invalid_amount", "amount")


class TestResources:
    def test_a_reported_resource_is_listed(self, client: TestClient) -> None:
        subscribed(client)
        body = {"type": "room", "attributes": {"capacity": 100, "label": "Sale"},
                "activated_at": "2026-01-05T09:00:00Z"}  # fmt: skip

        put = client.put(f"{BASE}/resources/room-1", json=body)

        assert put.status_code == 200, put.text
        assert whole_list(client, f"{BASE}/resources") == [
            {"id": "room-1", "type": "room", "parent": None,
             "attributes": {"capacity": 100, "label": "Sale"},
             "activated_at": "2026-01-05T09:00:00Z", "detached": False},
        ]  # fmt: skip

    def test_resources_count_toward_the_limit_their_rule_names(self, client: TestClient) -> None:
        subscribed(client)
        for n in range(3):
            client.put(f"{BASE}/resources/room-{n}", json={"type": "room"})

        body = client.post(CHECK, json={"limit": "rooms"}).json()

        assert (body["allowed"], body["used"], body["limit"]) == (False, 3, 3)
        assert body["suggestion"]["code"] == "max"

    def test_a_removed_resource_is_no_longer_listed(self, client: TestClient) -> None:
        subscribed(client)
        client.put(f"{BASE}/resources/room-1", json={"type": "room"})

        assert client.delete(f"{BASE}/resources/room-1").status_code == 204
        assert whole_list(client, f"{BASE}/resources") == []
        assert error_of(client.delete(f"{BASE}/resources/room-1"), 404)["code"] == (
            "unknown_resource"
        )

    @sqlite_only
    @pytest.mark.parametrize(
        "body",
        [
            {"type": "room", "attributes": {"capacity": 1.5}},
            {"type": "room", "attributes": {"capacity": True}},
            {"type": "room", "activated_at": "2026-01-05T09:00:00"},
            {"attributes": {}},
        ],
    )
    def test_a_resource_with_a_bad_field_is_refused(
        self, client: TestClient, body: dict[str, Any]
    ) -> None:
        subscribed(client)

        error_of(client.put(f"{BASE}/resources/room-1", json=body), 400)

        assert whole_list(client, f"{BASE}/resources") == []


class TestDowngradePreview:
    def test_the_preview_lists_the_content_the_downgrade_would_change(
        self, client: TestClient
    ) -> None:
        subscribed(client, edition="max", quantity=1)
        for day in (1, 2, 3, 4):
            body = {"type": "room", "activated_at": f"2026-01-0{day}T09:00:00Z"}
            client.put(f"{BASE}/resources/room-{day}", json=body)

        preview = client.post(f"{base_of(client)}/preview", json={"edition": "pro"}).json()

        assert [(a["kind"], a["resource_id"], a["rule"]) for a in preview["content"]] == [
            ("remove", "room-4", "remove_newest")
        ]
        assert len(whole_list(client, f"{BASE}/resources")) == 4


@sqlite_only
class TestAuthentication:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("get", f"{BASE}/entitlements"),
            ("post", CHECK),
            ("put", f"{BASE}/members/ann/crm"),
            ("post", f"{BASE}/consumption"),
            ("put", f"{BASE}/resources/r1"),
            ("get", f"{BASE}/resources"),
        ],
    )
    def test_every_route_needs_an_operator_key(
        self, anonymous: TestClient, method: str, path: str
    ) -> None:
        error = error_of(anonymous.request(method, path, json={}), 401)

        assert error["code"] == "unauthorized"

    def test_the_refusals_of_member_reports_are_in_the_openapi(self, client: TestClient) -> None:
        spec = client.get("/openapi.json").json()

        put = spec["paths"]["/v1/accounts/{account_id}/members/{person_id}/{application}"]["put"]
        assert {"400", "401", "403", "404"} <= set(put["responses"])
