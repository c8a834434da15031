"""Seed 001 (a contact-centre service), run from `examples/contact-center/` by catalog alone.

Every figure below is written out by hand, with its arithmetic in a comment. The catalog, in VND
(no minor unit): Contact Center 1 / 2 / 3 cost 150000 / 250000 / 350000 per agent account per
month; 3, 6 and 12-month cycles take 5 %, 10 % and 20 % off (month price × months × (1 − d)).
The accounts live in Asia/Ho_Chi_Minh (UTC+7): scenarios start at 03:00Z = 10:00 local, so
unused time is counted in whole local days.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tierline.catalog import load_catalog
from tierline.simulate import run_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contact-center"
SCENARIOS = sorted(p.name for p in EXAMPLES.glob("*.yaml") if p.name != "catalog.yaml")


@cache
def run(name: str) -> dict[str, Any]:
    return run_file(EXAMPLES / f"{name}.yaml")


def account(name: str, account_id: str) -> dict[str, Any]:
    return run(name)["accounts"][account_id]


def invoice(acct: dict[str, Any], number: str) -> dict[str, Any]:
    return next(doc for doc in acct["invoices"] if doc["number"] == number)


def lines(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(kind, quantity, unit_amount, amount) of each line."""
    return [(x["kind"], x["quantity"], x["unit_amount"], x["amount"]) for x in doc["lines"]]


def numbers(acct: dict[str, Any]) -> list[str]:
    return [doc["number"] for doc in acct["invoices"]]


def details(acct: dict[str, Any]) -> dict[str, Any]:
    """The seed's package details: current package, billing cycle, status, next payment time,
    register from (and the quantity of accounts)."""
    sub = acct["subscription"]
    return {
        "package": sub["edition"],
        "quantity": sub["quantity"],
        "cycle": sub["cycle"],
        "status": sub["display_status"],
        "next_payment_time": sub["next_payment_at"],
        "register_from": sub["started_at"],
    }


def kinds(acct: dict[str, Any]) -> list[str]:
    return [m["kind"] for m in acct["messages"] if not m["kind"].startswith("invoice.")]


def rejected(name: str) -> list[tuple[int, str]]:
    return [(r["step"], r["code"]) for r in run(name)["rejected"]]


# --- the catalog and the scenarios ---------------------------------------------------------------


def test_catalog_has_ranked_packages_priced_per_account_and_four_cycles() -> None:
    catalog = load_catalog(EXAMPLES / "catalog.yaml")
    assert (catalog.currency, catalog.quantity_unit) == ("VND", "account")
    assert [(e.code, e.name, e.rank) for e in catalog.editions] == [
        ("cc1", "Contact Center 1", 1),
        ("cc2", "Contact Center 2", 2),
        ("cc3", "Contact Center 3", 3),
    ]
    assert [(c.code, c.length.months, str(c.discount_percent)) for c in catalog.cycles] == [
        ("month", 1, "0"),
        ("quarter", 3, "5"),
        ("half-year", 6, "10"),
        ("year", 12, "20"),
    ]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_runs(scenario: str) -> None:
    result = run(scenario.removesuffix(".yaml"))
    assert result["currency"] == "VND"


# --- "Plans": package details; Total = Price × Quantity ------------------------------------------


def test_total_is_price_times_quantity_for_contact_center_2_with_100_accounts() -> None:
    sunrise = account("plan-list", "sunrise")
    first = invoice(sunrise, "INV-2026-000001")
    # Price 250000 per account × Quantity 100 = Total 25000000
    assert lines(first) == [("subscription", 100, "250000", "25000000")]
    assert (first["total"], first["amount_paid"], first["status"]) == (
        "25000000",
        "25000000",
        "paid",
    )
    assert sunrise["payments"][0]["amount"] == "25000000"


def test_package_details_show_package_cycle_status_next_payment_and_register_from() -> None:
    assert details(account("plan-list", "sunrise")) == {
        "package": "cc2",
        "quantity": 100,
        "cycle": "month",
        "status": "Active",
        "next_payment_time": "2026-04-10T03:00:00Z",  # one month after registering
        "register_from": "2026-03-10T03:00:00Z",  # registered and paid
    }


def test_each_package_is_priced_per_account() -> None:
    lotus = account("plan-list", "lotus")
    # 150000 × 20 = 3000000
    assert lines(invoice(lotus, "INV-2026-000002")) == [("subscription", 20, "150000", "3000000")]
    mekong = account("plan-list", "mekong")
    # 350000 × 5 = 1750000
    assert lines(invoice(mekong, "INV-2026-000003")) == [("subscription", 5, "350000", "1750000")]
    assert [
        (a["subscription"]["edition"], a["subscription"]["quantity"])
        for a in (
            account("plan-list", "sunrise"),
            lotus,
            mekong,
        )
    ] == [("cc2", 100), ("cc1", 20), ("cc3", 5)]
    assert rejected("plan-list") == [(3, "already_subscribed")]


# --- "Package usage cycle": the longer the cycle, the higher the discount ------------------------


def test_longer_billing_cycle_gives_a_bigger_discount() -> None:
    m01, m03, m06, m12 = (account("billing-cycles", a) for a in ("m01", "m03", "m06", "m12"))
    # 1 month: 250000 per account, × 100 = 25000000 (25000000 a month)
    assert lines(invoice(m01, "INV-2026-000001")) == [("subscription", 100, "250000", "25000000")]
    # 3 months: 250000 × 3 × 0.95 = 712500, × 100 = 71250000 (23750000 a month)
    assert lines(invoice(m03, "INV-2026-000002")) == [("subscription", 100, "712500", "71250000")]
    # 6 months: 250000 × 6 × 0.90 = 1350000, × 100 = 135000000 (22500000 a month)
    assert lines(invoice(m06, "INV-2026-000003")) == [("subscription", 100, "1350000", "135000000")]
    # 12 months: 250000 × 12 × 0.80 = 2400000, × 100 = 240000000 (20000000 a month)
    assert lines(invoice(m12, "INV-2026-000004")) == [("subscription", 100, "2400000", "240000000")]


def test_usage_cycle_runs_from_registration_to_renewal() -> None:
    ends = {
        a: (
            account("billing-cycles", a)["subscription"]["current_period_end"],
            account("billing-cycles", a)["subscription"]["next_payment_at"],
        )
        for a in ("m01", "m03", "m06", "m12")
    }
    assert ends == {
        "m01": ("2026-04-10T03:00:00Z", "2026-04-10T03:00:00Z"),
        "m03": ("2026-06-10T03:00:00Z", "2026-06-10T03:00:00Z"),
        "m06": ("2026-09-10T03:00:00Z", "2026-09-10T03:00:00Z"),
        "m12": ("2027-03-10T03:00:00Z", "2027-03-10T03:00:00Z"),
    }
    for a in ("m01", "m03", "m06", "m12"):
        assert details(account("billing-cycles", a))["register_from"] == "2026-03-10T03:00:00Z"


# --- "Status": Active, Try, Inactive -------------------------------------------------------------


def test_trial_shows_try_with_the_payment_due_when_it_ends() -> None:
    trying = account("statuses", "trying")
    sub = trying["subscription"]
    assert (sub["status"], sub["display_status"]) == ("trialing", "Try")
    # a 7-day trial from 8 April
    assert (sub["trial_end"], sub["next_payment_at"]) == (
        "2026-04-15T03:00:00Z",
        "2026-04-15T03:00:00Z",
    )
    assert trying["invoices"] == []
    assert kinds(trying) == ["subscription.trial_started"]


def test_trial_that_ends_is_paid_and_becomes_active() -> None:
    converted = account("statuses", "converted")
    paid = invoice(converted, "INV-2026-000003")
    # 250000 × 10 = 2500000 for 17 March → 17 April
    assert (paid["reason"], paid["issued_at"]) == ("trial_end", "2026-03-17T03:00:00Z")
    assert lines(paid) == [("subscription", 10, "250000", "2500000")]
    assert details(converted) == {
        "package": "cc2",
        "quantity": 10,
        "cycle": "month",
        "status": "Active",
        "next_payment_time": "2026-04-17T03:00:00Z",
        "register_from": "2026-03-10T03:00:00Z",
    }


def test_paid_package_is_active_and_renews_at_the_next_payment_time() -> None:
    paying = account("statuses", "paying")
    # 150000 × 5 = 750000, at registration and again on 10 April
    assert [(n, invoice(paying, n)["total"]) for n in numbers(paying)] == [
        ("INV-2026-000002", "750000"),
        ("INV-2026-000005", "750000"),
    ]
    assert invoice(paying, "INV-2026-000005")["issued_at"] == "2026-04-10T03:00:00Z"
    assert details(paying)["status"] == "Active"
    assert details(paying)["next_payment_time"] == "2026-05-10T03:00:00Z"


def test_unsubscribed_package_stays_active_until_its_cycle_ends() -> None:
    later = account("statuses", "leaving-later")
    sub = later["subscription"]
    # unsubscribed on 1 April; its cycle runs 25 March → 25 April
    assert (sub["display_status"], sub["auto_renew"], sub["next_payment_at"]) == (
        "Active",
        False,
        None,
    )
    assert sub["current_period_end"] == "2026-04-25T03:00:00Z"
    # 250000 × 8 = 2000000
    assert lines(invoice(later, "INV-2026-000004")) == [("subscription", 8, "250000", "2000000")]


def test_unsubscribed_package_whose_cycle_ended_is_inactive() -> None:
    leaving = account("statuses", "leaving")
    sub = leaving["subscription"]
    assert (sub["status"], sub["display_status"], sub["ended_at"]) == (
        "expired",
        "Inactive",
        "2026-04-10T03:00:00Z",
    )
    assert sub["next_payment_at"] is None
    assert numbers(leaving) == ["INV-2026-000001"]  # no renewal
    ended = account("statuses", "ending-trial")["subscription"]
    # a trial unsubscribed before its end is Inactive from 17 March, never invoiced
    assert (ended["status"], ended["display_status"], ended["ended_at"]) == (
        "expired",
        "Inactive",
        "2026-03-17T03:00:00Z",
    )
    assert account("statuses", "ending-trial")["invoices"] == []


# --- "Upgrade plan": a higher package or more accounts -------------------------------------------


def test_upgrade_to_a_higher_package_mid_cycle_charges_the_prorated_difference() -> None:
    sunrise = account("upgrade-plan", "sunrise")
    upgrade = invoice(sunrise, "INV-2026-000003")
    assert (upgrade["reason"], upgrade["issued_at"]) == ("change", "2026-03-25T03:00:00Z")
    # 25 March → 10 April = 16 of the cycle's 31 days
    assert lines(upgrade) == [
        # 350000 × 100 = 35000000 × 16/31 = 18064516.13 → 18064516
        ("proration_charge", 100, "350000", "18064516"),
        # 250000 × 100 = 25000000 × 16/31 = 12903225.81 → 12903226
        ("proration_credit", 100, None, "-12903226"),
    ]
    # 18064516 − 12903226 = 5161290
    assert (upgrade["total"], upgrade["amount_paid"]) == ("5161290", "5161290")
    assert [m for m in kinds(sunrise) if m == "subscription.upgraded"] == ["subscription.upgraded"]


def test_upgrade_preview_shows_the_amount_before_paying() -> None:
    [preview] = run("upgrade-plan")["previews"]
    assert (preview["change"], preview["total_now"], preview["credit"]) == (
        "upgrade",
        "5161290",
        "12903226",
    )
    assert preview["next_renewal_amount"] == "35000000"  # 350000 × 100
    assert {"kind": "feature_added", "name": "omnichannel"} in preview["effects"]


def test_buying_more_accounts_mid_cycle_charges_the_prorated_difference() -> None:
    sunrise = account("upgrade-plan", "sunrise")
    more = invoice(sunrise, "INV-2026-000005")
    assert more["issued_at"] == "2026-04-01T03:00:00Z"
    assert lines(more) == [
        # 1 → 10 April = 9 of 31 days: 350000 × 120 = 42000000 × 9/31 = 12193548.39
        ("proration_charge", 120, "350000", "12193548"),
        # 18064516 paid for the 16 days from 25 March; 9 unused: × 9/16 = 10161290.25
        ("proration_credit", 100, None, "-10161290"),
    ]
    # 12193548 − 10161290 = 2032258
    assert more["total"] == "2032258"
    renewal = invoice(sunrise, "INV-2026-000007")
    # 350000 × 120 = 42000000 from 10 April
    assert lines(renewal) == [("subscription", 120, "350000", "42000000")]
    assert details(sunrise) == {
        "package": "cc3",
        "quantity": 120,
        "cycle": "month",
        "status": "Active",
        "next_payment_time": "2026-05-10T03:00:00Z",
        "register_from": "2026-03-10T03:00:00Z",
    }


def test_higher_package_and_more_accounts_at_once() -> None:
    delta = account("upgrade-plan", "delta")
    change = invoice(delta, "INV-2026-000004")
    # 16 of 31 days left
    assert lines(change) == [
        ("proration_charge", 15, "250000", "1935484"),  # 3750000 × 16/31 = 1935483.87
        ("proration_credit", 10, None, "-774194"),  # 1500000 × 16/31 = 774193.55
    ]
    assert change["total"] == "1161290"  # 1935484 − 774194
    # 250000 × 15 = 3750000 from 10 April
    assert invoice(delta, "INV-2026-000006")["total"] == "3750000"


# --- "Unsubscribe service pack" ------------------------------------------------------------------


def test_unsubscribe_ends_the_package_at_the_end_of_its_cycle() -> None:
    harbor = account("unsubscribe", "harbor")
    # 150000 × 3 × 0.95 = 427500 per account for 3 months, × 20 = 8550000
    assert lines(invoice(harbor, "INV-2026-000001")) == [("subscription", 20, "427500", "8550000")]
    assert numbers(harbor) == ["INV-2026-000001"]
    sub = harbor["subscription"]
    assert (sub["status"], sub["display_status"], sub["ended_at"], sub["next_payment_at"]) == (
        "expired",
        "Inactive",
        "2026-06-10T03:00:00Z",
        None,
    )
    assert kinds(harbor) == [
        "subscription.created",
        "subscription.auto_renew_changed",
        "subscription.expired",
    ]
    assert rejected("unsubscribe") == [(6, "no_subscription")]


def test_unsubscribe_can_be_undone_before_the_cycle_ends() -> None:
    river = account("unsubscribe", "river")
    renewal = invoice(river, "INV-2026-000003")
    assert (renewal["reason"], renewal["issued_at"], renewal["total"]) == (
        "renewal",
        "2026-06-10T03:00:00Z",
        "8550000",
    )
    assert details(river)["status"] == "Active"
    assert details(river)["next_payment_time"] == "2026-09-10T03:00:00Z"
