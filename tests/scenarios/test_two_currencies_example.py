"""A GBP and a EUR account on one catalog, run from `examples/currencies/`. Every expected figure
is worked by hand.

Catalog (`currency: EUR`, `currencies: [EUR, GBP]`): Standard 8.00 EUR / 7.00 GBP and Pro
12.00 EUR / 10.00 GBP per seat and month; SMS 0.05 EUR / 0.04 GBP, paid from the balance, which
pays invoices first. An upgrade is prorated on the same invoice.

Both accounts buy 10 Standard seats on 2026-03-01 and upgrade to Pro on 2026-03-17: 15 of the 31
days of March are left. Each tops up 20.00 on 2026-03-20 and sends 100 SMS on 2026-03-21; both
renew on 2026-04-01.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scenario_reading import totals

from tierline.simulate import ScenarioFailed, run, run_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "currencies"


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return run_file(EXAMPLES / "two-currencies.yaml")


def lines(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(x["kind"], x["quantity"], x["unit_amount"], x["amount"]) for x in doc["lines"]]


def test_each_account_is_billed_in_the_currency_chosen_at_its_creation(
    result: dict[str, Any],
) -> None:
    club, atelier = result["accounts"]["club"], result["accounts"]["atelier"]

    assert (club["currency"], atelier["currency"]) == ("GBP", "EUR")  # atelier: the default
    assert result["rejected"] == []


def test_every_document_of_an_account_is_in_its_currency(result: dict[str, Any]) -> None:
    for account in result["accounts"].values():
        documents = account["invoices"] + account["credit_notes"] + account["receipts"]
        assert documents
        assert {doc["currency"] for doc in documents} == {account["currency"]}


def test_the_gbp_account_pays_the_gbp_prices(result: dict[str, Any]) -> None:
    """Standard: 10 × 7.00 = 70.00. Upgrade: Pro for the 15 days left, 10 × 10.00 × 15/31 =
    48.387… → 48.39, less the unused Standard, 70.00 × 15/31 = 33.870… → 33.87: 14.52.
    Renewal: 10 × 10.00 = 100.00, less the balance 20.00 − 100 × 0.04 = 16.00: 84.00."""
    club = result["accounts"]["club"]
    first, upgrade, renewal = club["invoices"]

    assert lines(first) == [("subscription", 10, "7.00", "70.00")]
    assert lines(upgrade) == [
        ("proration_charge", 10, "10.00", "48.39"),
        ("proration_credit", 10, None, "-33.87"),
    ]
    assert totals(upgrade) == ("14.52", "0.00", "0.00", "14.52", "14.52")
    assert lines(renewal) == [("subscription", 10, "10.00", "100.00")]
    assert totals(renewal) == ("100.00", "0.00", "16.00", "84.00", "84.00")
    assert [p["amount"] for p in club["payments"]] == ["70.00", "14.52", "20.00", "84.00"]
    assert club["balance"] == "0.00"


def test_the_eur_account_pays_the_eur_prices(result: dict[str, Any]) -> None:
    """Standard: 10 × 8.00 = 80.00. Upgrade: 10 × 12.00 × 15/31 = 58.064… → 58.06, less
    80.00 × 15/31 = 38.709… → 38.71: 19.35. Renewal: 10 × 12.00 = 120.00, less the balance
    20.00 − 100 × 0.05 = 15.00: 105.00."""
    atelier = result["accounts"]["atelier"]
    first, upgrade, renewal = atelier["invoices"]

    assert lines(first) == [("subscription", 10, "8.00", "80.00")]
    assert lines(upgrade) == [
        ("proration_charge", 10, "12.00", "58.06"),
        ("proration_credit", 10, None, "-38.71"),
    ]
    assert totals(upgrade) == ("19.35", "0.00", "0.00", "19.35", "19.35")
    assert totals(renewal) == ("120.00", "0.00", "15.00", "105.00", "105.00")
    assert [p["amount"] for p in atelier["payments"]] == ["80.00", "19.35", "20.00", "105.00"]


def test_messages_state_amounts_in_the_accounts_currency(result: dict[str, Any]) -> None:
    texts = {
        name: [m["text"] for m in account["messages"] if m["kind"] == "balance.topped_up"]
        for name, account in result["accounts"].items()
    }

    assert texts == {
        "club": ["Your balance was recharged with 20.00 GBP; it is now 20.00 GBP."],
        "atelier": ["Your balance was recharged with 20.00 EUR; it is now 20.00 EUR."],
    }


def test_an_account_in_a_currency_the_catalog_does_not_sell_in_stops_the_run() -> None:
    scenario = {
        "catalog": "catalog.yaml",
        "start": "2026-03-01T00:00:00Z",
        "accounts": [{"id": "club", "currency": "USD"}],
    }

    with pytest.raises(ScenarioFailed, match=r"accounts\[0\]\.currency: unsupported_currency"):
        run(scenario, base=EXAMPLES)
