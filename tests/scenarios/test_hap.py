"""Seed 000 (HAP, a no-code platform), run from `examples/hap/` by catalog configuration alone.

Every figure below is written out by hand, with its arithmetic in a comment. The catalog:
Standard 8.00 / Professional 14.00 / Enterprise 22.00 USD per seat per month (80.00 / 140.00 /
220.00 per year); packs per month (per year): external users 30.00 (300.00), attachment uploads
10.00 (100.00), workflow executions 15.00 (150.00), data sync 25.00 (250.00); SMS 0.05, e-mail
0.01; renewal 3 days before the period ends. The accounts live in Asia/Shanghai (UTC+8): every
scenario starts at 02:00Z = 10:00 local, so unused time is counted in whole local days.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from scenario_reading import totals

from tierline.catalog import load_catalog
from tierline.simulate import run as simulate
from tierline.simulate import run_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "hap"
SCENARIOS = sorted(p.name for p in EXAMPLES.glob("*.yaml") if p.name != "catalog.yaml")


@cache
def run(name: str) -> dict[str, Any]:
    return run_file(EXAMPLES / f"{name}.yaml")


def account(name: str, account_id: str = "acme") -> dict[str, Any]:
    return run(name)["accounts"][account_id]


def invoice(acct: dict[str, Any], number: str) -> dict[str, Any]:
    return next(doc for doc in acct["invoices"] if doc["number"] == number)


def lines(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(kind, quantity, unit_amount, amount) of each line."""
    return [(x["kind"], x["quantity"], x["unit_amount"], x["amount"]) for x in doc["lines"]]


def periods(doc: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    return [(x["period_start"], x["period_end"]) for x in doc["lines"]]


def numbers(acct: dict[str, Any]) -> list[str]:
    return [doc["number"] for doc in acct["invoices"]]


def payments(acct: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(p["at"], p["amount"], p["payment_method"], p["status"]) for p in acct["payments"]]


def messages(acct: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [m for m in acct["messages"] if m["kind"] == kind]


def rejected(name: str) -> list[tuple[int, str]]:
    return [(r["step"], r["code"]) for r in run(name)["rejected"]]


# --- the catalog and the scenarios ---------------------------------------------------------------


def test_catalog_has_free_and_paid_editions_four_packs_and_two_meters() -> None:
    catalog = load_catalog(EXAMPLES / "catalog.yaml")
    assert catalog.currency == "USD"
    assert [(e.code, e.rank, e.free) for e in catalog.editions] == [
        ("free", 0, True),
        ("standard", 1, False),
        ("professional", 2, False),
        ("enterprise", 3, False),
    ]
    assert [a.code for a in catalog.addons] == [
        "external-users",
        "attachment-uploads",
        "workflow-executions",
        "data-sync",
    ]
    assert [m.code for m in catalog.meters] == ["sms", "email"]
    assert catalog.renewal.lead_days == 3


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_runs(scenario: str) -> None:
    result = run(scenario.removesuffix(".yaml"))
    assert result["currency"] == "USD"


# --- "Online Subscription": effective immediately, a license message -----------------------------


def test_online_subscription_takes_effect_immediately_with_a_license_message() -> None:
    acme = account("online-subscription")
    sub = acme["subscription"]
    assert (sub["edition"], sub["cycle"], sub["quantity"]) == ("professional", "year", 25)
    assert (sub["status"], sub["display_status"]) == ("active", "Active")
    # paid and effective at the moment of purchase
    assert sub["started_at"] == "2026-03-10T02:00:00Z"
    assert sub["current_period_start"] == "2026-03-10T02:00:00Z"
    assert sub["current_period_end"] == "2027-03-10T02:00:00Z"
    assert numbers(acme) == ["INV-2026-000001"]
    first = invoice(acme, "INV-2026-000001")
    assert (first["reason"], first["status"], first["issued_at"]) == (
        "subscription_create",
        "paid",
        "2026-03-10T02:00:00Z",
    )
    # 25 seats × 140.00 = 3500.00 for the year
    assert lines(first) == [("subscription", 25, "140.00", "3500.00")]
    assert periods(first) == [("2026-03-10T02:00:00Z", "2027-03-10T02:00:00Z")]
    assert totals(first) == ("3500.00", "0.00", "0.00", "3500.00", "3500.00")
    assert payments(acme) == [("2026-03-10T02:00:00Z", "3500.00", "visa", "succeeded")]
    [created] = messages(acme, "subscription.created")
    assert created["at"] == "2026-03-10T02:00:00Z"
    assert "license" in created["text"]


def test_editions_times_seats_and_an_initial_pack_purchase() -> None:
    bistro = account("online-subscription", "bistro")
    # invoice numbers run across accounts: acme took 000001
    assert numbers(bistro) == ["INV-2026-000002"]
    first = invoice(bistro, "INV-2026-000002")
    # 10 seats × 8.00 = 80.00; 2 external user packs × 30.00 = 60.00; 80.00 + 60.00 = 140.00
    assert lines(first) == [
        ("subscription", 10, "8.00", "80.00"),
        ("addon", 2, "30.00", "60.00"),
    ]
    assert totals(first) == ("140.00", "0.00", "0.00", "140.00", "140.00")
    assert len(messages(bistro, "subscription.created")) == 1

    globex = account("online-subscription", "globex")
    # Enterprise starts at 50 seats: 20 is refused; 50 × 22.00 = 1100.00 a month
    assert lines(invoice(globex, "INV-2026-000003")) == [("subscription", 50, "22.00", "1100.00")]
    assert globex["subscription"]["current_period_end"] == "2026-04-10T02:00:00Z"
    assert rejected("online-subscription") == [
        (2, "quantity_out_of_range"),
        (4, "already_subscribed"),
    ]


# --- "Offline Purchase": sales-managed organisations cannot buy online ---------------------------


def test_offline_organisation_is_sent_to_sales_for_upgrade_and_recharge() -> None:
    org = account("offline-purchase", "offline-org")
    # subscribe to a paid edition, "Upgrade" (change and its preview) and "Recharge" are refused
    assert rejected("offline-purchase") == [
        (0, "sales_managed"),
        (2, "sales_managed"),
        (3, "sales_managed"),
        (4, "sales_managed"),
    ]
    assert "sales consultant" in run("offline-purchase")["rejected"][0]["message"]
    assert org["subscription"]["edition"] == "free"
    # the free edition renews without a payment: there is no next payment time
    assert org["subscription"]["next_payment_at"] is None
    assert org["invoices"] == []
    assert org["payments"] == []
    assert org["balance"] == "0.00"


# --- "Automatic Renewal Service" -----------------------------------------------------------------


def test_renewal_is_charged_three_days_before_the_period_ends_to_the_default_method() -> None:
    acme = account("auto-renewal")
    assert numbers(acme) == ["INV-2026-000001", "INV-2026-000002", "INV-2026-000003"]
    april = invoice(acme, "INV-2026-000002")
    # the period ends 2026-04-10T02:00Z; lead_days 3 → invoiced and charged on 2026-04-07T02:00Z
    assert (april["reason"], april["issued_at"], april["status"]) == (
        "renewal",
        "2026-04-07T02:00:00Z",
        "paid",
    )
    # 10 seats × 8.00 = 80.00 for 10 April → 10 May
    assert lines(april) == [("subscription", 10, "8.00", "80.00")]
    assert periods(april) == [("2026-04-10T02:00:00Z", "2026-05-10T02:00:00Z")]
    may = invoice(acme, "INV-2026-000003")
    assert may["issued_at"] == "2026-05-07T02:00:00Z"  # 2026-05-10 − 3 days
    assert periods(may) == [("2026-05-10T02:00:00Z", "2026-06-10T02:00:00Z")]
    assert [m["at"] for m in messages(acme, "subscription.renewed")] == [
        "2026-04-10T02:00:00Z",
        "2026-05-10T02:00:00Z",
    ]


def test_changing_the_default_payment_method_moves_the_next_renewal_to_it() -> None:
    acme = account("auto-renewal")
    # the Mastercard became the default on 20 April: May's renewal is charged to it
    assert payments(acme) == [
        ("2026-03-10T02:00:00Z", "80.00", "visa", "succeeded"),
        ("2026-04-07T02:00:00Z", "80.00", "visa", "succeeded"),
        ("2026-05-07T02:00:00Z", "80.00", "mc", "succeeded"),
    ]
    sub = acme["subscription"]
    assert (sub["current_period_start"], sub["current_period_end"]) == (
        "2026-05-10T02:00:00Z",
        "2026-06-10T02:00:00Z",
    )
    assert sub["next_payment_at"] == "2026-06-07T02:00:00Z"  # 2026-06-10 − 3 days


# --- "Add backup payment method: in case the primary payment method fails" -----------------------


def test_backup_payment_method_pays_the_renewal_when_the_primary_fails() -> None:
    acme = account("backup-payment-method")
    # renewals due at the same instant run in account order: acme's is 000003, solo's 000004
    renewal = invoice(acme, "INV-2026-000003")
    assert (renewal["reason"], renewal["status"], renewal["amount_paid"]) == (
        "renewal",
        "paid",
        "80.00",
    )
    assert payments(acme) == [
        ("2026-03-10T02:00:00Z", "80.00", "visa", "succeeded"),
        ("2026-04-07T02:00:00Z", "80.00", "visa", "failed"),
        ("2026-04-07T02:00:00Z", "80.00", "mc", "succeeded"),
    ]
    assert acme["payments"][1]["failure_code"] == "card_declined"
    [receipt] = [r for r in acme["receipts"] if r["invoice"] == "INV-2026-000003"]
    assert (receipt["payment_method"], receipt["amount_paid"]) == ("mc", "80.00")
    assert acme["subscription"]["status"] == "active"
    assert messages(acme, "payment.failed") == []


def test_backup_added_after_a_failed_renewal_pays_the_retry() -> None:
    solo = account("backup-payment-method", "solo")
    # 12 seats × 8.00 = 96.00; retried 1 day after the failure (retry_days [1, 3, 5])
    assert payments(solo) == [
        ("2026-03-10T02:00:00Z", "96.00", "visa", "succeeded"),
        ("2026-04-07T02:00:00Z", "96.00", "visa", "failed"),
        ("2026-04-08T02:00:00Z", "96.00", "visa", "failed"),
        ("2026-04-08T02:00:00Z", "96.00", "mc", "succeeded"),
    ]
    renewal = invoice(solo, "INV-2026-000004")
    assert (renewal["status"], renewal["amount_paid"]) == ("paid", "96.00")
    assert [m["at"] for m in messages(solo, "payment.failed")] == ["2026-04-07T02:00:00Z"]
    sub = solo["subscription"]
    assert (sub["status"], sub["display_status"]) == ("active", "Active")
    assert sub["current_period_start"] == "2026-04-10T02:00:00Z"


# --- "Unsubscribe": usable until the period ends, then expired -----------------------------------


def test_unsubscribe_keeps_the_service_until_the_period_ends_then_it_expires() -> None:
    acme = account("unsubscribe")
    # no renewal on 7 April: only the purchase and a pack bought on the last day
    assert numbers(acme) == ["INV-2026-000001", "INV-2026-000002"]
    # 20 seats × 14.00 = 280.00
    assert lines(invoice(acme, "INV-2026-000001")) == [("subscription", 20, "14.00", "280.00")]
    # still usable on 9 April: 1 of 31 days left (9 → 10 April): 30.00 × 1/31 = 0.9677 → 0.97
    assert lines(invoice(acme, "INV-2026-000002")) == [("proration_charge", 1, "30.00", "0.97")]
    sub = acme["subscription"]
    assert (sub["status"], sub["display_status"], sub["auto_renew"]) == (
        "expired",
        "Inactive",
        False,
    )
    assert sub["ended_at"] == "2026-04-10T02:00:00Z"
    assert sub["next_payment_at"] is None
    [off] = messages(acme, "subscription.auto_renew_changed")
    assert off["at"] == "2026-03-20T02:00:00Z"
    assert "2026-04-10" in off["text"]
    assert [m["at"] for m in messages(acme, "subscription.expired")] == ["2026-04-10T02:00:00Z"]
    assert rejected("unsubscribe") == [(3, "no_subscription")]


# --- "Update Subscription": four packs, prorated, effective now, a message -----------------------


def test_adding_packs_mid_period_prorates_each_pack_and_confirms_the_update() -> None:
    acme = account("update-subscription-packs")
    change = invoice(acme, "INV-2026-000002")
    assert (change["reason"], change["issued_at"]) == ("change", "2026-03-25T02:00:00Z")
    # 25 March → 10 April = 16 of the period's 31 days (10 March → 10 April)
    assert lines(change) == [
        ("proration_charge", 1, "10.00", "5.16"),  # 10.00 × 16/31 = 5.161 → 5.16
        ("proration_charge", 1, "25.00", "12.90"),  # 25.00 × 16/31 = 12.903 → 12.90
        ("proration_charge", 1, "30.00", "15.48"),  # 30.00 × 16/31 = 15.483 → 15.48
        ("proration_charge", 2, "15.00", "15.48"),  # 2 × 15.00 = 30.00 × 16/31 → 15.48
    ]
    assert set(periods(change)) == {("2026-03-25T02:00:00Z", "2026-04-10T02:00:00Z")}
    # 5.16 + 12.90 + 15.48 + 15.48 = 49.02
    assert totals(change) == ("49.02", "0.00", "0.00", "49.02", "49.02")
    updated = messages(acme, "subscription.updated")
    assert [m["at"] for m in updated] == ["2026-03-25T02:00:00Z", "2026-04-01T02:00:00Z"]
    assert "effective now" in updated[0]["text"]
    # the period and its anchor stay
    assert acme["subscription"]["started_at"] == "2026-03-10T02:00:00Z"


def test_preview_of_a_pack_shows_the_prorated_charge_and_the_raised_limit() -> None:
    [preview] = run("update-subscription-packs")["previews"]
    assert (preview["step"], preview["change"], preview["scheduled"]) == (1, "addon_add", False)
    assert lines(preview) == [("proration_charge", 1, "30.00", "15.48")]  # 30.00 × 16/31
    assert (preview["total_now"], preview["credit"]) == ("15.48", "0.00")
    assert preview["next_renewal_amount"] == "310.00"  # 280.00 + 30.00
    assert preview["effects"] == [
        {"kind": "limit_raised", "name": "external_users", "before": 100, "after": 200}
    ]


def test_removing_a_pack_mid_period_credits_the_unused_part_to_the_balance() -> None:
    acme = account("update-subscription-packs")
    [note] = acme["credit_notes"]
    assert (note["number"], note["issued_at"], note["credit_to"]) == (
        "CN-2026-000001",
        "2026-04-01T02:00:00Z",
        "balance",
    )
    # the 2 packs were paid 15.48 from 25 March; 1 → 10 April is 9 of those 16 days:
    # 15.48 × 9/16 = 8.7075 → 8.71
    assert [(x["kind"], x["quantity"], x["amount"]) for x in note["lines"]] == [
        ("proration_credit", 2, "8.71")
    ]
    assert note["total"] == "8.71"
    # the 1 pack kept: 15.00 × 9/31 = 4.354 → 4.35, paid from the credited balance
    kept = invoice(acme, "INV-2026-000003")
    assert lines(kept) == [("proration_charge", 1, "15.00", "4.35")]
    assert totals(kept) == ("4.35", "0.00", "4.35", "0.00", "0.00")
    assert kept["status"] == "paid"


def test_renewal_bills_every_pack_and_uses_the_balance_left() -> None:
    acme = account("update-subscription-packs")
    renewal = invoice(acme, "INV-2026-000004")
    assert renewal["issued_at"] == "2026-04-07T02:00:00Z"
    assert lines(renewal) == [
        ("subscription", 20, "14.00", "280.00"),
        ("addon", 1, "10.00", "10.00"),
        ("addon", 1, "25.00", "25.00"),
        ("addon", 1, "30.00", "30.00"),
        ("addon", 1, "15.00", "15.00"),
    ]
    # 280 + 10 + 25 + 30 + 15 = 360.00; balance 8.71 − 4.35 = 4.36; 360.00 − 4.36 = 355.64
    assert totals(renewal) == ("360.00", "0.00", "4.36", "355.64", "355.64")
    assert acme["balance"] == "0.00"
    assert acme["subscription"]["addons"] == {
        "attachment-uploads": 1,
        "data-sync": 1,
        "external-users": 1,
        "workflow-executions": 1,
    }


# --- "Expand the Number of Seats" ----------------------------------------------------------------


def test_seat_expansion_mid_month_prorates_the_price_difference() -> None:
    acme = account("expand-seats")
    expand = invoice(acme, "INV-2026-000003")
    assert (expand["reason"], expand["issued_at"]) == ("change", "2026-03-24T02:00:00Z")
    # 24 March → 10 April = 17 of 31 days
    assert lines(expand) == [
        ("proration_charge", 25, "8.00", "109.68"),  # 25 × 8.00 = 200.00 × 17/31 = 109.677
        ("proration_credit", 10, None, "-43.87"),  # 10 × 8.00 = 80.00 × 17/31 = 43.870
    ]
    # 109.68 − 43.87 = 65.81 (= 120.00 more a month × 17/31 = 65.806)
    assert totals(expand) == ("65.81", "0.00", "0.00", "65.81", "65.81")
    # the renewal bills the 25 seats in full: 25 × 8.00 = 200.00
    assert lines(invoice(acme, "INV-2026-000004")) == [("subscription", 25, "8.00", "200.00")]
    sub = acme["subscription"]
    assert (sub["quantity"], sub["current_period_start"]) == (25, "2026-04-10T02:00:00Z")


def test_seat_expansion_on_an_annual_plan_prorates_over_the_year() -> None:
    annual = account("expand-seats", "annual")
    expand = invoice(annual, "INV-2026-000005")
    # 12 April (08:00 in Shanghai) → 10 March 2027 = 365 − 33 = 332 of 365 days
    assert lines(expand) == [
        ("proration_charge", 30, "140.00", "3820.27"),  # 4200.00 × 332/365 = 3820.274
        ("proration_credit", 20, None, "-2546.85"),  # 2800.00 × 332/365 = 2546.849
    ]
    assert periods(expand) == [("2026-04-12T00:00:00Z", "2027-03-10T02:00:00Z")] * 2
    # 3820.27 − 2546.85 = 1273.42
    assert totals(expand) == ("1273.42", "0.00", "0.00", "1273.42", "1273.42")
    sub = annual["subscription"]
    assert (sub["quantity"], sub["current_period_start"], sub["current_period_end"]) == (
        30,
        "2026-03-10T02:00:00Z",
        "2027-03-10T02:00:00Z",
    )


# --- "Online Recharge": the balance pays SMS and e-mail fees and packs ---------------------------


def test_recharge_is_charged_to_the_card_and_takes_effect_immediately() -> None:
    acme = account("recharge-balance")
    assert payments(acme)[1] == ("2026-03-11T02:00:00Z", "50.00", "visa", "succeeded")
    assert acme["payments"][1]["invoice"] is None
    [topped] = messages(acme, "balance.topped_up")
    assert topped["at"] == "2026-03-11T02:00:00Z"
    assert "now 50.00 USD" in topped["text"]
    # below the catalog's top_up_min of 10.00
    assert rejected("recharge-balance")[0] == (1, "invalid_amount")


def test_balance_pays_sms_and_email_fees_and_a_pack() -> None:
    acme = account("recharge-balance")
    pack = invoice(acme, "INV-2026-000002")
    # 30.00 × 16/31 = 15.48, all of it from the balance (50.00 − 15.00 − 10.00 = 25.00)
    assert lines(pack) == [("proration_charge", 1, "30.00", "15.48")]
    assert totals(pack) == ("15.48", "0.00", "15.48", "0.00", "0.00")
    assert pack["status"] == "paid"
    # no card payment for the pack
    assert [p[1] for p in payments(acme)] == ["280.00", "50.00", "309.98"]


def test_fee_larger_than_the_balance_is_refused() -> None:
    # 50.00 − 300 SMS × 0.05 (15.00) − 1000 e-mails × 0.01 (10.00) − 15.48 = 9.52;
    # 200 SMS × 0.05 = 10.00 > 9.52
    assert rejected("recharge-balance")[1] == (6, "insufficient_balance")
    message = run("recharge-balance")["rejected"][1]["message"]
    assert "10.00 USD" in message
    assert "9.52 USD" in message


def test_balance_left_pays_part_of_the_renewal() -> None:
    acme = account("recharge-balance")
    renewal = invoice(acme, "INV-2026-000003")
    # 190 SMS × 0.05 = 9.50: 9.52 − 9.50 = 0.02 left; 280.00 + 30.00 = 310.00 − 0.02 = 309.98
    assert totals(renewal) == ("310.00", "0.00", "0.02", "309.98", "309.98")
    assert acme["balance"] == "0.00"


# --- "The free edition only supports 10 users"; no recharge; no packs ----------------------------


def test_free_edition_is_fixed_at_ten_users_and_cannot_recharge_or_buy_packs() -> None:
    assert rejected("free-edition") == [
        (0, "quantity_out_of_range"),  # 11 users
        (2, "quantity_out_of_range"),  # expand to 20
        (3, "top_up_not_allowed"),  # recharge
        (4, "not_available_on_edition"),  # external user pack
    ]
    assert "at most 10" in run("free-edition")["rejected"][1]["message"]


def test_free_edition_buys_the_licensed_edition_first_then_the_pack() -> None:
    acme = account("free-edition")
    [preview] = run("free-edition")["previews"]
    # leaving the free edition starts a full paid period: 10 seats × 8.00 = 80.00
    assert (preview["change"], preview["total_now"]) == ("upgrade", "80.00")
    assert {"kind": "limit_raised", "name": "external_users", "before": 0, "after": 100} in (
        preview["effects"]
    )
    upgrade = invoice(acme, "INV-2026-000001")
    assert lines(upgrade) == [("subscription", 10, "8.00", "80.00")]
    assert periods(upgrade) == [("2026-03-15T02:00:00Z", "2026-04-15T02:00:00Z")]
    # the pack the same moment: 31 of 31 days: 30.00 × 31/31 = 30.00
    assert lines(invoice(acme, "INV-2026-000002")) == [("proration_charge", 1, "30.00", "30.00")]
    sub = acme["subscription"]
    assert (sub["edition"], sub["quantity"], sub["addons"]) == (
        "standard",
        10,
        {"external-users": 1},
    )
    assert (sub["started_at"], sub["current_period_start"]) == (
        "2026-03-10T02:00:00Z",
        "2026-03-15T02:00:00Z",
    )
    assert len(messages(acme, "subscription.upgraded")) == 1


# --- "In the free and trial editions, there are no expand buttons" -------------------------------


def test_trial_edition_cannot_buy_packs() -> None:
    assert rejected("trial-edition") == [
        (1, "not_available_on_edition"),
        (2, "not_available_on_edition"),
    ]
    assert "trial" in run("trial-edition")["rejected"][0]["message"]


def test_packs_can_be_bought_once_the_trial_has_become_the_licensed_edition() -> None:
    acme = account("trial-edition")
    first = invoice(acme, "INV-2026-000001")
    # 15-day trial from 10 March: paid from 25 March; 20 × 14.00 = 280.00
    assert (first["reason"], first["issued_at"]) == ("trial_end", "2026-03-25T02:00:00Z")
    assert lines(first) == [("subscription", 20, "14.00", "280.00")]
    assert periods(first) == [("2026-03-25T02:00:00Z", "2026-04-25T02:00:00Z")]
    # 26 March → 25 April = 30 of 31 days: 30.00 × 30/31 = 29.032 → 29.03
    assert lines(invoice(acme, "INV-2026-000002")) == [("proration_charge", 1, "30.00", "29.03")]
    sub = acme["subscription"]
    assert (sub["status"], sub["trial_end"]) == ("active", "2026-03-25T02:00:00Z")


# --- "The paid edition supports 100 external users for free" -------------------------------------


def test_paid_edition_includes_100_external_users_and_each_pack_adds_100() -> None:
    first, second = run("external-users")["previews"]
    assert first["effects"] == [
        {"kind": "limit_raised", "name": "external_users", "before": 100, "after": 200}
    ]
    # with one pack bought, three packs would give 100 + 3 × 100 = 400
    assert second["effects"] == [
        {"kind": "limit_raised", "name": "external_users", "before": 200, "after": 400}
    ]


def test_annual_external_user_pack_is_prorated_over_the_year() -> None:
    acme = account("external-users")
    # 10 seats × 80.00 = 800.00 a year
    assert lines(invoice(acme, "INV-2026-000001")) == [("subscription", 10, "80.00", "800.00")]
    pack = invoice(acme, "INV-2026-000002")
    # 10 June → 10 March 2027 = 273 of 365 days: 300.00 × 273/365 = 224.383 → 224.38
    assert lines(pack) == [("proration_charge", 1, "300.00", "224.38")]
    assert pack["total"] == "224.38"
    [bought, more] = run("external-users")["previews"]
    assert bought["next_renewal_amount"] == "1100.00"  # 800.00 + 300.00
    # 3 packs: 900.00 × 273/365 = 673.150 → 673.15, less the 1 pack's 224.38 = 448.77
    assert lines(more) == [
        ("proration_charge", 3, "300.00", "673.15"),
        ("proration_credit", 1, None, "-224.38"),
    ]
    assert more["total_now"] == "448.77"
    assert len(messages(acme, "subscription.updated")) == 1


# --- a change after the early renewal settles the renewed period too -----------------------------


def test_pack_added_after_the_early_renewal_is_also_charged_for_the_renewed_period() -> None:
    adder = account("change-after-early-renewal", "adder")
    assert numbers(adder) == [
        "INV-2026-000001",
        "INV-2026-000004",
        "INV-2026-000007",
        "INV-2026-000009",
    ]
    # renewed on 7 April for 10 April → 10 May without the pack: 10 × 8.00 = 80.00
    assert lines(invoice(adder, "INV-2026-000004")) == [("subscription", 10, "8.00", "80.00")]
    change = invoice(adder, "INV-2026-000007")
    assert lines(change) == [
        ("proration_charge", 1, "30.00", "1.94"),  # 8 → 10 April: 30.00 × 2/31 = 1.935 → 1.94
        ("addon", 1, "30.00", "30.00"),  # the renewed period, in full
    ]
    assert periods(change) == [
        ("2026-04-08T02:00:00Z", "2026-04-10T02:00:00Z"),
        ("2026-04-10T02:00:00Z", "2026-05-10T02:00:00Z"),
    ]
    assert totals(change) == ("31.94", "0.00", "0.00", "31.94", "31.94")  # 1.94 + 30.00
    # the next renewal: 80.00 + 30.00 = 110.00
    assert invoice(adder, "INV-2026-000009")["total"] == "110.00"


def test_pack_removed_after_the_early_renewal_is_also_credited_for_the_renewed_period() -> None:
    remover = account("change-after-early-renewal", "remover")
    # 80.00 + 30.00 = 110.00, renewed on 7 April
    assert invoice(remover, "INV-2026-000005")["total"] == "110.00"
    [note] = remover["credit_notes"]
    assert (note["number"], note["credit_to"]) == ("CN-2026-000001", "balance")
    assert [(x["kind"], x["amount"], x["period_start"]) for x in note["lines"]] == [
        ("proration_credit", "1.94", "2026-04-08T02:00:00Z"),  # 30.00 × 2/31
        ("proration_credit", "30.00", "2026-04-10T02:00:00Z"),  # 30.00 × 30/30
    ]
    assert note["total"] == "31.94"
    # May: 10 × 8.00 = 80.00 − balance 31.94 = 48.06
    assert totals(invoice(remover, "INV-2026-000010")) == (
        "80.00",
        "0.00",
        "31.94",
        "48.06",
        "48.06",
    )
    assert remover["balance"] == "0.00"


def test_switch_to_annual_after_the_early_renewal_credits_the_renewed_month() -> None:
    yearly = account("change-after-early-renewal", "yearly")
    change = invoice(yearly, "INV-2026-000008")
    assert lines(change) == [
        ("subscription", 10, "80.00", "800.00"),  # 10 × 80.00, a year from 8 April
        ("proration_credit", 10, None, "-5.16"),  # 80.00 × 2/31 = 5.161 → 5.16
        ("proration_credit", 10, None, "-80.00"),  # 10 April → 10 May, renewed, never used
    ]
    # 800.00 − 5.16 − 80.00 = 714.84
    assert totals(change) == ("714.84", "0.00", "0.00", "714.84", "714.84")
    sub = yearly["subscription"]
    assert (sub["cycle"], sub["current_period_start"], sub["current_period_end"]) == (
        "year",
        "2026-04-08T02:00:00Z",
        "2027-04-08T02:00:00Z",
    )
    assert sub["next_payment_at"] == "2027-04-05T02:00:00Z"
    assert numbers(yearly) == ["INV-2026-000003", "INV-2026-000006", "INV-2026-000008"]


# --- a monthly external user pack beside an annual edition: two subscriptions ------------------


def by_subscription(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(subscription, kind, quantity, amount) of each line."""
    return [(x["subscription"], x["kind"], x["quantity"], x["amount"]) for x in doc["lines"]]


def test_a_monthly_pack_beside_an_annual_edition_is_a_second_subscription() -> None:
    acme = account("monthly-pack-beside-annual-edition")
    assert list(acme["subscriptions"]) == ["base", "packs"]
    base, packs = acme["subscriptions"]["base"], acme["subscriptions"]["packs"]
    assert acme["subscription"] == base  # `subscription` stays the base: the edition's
    assert (base["edition"], base["cycle"], base["quantity"]) == ("standard", "year", 12)
    assert (packs["edition"], packs["cycle"], packs["addons"]) == (
        None,
        "month",
        {"external-users": 3},
    )
    # each has its own anchor: the edition's year from 03-10, the pack's months from 04-20
    assert (base["current_period_start"], base["current_period_end"]) == (
        "2026-03-10T02:00:00Z",
        "2027-03-10T02:00:00Z",
    )
    assert packs["started_at"] == "2026-04-20T02:00:00Z"
    assert (packs["current_period_start"], packs["current_period_end"]) == (
        "2026-06-20T02:00:00Z",
        "2026-07-20T02:00:00Z",
    )
    assert packs["next_payment_at"] == "2026-07-17T02:00:00Z"  # 3 days ahead, as renewals are


def test_each_subscription_is_invoiced_on_its_own_lines_and_dates() -> None:
    acme = account("monthly-pack-beside-annual-edition")
    assert [(d["number"], d["issued_at"], d["reason"]) for d in acme["invoices"]] == [
        ("INV-2026-000001", "2026-03-10T02:00:00Z", "subscription_create"),
        ("INV-2026-000002", "2026-04-20T02:00:00Z", "subscription_create"),
        ("INV-2026-000003", "2026-05-05T02:00:00Z", "change"),
        ("INV-2026-000004", "2026-05-17T02:00:00Z", "renewal"),
        ("INV-2026-000005", "2026-06-10T02:00:00Z", "change"),
        ("INV-2026-000006", "2026-06-17T02:00:00Z", "renewal"),
    ]
    # 10 seats × 80.00 = 800.00 for the year 2026-03-10 → 2027-03-10
    assert by_subscription(invoice(acme, "INV-2026-000001")) == [
        ("base", "subscription", 10, "800.00")
    ]
    # 2 packs × 30.00 = 60.00 for the month 2026-04-20 → 2026-05-20, the packs' own anchor
    second = invoice(acme, "INV-2026-000002")
    assert by_subscription(second) == [("packs", "addon", 2, "60.00")]
    assert periods(second) == [("2026-04-20T02:00:00Z", "2026-05-20T02:00:00Z")]
    # a third pack on 05-05: 15 of the month's 30 days are left;
    # 3 × 30.00 × 15/30 = 45.00 charged, 2 × 30.00 × 15/30 = 30.00 credited; 45.00 − 30.00 = 15.00
    third = invoice(acme, "INV-2026-000003")
    assert by_subscription(third) == [
        ("packs", "proration_charge", 3, "45.00"),
        ("packs", "proration_credit", 2, "-30.00"),
    ]
    assert periods(third) == [("2026-05-05T02:00:00Z", "2026-05-20T02:00:00Z")] * 2
    assert totals(third) == ("15.00", "0.00", "0.00", "15.00", "15.00")
    # the packs renew monthly, 3 days ahead: 3 × 30.00 = 90.00; the edition is left alone
    assert by_subscription(invoice(acme, "INV-2026-000004")) == [("packs", "addon", 3, "90.00")]
    assert periods(invoice(acme, "INV-2026-000004")) == [
        ("2026-05-20T02:00:00Z", "2026-06-20T02:00:00Z")
    ]
    # a change without `subscription` is the base's: 10 → 12 seats on 06-10, 273 of the year's
    # 365 days left (03-10 → 06-10 is 21 + 30 + 31 + 10 = 92 days);
    # 12 × 80.00 × 273/365 = 718.03 charged, 10 × 80.00 × 273/365 = 598.36 credited: 119.67
    fifth = invoice(acme, "INV-2026-000005")
    assert by_subscription(fifth) == [
        ("base", "proration_charge", 12, "718.03"),
        ("base", "proration_credit", 10, "-598.36"),
    ]
    assert totals(fifth) == ("119.67", "0.00", "0.00", "119.67", "119.67")
    assert by_subscription(invoice(acme, "INV-2026-000006")) == [("packs", "addon", 3, "90.00")]


def test_the_preview_of_a_pack_counts_the_packs_of_every_subscription() -> None:
    [preview] = run("monthly-pack-beside-annual-edition")["previews"]
    assert (preview["total_now"], preview["next_renewal_amount"]) == ("15.00", "90.00")
    # Standard's 100 external users + 2 packs × 100 = 300; a third pack makes 400
    assert preview["effects"] == [
        {"kind": "limit_raised", "name": "external_users", "before": 300, "after": 400}
    ]


def test_packs_on_their_own_need_a_paid_edition_and_an_edition_is_held_once() -> None:
    assert rejected("monthly-pack-beside-annual-edition") == [
        (0, "not_available_on_edition"),  # no edition yet
        (3, "already_subscribed"),  # a second edition
        (6, "invalid_request"),  # a pack subscription has no edition to change
        (10, "not_available_on_edition"),  # beside a trial
        (12, "not_available_on_edition"),  # beside a free edition
    ]
    assert list(account("monthly-pack-beside-annual-edition", "trying")["subscriptions"]) == [
        "base"
    ]
    assert list(account("monthly-pack-beside-annual-edition", "freebie")["subscriptions"]) == [
        "base"
    ]
    acme = account("monthly-pack-beside-annual-edition")
    [started] = messages(acme, "subscription.packs_created")
    assert started["text"] == (
        "Your packs are active: External user pack (100 users) × 2, billed every month."
    )


def test_unnamed_subscriptions_are_base_and_packs_and_steps_name_which_one() -> None:
    steps = [
        {"subscribe": {"account": "acme", "edition": "standard", "cycle": "year", "quantity": 10}},
        {"subscribe": {"account": "acme", "cycle": "month", "addons": {"external-users": 1}}},
        {"subscribe": {"account": "acme", "cycle": "month", "addons": {"data-sync": 1}}},
        {"set_auto_renew": {"account": "acme", "subscription": "packs-2", "enabled": False}},
        {"change": {"account": "acme", "subscription": "gone", "addons": {"data-sync": 2}},
         "expect_error": "no_subscription"},
        {"at": "2026-04-11T02:00:00Z", "advance": {}},
    ]  # fmt: skip
    accounts = [{"id": "acme", "timezone": "Asia/Shanghai",
                 "payment_methods": [{"id": "visa", "card": "4242424242424242"}]}]  # fmt: skip
    scenario = {"catalog": "catalog.yaml", "start": "2026-03-10T02:00:00Z",
                "accounts": accounts, "steps": steps}  # fmt: skip

    acme = simulate(scenario, base=EXAMPLES)["accounts"]["acme"]

    subs = acme["subscriptions"]
    assert list(subs) == ["base", "packs", "packs-2"]
    assert [subs[name]["status"] for name in subs] == ["active", "active", "expired"]
    # the monthly packs renewed on 04-07 (3 days ahead of 04-10); the data sync did not
    renewed = [d for d in acme["invoices"] if d["reason"] == "renewal"]
    assert [line["subscription"] for d in renewed for line in d["lines"]] == ["packs"]
