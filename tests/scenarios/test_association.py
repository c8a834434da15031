"""Seed 002 (association software: Liberty / Serenity / Professional), run from
`examples/association/`. Every expected figure is written out by hand below.

Catalog (EUR, per contact band, volume tiers; a band's price covers every contact in it):

    contacts     Serenity month / year    Professional month / year
    1-500            15.00 / 150.00            30.00 / 300.00
    501-1000         25.00 / 250.00            45.00 / 450.00
    1001-2500        40.00 / 400.00            70.00 / 700.00
    2501-5000        60.00 / 600.00           100.00 / 1000.00

Every change restarts a full period at the change instant (credit note for the unused part,
invoice for a full new period, difference debited 3 days after the invoice). Unused time is
counted in whole days in Europe/Paris: unused = days from the change's local date to the
period end's local date, whole = days from the charge's start to the period end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scenario_reading import effects, payments, totals

from tierline.simulate import run_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "association"

PAID_TO_FREE_MESSAGE = (
    "It is not possible to switch from a paid offer to a free offer while keeping the same "
    "platform. To use the Liberty offer, cancel your subscription and create a new 100% free "
    "platform. Be sure to export your data before the end of your subscription."
)


def run(name: str) -> dict[str, Any]:
    return run_file(EXAMPLES / name)


def lines(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (line["kind"], line["quantity"], line["period_start"], line["period_end"], line["amount"])
        for line in doc["lines"]
    ]


# ---------------------------------------------------------------------------------------------
# free-to-paid.yaml
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def free_to_paid() -> dict[str, Any]:
    return run("free-to-paid.yaml")


def test_liberty_is_100_percent_free(free_to_paid: dict[str, Any]) -> None:
    """Seed: "From Liberty / Payment offers (100% free)". Two months on Liberty (Jan 5 → Mar 10)
    produce no invoice before the switch, no charge, no balance."""
    for account_id, first_number in (("choir", "INV-2026-000001"), ("club", "INV-2026-000002")):
        account = free_to_paid["accounts"][account_id]
        # the only invoice is the one of the switch to a paid offer, on Mar 10
        assert [i["number"] for i in account["invoices"]] == [first_number]
        assert account["invoices"][0]["issued_at"] == "2026-03-10T09:00:00Z"
        assert account["invoices"][0]["reason"] == "change"
        assert account["credit_notes"] == []  # nothing was paid on Liberty, nothing to credit
        assert account["balance"] == "0.00"
    renewals = [
        m["at"]
        for m in free_to_paid["accounts"]["choir"]["messages"]
        if m["kind"] == "subscription.renewed"
    ]
    assert renewals == ["2026-02-05T09:00:00Z", "2026-03-05T09:00:00Z"]  # free renewals


def test_liberty_to_serenity_keeps_the_platform(free_to_paid: dict[str, Any]) -> None:
    """Seed: "From Liberty you can switch to the Serenity ... The data on your platform will be
    retained": the same subscription continues (started_at Jan 5 unchanged), now on Serenity,
    with a full monthly period from the switch, billed then debited 3 days later."""
    choir = free_to_paid["accounts"]["choir"]
    sub = choir["subscription"]
    assert (sub["edition"], sub["cycle"], sub["quantity"], sub["status"]) == (
        "serenity",
        "month",
        800,
        "active",
    )
    assert sub["started_at"] == "2026-01-05T09:00:00Z"  # the Liberty subscription, continued
    # Mar 10 10:00 Paris (CET) → Apr 10 10:00 Paris (CEST) = 08:00Z
    assert sub["current_period_start"] == "2026-03-10T09:00:00Z"
    assert sub["current_period_end"] == "2026-04-10T08:00:00Z"
    (invoice,) = choir["invoices"]
    assert invoice["number"] == "INV-2026-000001"
    assert invoice["due_at"] == "2026-03-13T09:00:00Z"  # Mar 10 + 3 days
    assert invoice["status"] == "paid"
    # 800 contacts: band 501-1000, Serenity monthly 25.00; nothing to credit from Liberty
    assert lines(invoice) == [
        ("subscription", 800, "2026-03-10T09:00:00Z", "2026-04-10T08:00:00Z", "25.00")
    ]
    assert totals(invoice) == ("25.00", "0.00", "0.00", "25.00", "25.00")
    assert payments(choir) == [
        ("2026-03-13T09:00:00Z", "25.00", "sepa", "succeeded", "INV-2026-000001")
    ]


def test_liberty_to_professional_annual_keeps_the_platform(free_to_paid: dict[str, Any]) -> None:
    """Seed: "you can switch to ... the Professional. The data on your platform will be
    retained" — and the choice of an annual commitment."""
    club = free_to_paid["accounts"]["club"]
    sub = club["subscription"]
    assert (sub["edition"], sub["cycle"], sub["quantity"]) == ("professional", "year", 2000)
    assert sub["started_at"] == "2026-01-05T09:00:00Z"
    assert sub["current_period_start"] == "2026-03-10T09:00:00Z"
    assert sub["current_period_end"] == "2027-03-10T09:00:00Z"
    (invoice,) = club["invoices"]
    assert invoice["number"] == "INV-2026-000002"
    # 2000 contacts: band 1001-2500, Professional annual 700.00
    assert lines(invoice) == [
        ("subscription", 2000, "2026-03-10T09:00:00Z", "2027-03-10T09:00:00Z", "700.00")
    ]
    assert totals(invoice) == ("700.00", "0.00", "0.00", "700.00", "700.00")
    assert payments(club) == [
        ("2026-03-13T09:00:00Z", "700.00", "sepa", "succeeded", "INV-2026-000002")
    ]
    assert free_to_paid["rejected"] == []


# ---------------------------------------------------------------------------------------------
# upgrade.yaml
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def upgrade() -> dict[str, Any]:
    return run("upgrade.yaml")


def test_upgrade_serenity_to_professional_recommitting_annually(upgrade: dict[str, Any]) -> None:
    """Seed: "From the Serenity offer ... you can upgrade your subscription to the Professional
    offer" and "You then have the choice of recommitting to a monthly or annual commitment";
    "we issue a credit note for the unused portion of the old subscription ... an invoice for a
    full period ... charge you the difference"."""
    choir = upgrade["accounts"]["choir"]
    sub = choir["subscription"]
    assert (sub["edition"], sub["cycle"], sub["quantity"]) == ("professional", "year", 1000)
    assert sub["started_at"] == "2026-03-01T09:00:00Z"
    # restart: the new annual period starts at the change
    assert sub["current_period_start"] == "2026-03-11T09:00:00Z"
    assert sub["current_period_end"] == "2027-03-11T09:00:00Z"

    first, change = choir["invoices"]
    assert first["number"] == "INV-2026-000001"
    # 500 contacts: band 1-500, Serenity monthly 15.00; Mar 1 10:00 CET → Apr 1 10:00 CEST
    assert lines(first) == [
        ("subscription", 500, "2026-03-01T09:00:00Z", "2026-04-01T08:00:00Z", "15.00")
    ]

    (note,) = choir["credit_notes"]
    assert note["number"] == "CN-2026-000001"
    assert note["invoice"] == "INV-2026-000001"
    assert note["credit_to"] == "credit_note"
    # Mar 11 → Apr 1 = 21 unused days of Mar 1 → Apr 1 = 31: 15.00 × 21/31 = 10.161… = 10.16
    assert lines(note) == [
        ("proration_credit", 500, "2026-03-11T09:00:00Z", "2026-04-01T08:00:00Z", "10.16")
    ]
    assert note["total"] == "10.16"

    assert change["number"] == "INV-2026-000003"
    assert change["reason"] == "change"
    # a full annual period of Professional at 1000 contacts (band 501-1000): 450.00
    assert lines(change) == [
        ("subscription", 1000, "2026-03-11T09:00:00Z", "2027-03-11T09:00:00Z", "450.00")
    ]
    # the difference: 450.00 − 10.16 = 439.84
    assert totals(change) == ("450.00", "10.16", "0.00", "439.84", "439.84")

    preview = upgrade["previews"][0]
    assert preview["step"] == 2
    assert (preview["change"], preview["total_now"], preview["credit"]) == (
        "upgrade",
        "439.84",
        "10.16",
    )
    assert preview["credit_to"] == "credit_note"
    assert preview["next_renewal_amount"] == "450.00"
    assert [(line["kind"], line["amount"]) for line in preview["lines"]] == [
        ("subscription", "450.00"),
        ("proration_credit", "-10.16"),
    ]


def test_direct_debit_three_days_after_the_invoice(upgrade: dict[str, Any]) -> None:
    """Seed: "A new invoice will therefore be issued, and direct debit will take place within
    3 days": each invoice is open when issued and debited 3 days later, dated then."""
    choir = upgrade["accounts"]["choir"]
    assert [(i["number"], i["issued_at"], i["due_at"], i["status"]) for i in choir["invoices"]] == [
        ("INV-2026-000001", "2026-03-01T09:00:00Z", "2026-03-04T09:00:00Z", "paid"),
        ("INV-2026-000003", "2026-03-11T09:00:00Z", "2026-03-14T09:00:00Z", "paid"),
    ]
    assert payments(choir) == [
        ("2026-03-04T09:00:00Z", "15.00", "sepa", "succeeded", "INV-2026-000001"),
        ("2026-03-14T09:00:00Z", "439.84", "sepa", "succeeded", "INV-2026-000003"),
    ]
    # the receipt of the change: the new offer, the credit note, the difference debited
    receipt = choir["receipts"][1]
    assert (receipt["number"], receipt["issued_at"], receipt["invoice"]) == (
        "RCT-2026-000003",
        "2026-03-14T09:00:00Z",
        "INV-2026-000003",
    )
    assert receipt["payment_method"] == "sepa"
    assert [(line["kind"], line["amount"]) for line in receipt["lines"]] == [
        ("subscription", "450.00"),
        ("proration_credit", "-10.16"),  # 450.00 − 10.16 = 439.84 paid
    ]
    assert receipt["amount_paid"] == "439.84"

    # club: upgraded on Jun 1, the scenario stops 2 days later: invoice still open, not debited
    club = upgrade["accounts"]["club"]
    change = club["invoices"][1]
    assert (change["number"], change["status"], change["due_at"]) == (
        "INV-2026-000004",
        "open",
        "2026-06-04T08:00:00Z",
    )
    assert change["amount_paid"] == "0.00"
    assert payments(club) == [
        ("2026-03-04T09:00:00Z", "250.00", "sepa", "succeeded", "INV-2026-000002")
    ]


def test_upgrade_keeping_the_annual_commitment(upgrade: dict[str, Any]) -> None:
    """Seed: Serenity → Professional on an annual commitment: credit note for the rest of the
    year, a full Professional year, the difference to debit."""
    club = upgrade["accounts"]["club"]
    sub = club["subscription"]
    assert (sub["edition"], sub["cycle"], sub["quantity"]) == ("professional", "year", 1000)
    # Jun 1 10:00 Paris (CEST) = 08:00Z
    assert (sub["current_period_start"], sub["current_period_end"]) == (
        "2026-06-01T08:00:00Z",
        "2027-06-01T08:00:00Z",
    )
    (note,) = club["credit_notes"]
    assert (note["number"], note["invoice"]) == ("CN-2026-000002", "INV-2026-000002")
    # Serenity annual 1000 contacts = 250.00, paid Mar 1 2026 → Mar 1 2027 (365 days);
    # unused Jun 1 → Mar 1 = 30+31+31+30+31+30+31+31+28 = 273 days:
    # 250.00 × 273/365 = 186.986… = 186.99
    assert lines(note) == [
        ("proration_credit", 1000, "2026-06-01T08:00:00Z", "2027-03-01T09:00:00Z", "186.99")
    ]
    change = club["invoices"][1]
    assert lines(change) == [
        ("subscription", 1000, "2026-06-01T08:00:00Z", "2027-06-01T08:00:00Z", "450.00")
    ]
    # 450.00 − 186.99 = 263.01 left to debit
    assert totals(change) == ("450.00", "186.99", "0.00", "263.01", "0.00")


# ---------------------------------------------------------------------------------------------
# paid-to-free.yaml
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def paid_to_free() -> dict[str, Any]:
    return run("paid-to-free.yaml")


def test_paid_to_liberty_is_refused(paid_to_free: dict[str, Any]) -> None:
    """Seed: "it is not possible to switch to a free offer (e.g. the Liberty offer) while keeping
    the same platform. To use the Liberty offer, you need to cancel your subscription and create
    a new 100% free platform. Be sure to export your data" — refused for a change and a preview,
    from Serenity and from Professional, whatever the cycle."""
    assert paid_to_free["rejected"] == [
        {"step": 2, "code": "transition_not_allowed", "message": PAID_TO_FREE_MESSAGE},
        {"step": 3, "code": "transition_not_allowed", "message": PAID_TO_FREE_MESSAGE},
        {"step": 4, "code": "transition_not_allowed", "message": PAID_TO_FREE_MESSAGE},
    ]
    assert paid_to_free["previews"] == []
    club = paid_to_free["accounts"]["club"]
    sub = club["subscription"]
    assert (sub["edition"], sub["cycle"], sub["status"]) == ("professional", "year", "active")
    assert club["credit_notes"] == []
    assert [i["number"] for i in club["invoices"]] == ["INV-2026-000002"]


def test_cancel_then_a_new_free_platform(paid_to_free: dict[str, Any]) -> None:
    """Seed: "cancel your subscription and create a new 100% free platform": the paid one runs
    to the end of its period and ends; the new platform is on Liberty and pays nothing."""
    choir = paid_to_free["accounts"]["choir"]
    sub = choir["subscription"]
    assert (sub["edition"], sub["status"], sub["display_status"]) == (
        "serenity",
        "expired",
        "Inactive",
    )
    assert sub["ended_at"] == "2026-04-01T08:00:00Z"  # Apr 1 10:00 Paris (CEST)
    assert [i["number"] for i in choir["invoices"]] == ["INV-2026-000001"]  # no renewal
    new = paid_to_free["accounts"]["choir-free"]
    assert (new["subscription"]["edition"], new["subscription"]["status"]) == ("liberty", "active")
    assert new["invoices"] == []
    assert new["payments"] == []


# ---------------------------------------------------------------------------------------------
# contact-bands.yaml
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contact_bands() -> dict[str, Any]:
    return run("contact-bands.yaml")


def test_price_by_contact_band_monthly_and_annual(contact_bands: dict[str, Any]) -> None:
    """Seed: "Select the desired number of contacts and the subscription commitment
    (monthly/annual)": one band price, monthly or annual."""
    first = {
        account_id: contact_bands["accounts"][account_id]["invoices"][0]
        for account_id in ("small", "edge", "medium", "large")
    }
    assert lines(first["small"]) == [  # 120 contacts: band 1-500, Serenity monthly
        ("subscription", 120, "2026-02-01T09:00:00Z", "2026-03-01T09:00:00Z", "15.00")
    ]
    assert lines(first["edge"]) == [  # 501 contacts: band 501-1000, Serenity monthly
        ("subscription", 501, "2026-02-01T09:00:00Z", "2026-03-01T09:00:00Z", "25.00")
    ]
    assert lines(first["medium"]) == [  # 2500 contacts: band 1001-2500, Professional annual
        ("subscription", 2500, "2026-02-01T09:00:00Z", "2027-02-01T09:00:00Z", "700.00")
    ]
    assert lines(first["large"]) == [  # 5000 contacts: band 2501-5000, Serenity annual
        ("subscription", 5000, "2026-02-01T09:00:00Z", "2027-02-01T09:00:00Z", "600.00")
    ]
    assert [first[a]["number"] for a in ("small", "edge", "medium", "large")] == [
        "INV-2026-000001",
        "INV-2026-000002",
        "INV-2026-000003",
        "INV-2026-000004",
    ]
    # beyond the last band
    assert contact_bands["rejected"] == [
        {
            "step": 4,
            "code": "quantity_out_of_range",
            "message": "Serenity takes at least 1 and at most 5000 contacts; 5001 asked.",
        }
    ]
    assert contact_bands["accounts"]["huge"]["subscription"] is None


def test_more_contacts_recommits_a_full_period(contact_bands: dict[str, Any]) -> None:
    """Seed: on a change you "Select the desired number of contacts" and recommit: credit note
    for the unused part, invoice for a full new period, the difference debited in 3 days."""
    growing = contact_bands["accounts"]["growing"]
    sub = growing["subscription"]
    assert (sub["quantity"], sub["current_period_start"], sub["current_period_end"]) == (
        1200,
        "2026-02-15T09:00:00Z",
        "2026-03-15T09:00:00Z",
    )
    (note,) = growing["credit_notes"]
    assert (note["number"], note["invoice"], note["credit_to"]) == (
        "CN-2026-000001",
        "INV-2026-000005",
        "credit_note",
    )
    # 400 contacts = 15.00; Feb 15 → Mar 1 = 14 of 28 days: 15.00 × 14/28 = 7.50
    assert lines(note) == [
        ("proration_credit", 400, "2026-02-15T09:00:00Z", "2026-03-01T09:00:00Z", "7.50")
    ]
    change = growing["invoices"][1]
    assert change["number"] == "INV-2026-000007"
    # 1200 contacts: band 1001-2500, Serenity monthly 40.00 for a full month
    assert lines(change) == [
        ("subscription", 1200, "2026-02-15T09:00:00Z", "2026-03-15T09:00:00Z", "40.00")
    ]
    assert totals(change) == ("40.00", "7.50", "0.00", "32.50", "32.50")  # 40.00 − 7.50
    assert payments(growing) == [
        ("2026-02-04T09:00:00Z", "15.00", "sepa", "succeeded", "INV-2026-000005"),
        ("2026-02-18T09:00:00Z", "32.50", "sepa", "succeeded", "INV-2026-000007"),
    ]


def test_fewer_contacts_recommits_a_full_period(contact_bands: dict[str, Any]) -> None:
    """Seed: the same billing procedure when the number of contacts goes down."""
    shrinking = contact_bands["accounts"]["shrinking"]
    assert shrinking["subscription"]["quantity"] == 900
    (note,) = shrinking["credit_notes"]
    assert (note["number"], note["invoice"]) == ("CN-2026-000002", "INV-2026-000006")
    # 2000 contacts Professional monthly = 70.00; 14 of 28 days unused: 70.00 × 14/28 = 35.00
    assert lines(note) == [
        ("proration_credit", 2000, "2026-02-15T09:00:00Z", "2026-03-01T09:00:00Z", "35.00")
    ]
    change = shrinking["invoices"][1]
    assert change["number"] == "INV-2026-000008"
    # 900 contacts: band 501-1000, Professional monthly 45.00
    assert lines(change) == [
        ("subscription", 900, "2026-02-15T09:00:00Z", "2026-03-15T09:00:00Z", "45.00")
    ]
    assert totals(change) == ("45.00", "35.00", "0.00", "10.00", "10.00")  # 45.00 − 35.00
    assert payments(shrinking)[-1] == (
        "2026-02-18T09:00:00Z",
        "10.00",
        "sepa",
        "succeeded",
        "INV-2026-000008",
    )


# ---------------------------------------------------------------------------------------------
# recommit.yaml
# ---------------------------------------------------------------------------------------------


def test_changing_commitment_alone_recommits() -> None:
    """Seed: "You then have the choice of recommitting to a monthly or annual commitment":
    monthly → annual starts a full year now, less the credit note for the unused month."""
    result = run("recommit.yaml")
    choir = result["accounts"]["choir"]
    sub = choir["subscription"]
    assert (sub["edition"], sub["cycle"], sub["quantity"]) == ("serenity", "year", 800)
    assert (sub["current_period_start"], sub["current_period_end"]) == (
        "2026-02-08T09:00:00Z",
        "2027-02-08T09:00:00Z",
    )
    (note,) = choir["credit_notes"]
    # 800 contacts monthly = 25.00; Feb 8 → Mar 1 = 21 of 28 days: 25.00 × 21/28 = 18.75
    assert (note["number"], note["invoice"], note["total"]) == (
        "CN-2026-000001",
        "INV-2026-000001",
        "18.75",
    )
    change = choir["invoices"][1]
    assert change["number"] == "INV-2026-000002"
    # 800 contacts annual: band 501-1000, 250.00
    assert lines(change) == [
        ("subscription", 800, "2026-02-08T09:00:00Z", "2027-02-08T09:00:00Z", "250.00")
    ]
    assert totals(change) == ("250.00", "18.75", "0.00", "231.25", "231.25")  # 250.00 − 18.75
    assert payments(choir) == [
        ("2026-02-04T09:00:00Z", "25.00", "sepa", "succeeded", "INV-2026-000001"),
        ("2026-02-11T09:00:00Z", "231.25", "sepa", "succeeded", "INV-2026-000002"),
    ]


# ---------------------------------------------------------------------------------------------
# downgrade.yaml
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def downgrade() -> dict[str, Any]:
    return run("downgrade.yaml")


PROFESSIONAL_TO_SERENITY_EFFECTS = [
    ("limit_reduced", "email_campaigns", None, 12),  # unlimited → 12
    ("limit_reduced", "storage_gb", 50, 10),
    ("limit_reduced", "users", 10, 3),
    ("feature_removed", "accounting", None, None),
    ("feature_removed", "custom_website", None, None),
]


def test_downgrade_preview_warns_of_data_loss(downgrade: dict[str, Any]) -> None:
    """Seed: "Switching from one offer to another is immediate. Be careful to export and download
    information that you won't be able to access afterward": the preview says what is lost and
    that it takes effect now."""
    club_preview, federation_preview = downgrade["previews"]
    assert club_preview["step"] == 2
    assert club_preview["change"] == "downgrade"
    assert club_preview["scheduled"] is False
    assert club_preview["effective_at"] == "2026-01-15T09:00:00Z"
    assert effects(club_preview) == PROFESSIONAL_TO_SERENITY_EFFECTS
    # Serenity and a new monthly commitment at once: same billing, same warning
    assert federation_preview["step"] == 4
    assert federation_preview["change"] == "cycle_change"
    assert effects(federation_preview) == PROFESSIONAL_TO_SERENITY_EFFECTS


def test_downgrade_is_immediate_credit_note_and_full_period(downgrade: dict[str, Any]) -> None:
    """Seed: "if you switch from the Professional offer to the Serenity offer during the period,
    the software will: issue a credit corresponding to the remaining Professional subscription
    period, issue an invoice for a full period for the Serenity subscription, charge you the
    difference" — here the difference is in the customer's favour."""
    club = downgrade["accounts"]["club"]
    (note,) = club["credit_notes"]
    assert (note["number"], note["issued_at"], note["invoice"], note["credit_to"]) == (
        "CN-2026-000001",
        "2026-01-15T09:00:00Z",
        "INV-2026-000001",
        "credit_note",
    )
    # Professional 2500 contacts monthly = 70.00, paid Jan 10 → Feb 10 (31 days);
    # Jan 15 → Feb 10 = 26 days unused: 70.00 × 26/31 = 58.709… = 58.71
    assert lines(note) == [
        ("proration_credit", 2500, "2026-01-15T09:00:00Z", "2026-02-10T09:00:00Z", "58.71")
    ]
    change = club["invoices"][1]
    assert (change["number"], change["issued_at"], change["status"]) == (
        "INV-2026-000003",
        "2026-01-15T09:00:00Z",
        "paid",  # paid in full by the credit note at once
    )
    # Serenity 2500 contacts monthly: band 1001-2500, 40.00, a full month from the change
    assert lines(change) == [
        ("subscription", 2500, "2026-01-15T09:00:00Z", "2026-02-15T09:00:00Z", "40.00")
    ]
    assert totals(change) == ("40.00", "40.00", "0.00", "0.00", "0.00")


def test_credit_beyond_the_new_invoice_pays_later_invoices(downgrade: dict[str, Any]) -> None:
    """DESIGN: credit left over goes to the account balance and is never lost; the balance pays
    invoices before any direct debit."""
    club = downgrade["accounts"]["club"]
    receipt = club["receipts"][1]
    assert (receipt["number"], receipt["invoice"], receipt["amount_paid"]) == (
        "RCT-2026-000003",
        "INV-2026-000003",
        "0.00",
    )
    assert [(line["kind"], line["amount"]) for line in receipt["lines"]] == [
        ("subscription", "40.00"),
        ("proration_credit", "-58.71"),  # the whole credit note
        ("proration_credit", "18.71"),  # 58.71 − 40.00 = 18.71 carried to the balance
    ]
    renewal = club["invoices"][2]
    assert (renewal["number"], renewal["reason"], renewal["issued_at"]) == (
        "INV-2026-000004",
        "renewal",
        "2026-02-15T09:00:00Z",
    )
    # the 18.71 pays part of the Feb 15 renewal: 40.00 − 18.71 = 21.29 debited on Feb 18
    assert totals(renewal) == ("40.00", "0.00", "18.71", "21.29", "21.29")
    assert payments(club) == [
        ("2026-01-13T09:00:00Z", "70.00", "sepa", "succeeded", "INV-2026-000001"),
        ("2026-02-18T09:00:00Z", "21.29", "sepa", "succeeded", "INV-2026-000004"),
        ("2026-03-18T09:00:00Z", "40.00", "sepa", "succeeded", "INV-2026-000005"),
        # Apr 15 10:00 Paris is 08:00Z from here on (CEST)
        ("2026-04-18T08:00:00Z", "40.00", "sepa", "succeeded", "INV-2026-000006"),
        ("2026-05-18T08:00:00Z", "40.00", "sepa", "succeeded", "INV-2026-000008"),
        ("2026-06-18T08:00:00Z", "40.00", "sepa", "succeeded", "INV-2026-000010"),
    ]
    assert club["balance"] == "0.00"


def test_annual_credit_pays_the_following_months(downgrade: dict[str, Any]) -> None:
    """Seed: Professional (annual) → Serenity recommitting monthly, immediate; the credit for the
    rest of the year is far more than a month of Serenity and pays the next months."""
    federation = downgrade["accounts"]["federation"]
    sub = federation["subscription"]
    assert (sub["edition"], sub["cycle"], sub["quantity"]) == ("serenity", "month", 1000)
    assert sub["started_at"] == "2026-01-10T09:00:00Z"
    (note,) = federation["credit_notes"]
    assert (note["number"], note["invoice"]) == ("CN-2026-000002", "INV-2026-000002")
    # Professional 1000 contacts annual = 450.00, Jan 10 2026 → Jan 10 2027 = 365 days;
    # Apr 20 → Jan 10 = 10+31+30+31+31+30+31+30+31+10 = 265 days unused:
    # 450.00 × 265/365 = 326.712… = 326.71
    assert lines(note) == [
        ("proration_credit", 1000, "2026-04-20T08:00:00Z", "2027-01-10T09:00:00Z", "326.71")
    ]
    invoices = [
        (i["number"], i["reason"], i["issued_at"], i["status"], *totals(i))
        for i in federation["invoices"]
    ]
    assert invoices == [
        ("INV-2026-000002", "subscription_create", "2026-01-10T09:00:00Z", "paid",
         "450.00", "0.00", "0.00", "450.00", "450.00"),
        # Serenity 1000 contacts monthly = 25.00, paid by the credit note: 326.71 − 25.00 = 301.71
        # to the balance
        ("INV-2026-000007", "change", "2026-04-20T08:00:00Z", "paid",
         "25.00", "25.00", "0.00", "0.00", "0.00"),
        # balance 301.71 − 25.00 = 276.71
        ("INV-2026-000009", "renewal", "2026-05-20T08:00:00Z", "paid",
         "25.00", "0.00", "25.00", "0.00", "0.00"),
        # balance 276.71 − 25.00 = 251.71
        ("INV-2026-000011", "renewal", "2026-06-20T08:00:00Z", "paid",
         "25.00", "0.00", "25.00", "0.00", "0.00"),
    ]  # fmt: skip
    assert federation["balance"] == "251.71"
    # only the first annual invoice was ever debited
    assert payments(federation) == [
        ("2026-01-13T09:00:00Z", "450.00", "sepa", "succeeded", "INV-2026-000002")
    ]
