"""Catalog versions through HTTP on a catalog sold in EUR and GBP: a version that stops selling
in a currency accounts are billed in is refused, and a subscription shows the version it is
priced from and a new price announced for its renewal.

Pro costs 10.00 EUR / 8.00 GBP a seat a month. acme (EUR) and club (GBP) pay for Pro × 5 seats
monthly from Jan 31 10:00 (50.00 EUR and 40.00 GBP; renewals on Feb 28 and Mar 31 at 10:00).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from api.builders import a_catalog, an_account, error_of, whole_list

YAML = {"Content-Type": "application/yaml"}


def pro_at(eur: str = "10.00", gbp: str | None = "8.00") -> dict[str, Any]:
    """The catalog sold in EUR and GBP (in EUR alone when `gbp` is None)."""
    codes = ["EUR"] if gbp is None else ["EUR", "GBP"]

    def each(eur_amount: str, gbp_amount: str | None = None) -> dict[str, str]:
        amounts = {"EUR": eur_amount, "GBP": gbp_amount or eur_amount}
        return {code: amounts[code] for code in codes}

    data = a_catalog(currencies=codes)
    pro, top = data["editions"][1], data["editions"][2]
    pro["prices"] = [{"cycle": "month", "per_unit": each(eur, gbp)},
                     {"cycle": "year", "per_unit": each("108.00", "90.00")}]  # fmt: skip
    top["prices"] = [{"cycle": "month", "flat": each("99.00", "85.00")},
                     {"cycle": "year", "flat": each("999.00", "850.00")}]  # fmt: skip
    for pack in data["addons"]:
        for price in pack["prices"]:
            price.update({k: each(v) for k, v in price.items() if k != "cycle"})
    data["meters"] = [{"code": "sms", "name": "SMS", "unit_price": each("0.05", "0.04")}]
    data["balance"] = {"top_up_min": each("10.00")}
    return data


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    return pro_at()


def subscribed(client: TestClient, account_id: str, currency: str = "EUR") -> dict[str, Any]:
    """The account, billed in `currency`, paying for Pro × 5 seats monthly."""
    an_account(client, account_id, currency=currency)
    body = {"account_id": account_id, "edition": "pro", "cycle": "month", "quantity": 5,
            "trial": False}  # fmt: skip
    response = client.post("/v1/subscriptions", json=body)
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


def installed(client: TestClient, data: dict[str, Any], existing: str = "keep") -> Any:
    return client.put(
        "/v1/catalog", params={"existing": existing}, content=yaml.safe_dump(data), headers=YAML
    )


class TestACurrencyInUse:
    def test_a_version_that_no_longer_sells_in_it_is_refused_and_nothing_changes(
        self, client: TestClient
    ) -> None:
        subscribed(client, "acme")
        subscribed(client, "club", "GBP")
        before = client.get("/v1/catalog").json()

        error = error_of(installed(client, pro_at("12.00", gbp=None), "next_renewal"), 409)

        assert (error["code"], error["param"]) == ("currency_in_use", "currencies")
        assert "GBP" in error["message"] and "1 account is billed in GBP" in error["message"]
        assert client.get("/v1/catalog").json() == before
        assert [v["version"] for v in whole_list(client, "/v1/catalog/versions")] == [1]
        assert [m["kind"] for m in whole_list(client, "/v1/accounts/acme/messages")
                if m["kind"] == "subscription.price_changing"] == []  # fmt: skip


class TestASubscriptionsPrice:
    def test_it_shows_the_version_it_is_priced_from_and_no_change(self, client: TestClient) -> None:
        sub = subscribed(client, "club", "GBP")

        assert (sub["catalog_version"], sub["price_change"]) == (1, None)

    def test_a_new_price_announced_in_its_currency_is_shown_with_both_amounts_and_the_date(
        self, client: TestClient
    ) -> None:
        club = subscribed(client, "club", "GBP")
        acme = subscribed(client, "acme")

        response = installed(client, pro_at(gbp="9.00"), "next_renewal")

        assert response.json()["announced"] == 1, response.text
        # Jan 31 + 30 days = Mar 2: the renewal on Feb 28 is too close, the one on Mar 31 is not.
        shown = client.get(f"/v1/subscriptions/{club['id']}").json()
        assert shown["catalog_version"] == 1
        assert shown["price_change"] == {
            "amount_before": "40.00", "amount_after": "45.00", "catalog_version": 2,
            "effective_at": "2026-03-31T10:00:00Z",
        }  # fmt: skip
        other = client.get(f"/v1/subscriptions/{acme['id']}").json()
        assert (other["catalog_version"], other["price_change"]) == (2, None)

    def test_the_change_is_gone_once_the_renewal_has_taken_it(self, client: TestClient) -> None:
        club = subscribed(client, "club", "GBP")
        installed(client, pro_at(gbp="9.00"), "next_renewal")

        advanced = client.post("/v1/test_clock/advance", json={"to": "2026-04-01T00:00:00Z"})

        assert advanced.status_code == 200, advanced.text
        shown = client.get(f"/v1/subscriptions/{club['id']}").json()
        assert (shown["catalog_version"], shown["price_change"]) == (2, None)
