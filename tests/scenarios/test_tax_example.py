"""VAT for a French seller, run from `examples/tax/`. Every expected figure is worked by hand.

Catalog (EUR, net prices, `exclusive`): Standard 10.00 and Pro 20.00 per seat and month; SMS
0.05 each, paid from the balance. France 20 %, Germany 19 %, reverse charge for a business with
a valid VAT number in another EU country. An upgrade restarts a full month: a credit note for
the unused part (at the rate of the invoice it credits), an invoice for the new month.

Upgrades on 2026-03-17 09:00 in a period 2026-03-01 → 2026-04-01 (31 days, UTC): 15 days
unused. Tax per rate per document: taxable × rate, half up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scenario_reading import totals

from tierline.simulate import run_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tax"


@pytest.fixture(scope="module")
def vat() -> dict[str, Any]:
    return run_file(EXAMPLES / "vat.yaml")


def tax(doc: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(t["rate"], t["category"], t["taxable"], t["amount"]) for t in doc["tax"]]


def test_a_french_consumer_pays_french_vat_at_20_percent(vat: dict[str, Any]) -> None:
    """5 seats × 10.00 = 50.00 net; 50.00 × 20 % = 10.00; gross 60.00, all charged."""
    first = vat["accounts"]["paris"]["invoices"][0]
    assert tax(first) == [("20", "standard", "50.00", "10.00")]
    assert (first["tax_total"], first["gross"]) == ("10.00", "60.00")
    assert totals(first) == ("50.00", "0.00", "0.00", "60.00", "60.00")


def test_upgrade_credit_note_takes_the_rate_of_the_invoice_it_credits(
    vat: dict[str, Any],
) -> None:
    """Unused: 50.00 × 15/31 = 24.193… → 24.19 net; its tax 24.19 × 20 % = 4.838 → 4.84;
    the note credits 29.03. New month: 5 × 20.00 = 100.00 + 20.00 tax = 120.00, less the note's
    29.03: 90.97 charged."""
    paris = vat["accounts"]["paris"]
    (note,) = paris["credit_notes"]
    assert (note["invoice"], note["lines"][0]["amount"]) == ("INV-2026-000001", "24.19")
    assert tax(note) == [("20", "standard", "24.19", "4.84")]
    assert (note["tax_total"], note["gross"], note["total"]) == ("4.84", "29.03", "29.03")
    upgrade = paris["invoices"][1]
    assert tax(upgrade) == [("20", "standard", "100.00", "20.00")]
    assert upgrade["gross"] == "120.00"
    assert totals(upgrade) == ("100.00", "29.03", "0.00", "90.97", "90.97")
    assert [p["amount"] for p in paris["payments"]] == ["60.00", "90.97", "20.00"]


def test_reverse_charge_for_valid_eu_business_id_charges_no_vat(vat: dict[str, Any]) -> None:
    """10 seats × 10.00 = 100.00 at 0 %, reverse charge; the upgrade's credit 100.00 × 15/31 =
    48.387… → 48.39, no tax; new month 200.00 − 48.39 = 151.61."""
    berlin = vat["accounts"]["berlin"]
    first, upgrade = berlin["invoices"]
    assert tax(first) == [("0", "reverse_charge", "100.00", "0.00")]
    assert (first["tax_total"], first["gross"], first["total"]) == ("0.00", "100.00", "100.00")
    (note,) = berlin["credit_notes"]
    assert tax(note) == [("0", "reverse_charge", "48.39", "0.00")]
    assert note["total"] == "48.39"
    assert tax(upgrade) == [("0", "reverse_charge", "200.00", "0.00")]
    assert totals(upgrade) == ("200.00", "48.39", "0.00", "151.61", "151.61")


def test_a_french_business_is_not_reverse_charged_by_a_french_seller(
    vat: dict[str, Any],
) -> None:
    """3 seats × 10.00 = 30.00 + 6.00; the renewal on 2026-04-01 the same."""
    lyon = vat["accounts"]["lyon"]
    assert [tax(i) for i in lyon["invoices"]] == [[("20", "standard", "30.00", "6.00")]] * 2
    assert [i["total"] for i in lyon["invoices"]] == ["36.00", "36.00"]


def test_top_up_is_not_taxed_and_usage_paid_from_it_is(vat: dict[str, Any]) -> None:
    """Paris tops up 20.00 (a receipt of 20.00, no tax); 100 SMS × 0.05 = 5.00 + 20 % = 6.00
    from the balance: 14.00 left. Berlin's 5.00 is reverse charged: 10.00 − 5.00 = 5.00."""
    paris, berlin = vat["accounts"]["paris"], vat["accounts"]["berlin"]
    top_up = paris["receipts"][-1]
    assert (top_up["invoice"], top_up["amount_paid"], top_up["lines"]) == (None, "20.00", [])
    assert paris["balance"] == "14.00"
    assert berlin["balance"] == "5.00"
    assert vat["rejected"] == []


@pytest.fixture(scope="module")
def rate_change() -> dict[str, Any]:
    return run_file(EXAMPLES / "inclusive-rate-change.yaml")


def test_inclusive_prices_find_the_tax_inside_the_price(rate_change: dict[str, Any]) -> None:
    """5 seats × 12.00 = 60.00 VAT included, on 2026-03-15 at 20 %: 60.00 × 20/120 = 10.00
    tax, 50.00 taxable; the gross is the subtotal."""
    first = rate_change["accounts"]["paris"]["invoices"][0]
    assert tax(first) == [("20", "standard", "50.00", "10.00")]
    assert (first["subtotal"], first["gross"], first["total"]) == ("60.00", "60.00", "60.00")


def test_a_rate_change_between_an_invoice_and_its_credit_note(
    rate_change: dict[str, Any],
) -> None:
    """On 2026-04-05 09:00, 10 of the period's 31 days (2026-03-15 → 04-15) are unused:
    60.00 × 10/31 = 19.354… → 19.35 credited, its tax at the invoice's 20 %:
    19.35 × 20/120 = 3.225 → 3.23, taxable 16.12. The new month at 21 % (in force since
    2026-04-01): 5 × 24.00 = 120.00, tax 120.00 × 21/121 = 20.826… → 20.83, taxable 99.17;
    120.00 − 19.35 = 100.65 charged."""
    paris = rate_change["accounts"]["paris"]
    (note,) = paris["credit_notes"]
    assert tax(note) == [("20", "standard", "16.12", "3.23")]
    assert (note["gross"], note["total"]) == ("19.35", "19.35")
    upgrade = paris["invoices"][1]
    assert tax(upgrade) == [("21", "standard", "99.17", "20.83")]
    assert totals(upgrade) == ("120.00", "19.35", "0.00", "100.65", "100.65")
