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
from scenario_reading import effects, payments, totals

from tierline.simulate import run_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "waiting-room"


def run(name: str) -> dict[str, Any]:
    return run_file(EXAMPLES / name)


def lines(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        tuple(line[key] for key in ("kind", "description", "period_start", "period_end", "amount"))
        for line in doc["lines"]
    ]


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


# ---------------------------------------------------------------------------------------------
# reconciliation.yaml
# ---------------------------------------------------------------------------------------------
#
# concerts, on Enterprise, reports (activation dates in 2026; capacity / entry rate):
#
#     domain d-blog    (Jan 5)   room r-news    (Jan 25)  600 / 500
#     domain d-tickets (Jan 20)  room r-presale (Feb 2)  3500 / 400   priority group pg-members,
#                                                                     template tpl-presale
#                                room r-general (Feb 10) 2000 / 150
#                                room r-resale  (Mar 5)  1500 / 100
#                                room r-vip     (Apr 20) 1200 / 250
#     domain d-shop    (Feb 1)   room r-sale    (Mar 2)  2500 / 300   priority group pg-press
#                                room r-launch  (Apr 28)  800 / 50    template tpl-launch
#     firewall IPs fw-office (Jan 6) and fw-old (Jan 7, removed by the product on May 15)
#
# and downgrades to Standard (2 domains, 5 rooms, capacity 5000, entry rate 200, no features)
# at the renewal on Jun 1. The rules (numbered in the seed's order) run in stages: domains,
# rooms, features, caps, scaling.


def content_actions(actions: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (a["kind"], a["resource_id"], a["rule"], a.get("attribute"), a.get("before"),
         a.get("after"))
        for a in actions
    ]  # fmt: skip


def resources(account: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (r["id"], r["type"], r["parent"], r["attributes"], r["activated_at"], r["status"])
        for r in account["resources"]
    ]


DOWNGRADE_PLAN = [
    # 1 keep the 2 domains with the most rooms: d-tickets (4), d-shop (2); d-blog (1) goes
    #   although it is the oldest, and its room with it
    ("remove", "d-blog", "keep_most_children", None, None, None),
    ("remove", "r-news", "keep_most_children", None, None, None),
    # 2 six rooms are left for 5: the most recently activated, r-launch (Apr 28), goes, and its
    #   template with it
    ("remove", "r-launch", "remove_newest", None, None, None),
    ("remove", "tpl-launch", "remove_newest", None, None, None),
    # 5, 6 priority groups and firewall IPs are removed (fw-old is already gone)
    ("remove", "pg-members", "remove_without_feature", None, None, None),
    ("remove", "pg-press", "remove_without_feature", None, None, None),
    ("remove", "fw-office", "remove_without_feature", None, None, None),
    # 7 the custom template left is detached
    ("detach", "tpl-presale", "detach_without_feature", None, None, None),
    # 4 entry rates over 200 are capped at 200, oldest room first; r-general's 150 and
    #   r-resale's 100 are left as they are
    ("cap", "r-presale", "cap", "entry_rate", 400, 200),
    ("cap", "r-sale", "cap", "entry_rate", 300, 200),
    ("cap", "r-vip", "cap", "entry_rate", 250, 200),
    # 3 capacities 3500 + 2000 + 2500 + 1500 + 1200 = 10700 for a limit of 5000: each × 5000/10700,
    #   floored 1635.51 → 1635, 934.58 → 934, 1168.22 → 1168, 700.93 → 700, 560.75 → 560 = 4997;
    #   the 3 units left go to the largest remainders .93 (r-resale), .75 (r-vip), .58 (r-general)
    ("scale", "r-presale", "scale_proportionally", "capacity", 3500, 1635),
    ("scale", "r-general", "scale_proportionally", "capacity", 2000, 935),
    ("scale", "r-sale", "scale_proportionally", "capacity", 2500, 1168),
    ("scale", "r-resale", "scale_proportionally", "capacity", 1500, 701),
    ("scale", "r-vip", "scale_proportionally", "capacity", 1200, 561),
]


@pytest.fixture(scope="module")
def reconciliation() -> dict[str, Any]:
    return run("reconciliation.yaml")


def test_downgrade_preview_shows_what_the_renewal_will_do_to_the_content(
    reconciliation: dict[str, Any],
) -> None:
    """Seed: "CrowdHandler esaminerà ciò che hai e ciò che il tuo nuovo Piano consente ... Per
    evitare delusioni, consigliamo vivamente di modificare le impostazioni": the preview of the
    downgrade lists every action before it happens, and nothing is paid now."""
    preview = reconciliation["previews"][0]
    assert (preview["step"], preview["account"], preview["change"]) == (23, "concerts", "downgrade")
    assert (preview["effective_at"], preview["total_now"]) == ("2026-06-01T09:00:00Z", "0.00")
    assert content_actions(preview["content"]) == DOWNGRADE_PLAN
    reasons = {a["resource_id"]: a["reason"] for a in preview["content"]}
    assert reasons["d-blog"] == (
        "the new domains limit is 2 (3 found): the 2 with the most waiting_room children are"
        " kept; d-blog has 1"
    )
    assert reasons["r-launch"] == (
        "the new waiting_rooms limit is 5 (6 found): the most recently activated are removed first"
    )
    assert reasons["tpl-launch"] == "its parent waiting_room r-launch is removed"


def test_at_the_renewal_the_seven_rules_adapt_the_content(reconciliation: dict[str, Any]) -> None:
    """Seed: "Quando il tuo Piano viene declassato alla data di rinnovo": the plan the preview
    showed is carried out on Jun 1, recorded, and announced with what it did."""
    concerts = reconciliation["accounts"]["concerts"]
    downgrade = concerts["reconciliations"][0]
    assert (downgrade["at"], downgrade["from_edition"], downgrade["to_edition"]) == (
        "2026-06-01T09:00:00Z",
        "enterprise",
        "standard",
    )
    assert content_actions(downgrade["actions"]) == DOWNGRADE_PLAN
    reconciled = [
        (m["at"], m["text"])
        for m in concerts["messages"]
        if m["kind"] == "subscription.content_reconciled"
    ]
    assert reconciled == [
        # 7 removals, 5 scalings, 3 caps, 1 detachment (DOWNGRADE_PLAN)
        ("2026-06-01T09:00:00Z",
         "Your content was adapted to Standard: 7 removed, 5 scaled down, 3 capped, 1 detached."),
        ("2026-06-16T09:00:00Z", "Your content was adapted to Enterprise: 1 re-attached."),
    ]  # fmt: skip


def test_a_later_upgrade_reattaches_templates_and_restores_nothing_removed(
    reconciliation: dict[str, Any],
) -> None:
    """Seed: priority groups and firewall IPs "Non verranno ripristinati in caso di successivo
    aggiornamento del piano"; custom templates: "Se successivamente si aggiorna il piano, sarà
    possibile riattaccare i modelli personalizzati alla sala d'attesa"."""
    concerts = reconciliation["accounts"]["concerts"]
    assert concerts["subscription"]["edition"] == "enterprise"
    upgrade = concerts["reconciliations"][1]
    assert (upgrade["at"], upgrade["from_edition"], upgrade["to_edition"]) == (
        "2026-06-16T09:00:00Z",
        "standard",
        "enterprise",
    )
    reattach = [("reattach", "tpl-presale", "detach_without_feature", None, None, None)]
    assert content_actions(upgrade["actions"]) == reattach
    preview = reconciliation["previews"][1]
    assert (preview["step"], preview["change"]) == (26, "upgrade")
    assert content_actions(preview["content"]) == reattach

    # What is left after both: oldest activated first. Enterprise has priority groups and a
    # firewall again, but pg-members, pg-press and fw-office stay removed; the capacities and
    # entry rates stay as the downgrade left them; the template is attached again.
    assert resources(concerts) == [
        ("d-tickets", "domain", None, {}, "2026-01-20T09:00:00Z", "attached"),
        ("d-shop", "domain", None, {}, "2026-02-01T09:00:00Z", "attached"),
        ("r-presale", "waiting_room", "d-tickets", {"capacity": 1635, "entry_rate": 200},
         "2026-02-02T09:00:00Z", "attached"),
        ("tpl-presale", "custom_template", "r-presale", {"name": "Presale"},
         "2026-02-03T09:00:00Z", "attached"),
        ("r-general", "waiting_room", "d-tickets", {"capacity": 935, "entry_rate": 150},
         "2026-02-10T09:00:00Z", "attached"),
        ("r-sale", "waiting_room", "d-shop", {"capacity": 1168, "entry_rate": 200},
         "2026-03-02T09:00:00Z", "attached"),
        ("r-resale", "waiting_room", "d-tickets", {"capacity": 701, "entry_rate": 100},
         "2026-03-05T09:00:00Z", "attached"),
        ("r-vip", "waiting_room", "d-tickets", {"capacity": 561, "entry_rate": 200},
         "2026-04-20T09:00:00Z", "attached"),
    ]  # fmt: skip


def test_content_within_the_new_limits_is_left_as_it_is(reconciliation: dict[str, Any]) -> None:
    """Seed: the rules apply only "se state ancora superando i limiti al momento del
    downgrade": gallery's 1 domain, 2 rooms, capacity 2000 + 1000 = 3000 and entry rates 200
    (at the limit) and 120 fit Standard, so its downgrade changes and records nothing."""
    gallery = reconciliation["accounts"]["gallery"]
    assert gallery["subscription"]["edition"] == "standard"
    assert gallery["reconciliations"] == []
    assert resources(gallery) == [
        ("d-gallery", "domain", None, {}, "2026-03-01T09:00:00Z", "attached"),
        ("r-hall", "waiting_room", "d-gallery", {"capacity": 2000, "entry_rate": 200},
         "2026-03-02T09:00:00Z", "attached"),
        ("r-shop", "waiting_room", "d-gallery", {"capacity": 1000, "entry_rate": 120},
         "2026-03-03T09:00:00Z", "attached"),
    ]  # fmt: skip
    kinds = {m["kind"] for m in gallery["messages"]}
    assert "subscription.downgrade_applied" in kinds
    assert "subscription.content_reconciled" not in kinds


def test_content_removed_by_the_product_is_gone_and_cannot_be_removed_twice(
    reconciliation: dict[str, Any],
) -> None:
    concerts = reconciliation["accounts"]["concerts"]
    assert "fw-old" not in [r["id"] for r in concerts["resources"]]
    assert reconciliation["rejected"] == [
        {"step": 22, "code": "unknown_resource", "message": "No resource 'fw-old'."}
    ]


def test_content_reconciliation_changes_nothing_of_the_billing(
    reconciliation: dict[str, Any],
) -> None:
    """The downgrade is renewed at the Standard price on Jun 1; the upgrade on Jun 16 refunds
    the 15 unused days of June (Jun 16 → Jul 1, of 30): 99.00 × 15/30 = 49.50, and charges a
    full Enterprise month less the refund: 999.00 − 49.50 = 949.50."""
    concerts = reconciliation["accounts"]["concerts"]
    assert [(i["reason"], i["issued_at"], i["total"]) for i in concerts["invoices"]] == [
        ("subscription_create", "2026-05-01T09:00:00Z", "999.00"),
        ("renewal", "2026-06-01T09:00:00Z", "99.00"),
        ("change", "2026-06-16T09:00:00Z", "949.50"),
    ]
    (note,) = concerts["credit_notes"]
    assert lines(note) == [
        ("refund", "Unused time on Standard × 1 account",
         "2026-06-16T09:00:00Z", "2026-07-01T09:00:00Z", "49.50"),
    ]  # fmt: skip
    assert [(p["at"], p["amount"], p["status"]) for p in concerts["payments"]] == [
        ("2026-05-01T09:00:00Z", "999.00", "succeeded"),
        ("2026-06-01T09:00:00Z", "99.00", "succeeded"),
        ("2026-06-16T09:00:00Z", "949.50", "succeeded"),
    ]
    gallery = reconciliation["accounts"]["gallery"]
    assert [(i["reason"], i["total"]) for i in gallery["invoices"]] == [
        ("subscription_create", "299.00"),
        ("renewal", "99.00"),
    ]
