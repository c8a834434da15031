"""`/v1/reports`: the figures the console's dashboard draws, for machines."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.builders import subscribed


def test_recurring_revenue_normalises_an_annual_flat_price_to_a_month(
    client: TestClient,
) -> None:
    subscribed(client, "acme", edition="pro", cycle="month", quantity=5)  # 50.00 a month
    subscribed(client, "beta", edition="max", cycle="year", quantity=1)  # 999.00 / 12 = 83.25

    response = client.get("/v1/reports/recurring")

    assert response.status_code == 200, response.text
    assert response.json()["data"] == [
        {"currency": "EUR", "mrr": "133.25", "arr": "1599.00", "paying_subscriptions": 2,
         "paying_accounts": 2}
    ]  # fmt: skip


def test_the_plan_list_names_each_edition_with_its_accounts(client: TestClient) -> None:
    subscribed(client, "acme", edition="pro", quantity=5)
    subscribed(client, "beta", edition="pro", quantity=3)

    data = client.get("/v1/reports/plans").json()["data"]

    assert data == [
        {"edition": "pro", "edition_name": "Pro", "cycle": "month", "subscriptions": 2,
         "accounts": 2, "trials": 0, "units": 8}
    ]  # fmt: skip


def test_revenue_accounts_and_collection_are_listed_per_month(client: TestClient) -> None:
    subscribed(client, "acme", edition="pro", quantity=5)

    revenue = client.get("/v1/reports/revenue", params={"months": 2}).json()["data"]
    accounts = client.get("/v1/reports/accounts", params={"months": 1}).json()["data"]
    collection = client.get("/v1/reports/collection", params={"months": 1}).json()

    assert revenue == [
        {"month": "2025-12", "currency": "EUR", "invoiced": "0.00", "credited": "0.00",
         "net": "0.00"},
        {"month": "2026-01", "currency": "EUR", "invoiced": "50.00", "credited": "0.00",
         "net": "50.00"},
    ]  # fmt: skip
    assert accounts == [{"month": "2026-01", "new": 1, "churned": 0}]
    assert collection == {
        "failed": [{"month": "2026-01", "currency": "EUR", "failed": 0, "amount": "0.00"}],
        "dunning": [],
    }


def test_reports_need_an_operator_key(anonymous: TestClient) -> None:
    assert anonymous.get("/v1/reports/recurring").status_code == 401


def test_more_than_sixty_months_is_refused_with_the_field_named(client: TestClient) -> None:
    response = client.get("/v1/reports/revenue", params={"months": 61})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "months"
