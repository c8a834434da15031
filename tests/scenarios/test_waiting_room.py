"""Seed 003 (CrowdHandler waiting room, in Italian), run from `examples/waiting-room/`.
Every expected figure is written out by hand below.

Catalog (GBP, flat price per plan): Standard 99.00 / month, 990.00 / year; Pro 299.00 / month;
Enterprise 999.00 / month; Free 0. An upgrade refunds the unused time and restarts a full
period at the change instant; a downgrade waits for the renewal. Unused time is counted in
whole days in Europe/London: unused = days from the change's local date to the period end's
local date, whole = days from the charge's start to the period end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tierline.simulate import run_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "waiting-room"


def run(name: str) -> dict[str, Any]:
    return run_file(EXAMPLES / name)


def lines(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        tuple(line[key] for key in ("kind", "description", "period_start", "period_end", "amount"))
        for line in doc["lines"]
    ]


def totals(invoice: dict[str, Any]) -> tuple[str, ...]:
    return (
        invoice["subtotal"],
        invoice["credits_applied"],
        invoice["balance_applied"],
        invoice["total"],
        invoice["amount_paid"],
    )


def payments(account: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (p["at"], p["amount"], p["payment_method"], p["status"], p["invoice"])
        for p in account["payments"]
    ]


def effects(preview: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(e["kind"], e["name"], e.get("before"), e.get("after")) for e in preview["effects"]]


# ---------------------------------------------------------------------------------------------
# upgrade.yaml
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def upgrade() -> dict[str, Any]:
    return run("upgrade.yaml")


def test_upgrade_refunds_unused_time_and_starts_a_full_month_today(
    upgrade: dict[str, Any],
) -> None:
    """Seed: "Riceverete un rimborso per il tempo inutilizzato rimanente nel mese corrente e
    inizierete un nuovo abbonamento al prezzo pieno del nuovo piano, a partire dalla data
    corrente" and "I piani ... sono sempre fatturati in blocchi di mesi interi, non sono
    fatturati pro-rata"."""
    shop = upgrade["accounts"]["shop"]
    sub = shop["subscription"]
    assert (sub["edition"], sub["started_at"]) == ("pro", "2026-05-01T09:00:00Z")

    (note,) = shop["credit_notes"]
    assert (note["number"], note["issued_at"], note["invoice"], note["credit_to"]) == (
        "CN-2026-000001",
        "2026-05-11T09:00:00Z",
        "INV-2026-000001",
        "refund",
    )
    # Standard 99.00 paid May 1 → Jun 1 (31 days); May 11 → Jun 1 = 21 days unused:
    # 99.00 × 21/31 = 67.064… = 67.06
    assert lines(note) == [
        ("refund", "Unused time on Standard × 1 account",
         "2026-05-11T09:00:00Z", "2026-06-01T09:00:00Z", "67.06"),
    ]  # fmt: skip

    change = shop["invoices"][1]
    assert (change["number"], change["reason"], change["status"]) == (
        "INV-2026-000003",
        "change",
        "paid",
    )
    # the new plan at full price for a whole month from today (May 11 → Jun 11), not pro rata
    assert lines(change) == [
        ("subscription", "Pro × 1 account",
         "2026-05-11T09:00:00Z", "2026-06-11T09:00:00Z", "299.00"),
    ]  # fmt: skip
    # "La fattura mostrerà il nuovo piano e l'importo pagato": 299.00 − 67.06 = 231.94 paid
    assert totals(change) == ("299.00", "67.06", "0.00", "231.94", "231.94")

    # the new period is anchored on the upgrade: the next renewal is Jun 11, at the Pro price
    renewal = shop["invoices"][2]
    assert (renewal["number"], renewal["reason"], renewal["issued_at"]) == (
        "INV-2026-000007",
        "renewal",
        "2026-06-11T09:00:00Z",
    )
    assert lines(renewal) == [
        ("subscription", "Pro × 1 account",
         "2026-06-11T09:00:00Z", "2026-07-11T09:00:00Z", "299.00"),
    ]  # fmt: skip
    assert (sub["current_period_start"], sub["current_period_end"]) == (
        "2026-06-11T09:00:00Z",
        "2026-07-11T09:00:00Z",
    )

    preview = upgrade["previews"][0]
    assert (preview["step"], preview["change"], preview["credit_to"]) == (3, "upgrade", "refund")
    assert (preview["total_now"], preview["credit"], preview["effective_at"]) == (
        "231.94",
        "67.06",
        "2026-05-11T09:00:00Z",
    )


def test_upgrade_is_never_charged_twice(upgrade: dict[str, Any]) -> None:
    """Seed: "non vi verranno addebitati due volte i costi per il cambio di piano durante il
    periodo di fatturazione" and "Verrà addebitato il metodo di pagamento preferito": one card
    charge of the net amount on the preferred card, no separate refund movement."""
    shop = upgrade["accounts"]["shop"]
    assert payments(shop) == [
        ("2026-05-01T09:00:00Z", "99.00", "visa", "succeeded", "INV-2026-000001"),
        ("2026-05-11T09:00:00Z", "231.94", "visa", "succeeded", "INV-2026-000003"),  # 299 − 67.06
        ("2026-06-11T09:00:00Z", "299.00", "visa", "succeeded", "INV-2026-000007"),
    ]
    assert shop["balance"] == "0.00"


def test_receipt_shows_new_plan_refund_and_balance_paid(upgrade: dict[str, Any]) -> None:
    """Seed: "La ricevuta indicherà il nuovo piano, il rimborso per il vecchio piano e il saldo
    pagato"."""
    receipt = upgrade["accounts"]["shop"]["receipts"][1]
    assert (receipt["number"], receipt["issued_at"], receipt["invoice"]) == (
        "RCT-2026-000003",
        "2026-05-11T09:00:00Z",
        "INV-2026-000003",
    )
    assert receipt["payment_method"] == "visa"
    assert [(line["kind"], line["description"], line["amount"]) for line in receipt["lines"]] == [
        ("subscription", "Pro × 1 account", "299.00"),
        ("refund", "Refund for unused time (CN-2026-000001)", "-67.06"),
    ]
    assert receipt["amount_paid"] == "231.94"  # 299.00 − 67.06


def test_second_upgrade_in_the_same_month(upgrade: dict[str, Any]) -> None:
    """Seed: never charged twice, even after two upgrades: the second refunds the unused part of
    what was paid for Pro, from the day of the first upgrade."""
    stadium = upgrade["accounts"]["stadium"]
    assert stadium["subscription"]["edition"] == "enterprise"
    assert [(n["number"], n["invoice"], n["total"]) for n in stadium["credit_notes"]] == [
        # Standard: 99.00 × 21/31 = 67.06 (as for shop)
        ("CN-2026-000002", "INV-2026-000002", "67.06"),
        # Pro 299.00 paid May 11 → Jun 11 (31 days); May 25 → Jun 11 = 17 days unused:
        # 299.00 × 17/31 = 163.967… = 163.97
        ("CN-2026-000003", "INV-2026-000004", "163.97"),
    ]
    last = stadium["invoices"][2]
    assert last["number"] == "INV-2026-000006"
    assert lines(last) == [
        ("subscription", "Enterprise × 1 account",
         "2026-05-25T09:00:00Z", "2026-06-25T09:00:00Z", "999.00"),
    ]  # fmt: skip
    assert totals(last) == ("999.00", "163.97", "0.00", "835.03", "835.03")  # 999.00 − 163.97
    assert payments(stadium) == [
        ("2026-05-01T09:00:00Z", "99.00", "visa", "succeeded", "INV-2026-000002"),
        ("2026-05-11T09:00:00Z", "231.94", "visa", "succeeded", "INV-2026-000004"),
        ("2026-05-25T09:00:00Z", "835.03", "visa", "succeeded", "INV-2026-000006"),
    ]


def test_upgrade_from_free_is_a_full_month_from_today(upgrade: dict[str, Any]) -> None:
    """Seed: "inizierete un nuovo abbonamento al prezzo pieno del nuovo piano, a partire dalla
    data corrente": from Free there is nothing to refund."""
    ticketing = upgrade["accounts"]["ticketing"]
    assert ticketing["credit_notes"] == []
    first = ticketing["invoices"][0]
    assert first["number"] == "INV-2026-000005"
    assert lines(first) == [
        ("subscription", "Standard × 1 account",
         "2026-05-20T14:30:00Z", "2026-06-20T14:30:00Z", "99.00"),
    ]  # fmt: skip
    assert totals(first) == ("99.00", "0.00", "0.00", "99.00", "99.00")
    assert ticketing["subscription"]["started_at"] == "2026-05-01T09:00:00Z"
    assert payments(ticketing) == [
        ("2026-05-20T14:30:00Z", "99.00", "visa", "succeeded", "INV-2026-000005"),
        ("2026-06-20T14:30:00Z", "99.00", "visa", "succeeded", "INV-2026-000008"),
    ]


# ---------------------------------------------------------------------------------------------
# upgrade-refund-exceeds.yaml
# ---------------------------------------------------------------------------------------------


def test_refund_beyond_the_new_charge_goes_back_to_the_card() -> None:
    """Seed: never charged twice; DESIGN: with `refund`, credit left over after the new charge is
    paid back to the payment method it came from and the receipt shows the refund for the old
    plan. Annual Standard → monthly Pro: the unused year is worth more than a month of Pro."""
    result = run("upgrade-refund-exceeds.yaml")
    festival = result["accounts"]["festival"]
    sub = festival["subscription"]
    assert (sub["edition"], sub["cycle"]) == ("pro", "month")

    (note,) = festival["credit_notes"]
    assert (note["number"], note["invoice"], note["credit_to"]) == (
        "CN-2026-000001",
        "INV-2026-000001",
        "refund",
    )
    # Standard annual 990.00 paid Jan 15 2026 → Jan 15 2027 (365 days); Mar 15 → Jan 15 =
    # 31+30+31+30+31+31+30+31+30+31 = 306 days unused: 990.00 × 306/365 = 829.972… = 829.97
    assert lines(note) == [
        ("refund", "Unused time on Standard × 1 account",
         "2026-03-15T10:00:00Z", "2027-01-15T10:00:00Z", "829.97"),
    ]  # fmt: skip

    change = festival["invoices"][1]
    assert (change["number"], change["status"]) == ("INV-2026-000002", "paid")
    # Mar 15 10:00 GMT → Apr 15 10:00 BST = 09:00Z
    assert lines(change) == [
        ("subscription", "Pro × 1 account",
         "2026-03-15T10:00:00Z", "2026-04-15T09:00:00Z", "299.00"),
    ]  # fmt: skip
    assert totals(change) == ("299.00", "299.00", "0.00", "0.00", "0.00")

    receipt = festival["receipts"][1]
    assert (receipt["number"], receipt["invoice"], receipt["amount_paid"]) == (
        "RCT-2026-000002",
        "INV-2026-000002",
        "0.00",
    )
    assert [(line["kind"], line["description"], line["amount"]) for line in receipt["lines"]] == [
        ("subscription", "Pro × 1 account", "299.00"),
        ("refund", "Refund for unused time (CN-2026-000001)", "-829.97"),
        ("refund", "Refunded to the card", "530.97"),  # 829.97 − 299.00
    ]

    assert payments(festival) == [
        ("2026-01-15T10:00:00Z", "990.00", "visa", "succeeded", "INV-2026-000001"),
        # 829.97 − 299.00 = 530.97 back to the card that paid the annual invoice
        ("2026-03-15T10:00:00Z", "530.97", "visa", "refunded", "INV-2026-000001"),
        ("2026-04-15T09:00:00Z", "299.00", "visa", "succeeded", "INV-2026-000003"),
    ]
    assert festival["balance"] == "0.00"
    preview = result["previews"][0]
    assert (preview["change"], preview["total_now"], preview["credit"]) == (
        "upgrade",
        "0.00",
        "829.97",
    )


# ---------------------------------------------------------------------------------------------
# downgrade.yaml
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def downgrade() -> dict[str, Any]:
    return run("downgrade.yaml")


def test_downgrade_preview_lists_what_the_lower_plan_takes_away(
    downgrade: dict[str, Any],
) -> None:
    """Seed: the downgrade adapts domains, waiting rooms, capacity, entry rates, priority groups,
    firewall IPs and custom templates to the new plan; the preview says which ones, and that the
    change waits for the renewal, with nothing to pay now."""
    (preview,) = downgrade["previews"]
    assert (preview["step"], preview["change"], preview["scheduled"]) == (3, "downgrade", True)
    assert preview["effective_at"] == "2026-06-01T09:00:00Z"
    assert (preview["total_now"], preview["credit"], preview["lines"]) == ("0.00", "0.00", [])
    assert preview["next_renewal_amount"] == "99.00"  # Standard monthly
    assert effects(preview) == [
        ("limit_reduced", "capacity", 100000, 5000),
        ("limit_reduced", "domains", 20, 2),
        ("limit_reduced", "entry_rate", 5000, 200),
        ("limit_reduced", "waiting_rooms", None, 5),  # unlimited → 5
        ("feature_removed", "custom_templates", None, None),
        ("feature_removed", "firewall", None, None),
        ("feature_removed", "priority_groups", None, None),
    ]


def test_downgrade_waits_for_the_renewal_then_pays_the_lower_rate(
    downgrade: dict[str, Any],
) -> None:
    """Seed: "il cliente rimarrà sul suo piano attuale fino alla fine del periodo di
    fatturazione, ma alla data di rinnovo mensile il suo piano verrà declassato e pagherà la
    nuova tariffa più bassa per il mese successivo"."""
    arena = downgrade["accounts"]["arena"]
    assert arena["credit_notes"] == []  # no refund for a downgrade
    assert [(i["number"], i["reason"], i["issued_at"], i["total"]) for i in arena["invoices"]] == [
        ("INV-2026-000001", "subscription_create", "2026-05-01T09:00:00Z", "999.00"),
        # nothing on May 20 (the downgrade); the renewal at the lower rate on Jun 1
        ("INV-2026-000004", "renewal", "2026-06-01T09:00:00Z", "99.00"),
    ]
    assert lines(arena["invoices"][1]) == [
        ("subscription", "Standard × 1 account",
         "2026-06-01T09:00:00Z", "2026-07-01T09:00:00Z", "99.00"),
    ]  # fmt: skip
    sub = arena["subscription"]
    assert (sub["edition"], sub["pending_change"]) == ("standard", None)
    assert payments(arena) == [
        ("2026-05-01T09:00:00Z", "999.00", "visa", "succeeded", "INV-2026-000001"),
        ("2026-06-01T09:00:00Z", "99.00", "visa", "succeeded", "INV-2026-000004"),
    ]
    applied = [m["at"] for m in arena["messages"] if m["kind"] == "subscription.downgrade_applied"]
    assert applied == ["2026-06-01T09:00:00Z"]


def test_scheduled_downgrade_is_shown_as_pending(downgrade: dict[str, Any]) -> None:
    """Seed: the customer stays on the current plan until the period ends: theatre (subscribed
    May 20) asked on Jun 5 and is still on Pro on Jun 10, the downgrade pending for Jun 20."""
    theatre = downgrade["accounts"]["theatre"]
    sub = theatre["subscription"]
    assert (sub["edition"], sub["status"]) == ("pro", "active")
    assert (sub["current_period_start"], sub["current_period_end"]) == (
        "2026-05-20T09:00:00Z",
        "2026-06-20T09:00:00Z",
    )
    assert sub["pending_change"] == {
        "edition": "standard",
        "cycle": "month",
        "quantity": 1,
        "addons": {},
        "change": "downgrade",
        "effective_at": "2026-06-20T09:00:00Z",
    }
    assert [i["number"] for i in theatre["invoices"]] == ["INV-2026-000003"]
    assert theatre["credit_notes"] == []
    assert payments(theatre) == [
        ("2026-05-20T09:00:00Z", "299.00", "visa", "succeeded", "INV-2026-000003")
    ]


def test_scheduled_downgrade_can_be_cancelled(downgrade: dict[str, Any]) -> None:
    """Seed: the downgrade happens "alla data di rinnovo mensile"; DESIGN: `end_of_period` is "a
    scheduled change, shown as pending, cancellable": museum cancels, stays on Pro and renews at
    the Pro price; cancelling twice is refused."""
    museum = downgrade["accounts"]["museum"]
    sub = museum["subscription"]
    assert (sub["edition"], sub["pending_change"]) == ("pro", None)
    assert [(i["number"], i["reason"], i["total"]) for i in museum["invoices"]] == [
        ("INV-2026-000002", "subscription_create", "299.00"),
        ("INV-2026-000005", "renewal", "299.00"),
    ]
    assert downgrade["rejected"] == [
        {
            "step": 7,
            "code": "no_pending_change",
            "message": "There is no scheduled change to cancel.",
        }
    ]
