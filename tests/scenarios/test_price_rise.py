"""A price rise announced ahead, run from `examples/catalog-versions/price-rise.yaml`.

Version 1: Standard at 8.00 a seat a month, 80.00 a year; version 2 (installed on 10 March 2026
with `existing: next_renewal`): 9.00 and 90.00. Every account has 5 seats:
studio monthly 5 × 8.00 = 40.00 → 5 × 9.00 = 45.00; atelier yearly 5 × 80.00 = 400.00 → 450.00.
The notice is 30 days: 10 March + 30 days = 9 April.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from tierline.simulate import run_file

SCENARIO = Path(__file__).resolve().parents[2] / "examples" / "catalog-versions" / "price-rise.yaml"


@cache
def run() -> dict[str, Any]:
    return run_file(SCENARIO)


def totals(account: str) -> list[tuple[str, str]]:
    """(period start day, total) of each invoice."""
    invoices = run()["accounts"][account]["invoices"]
    return [(i["lines"][0]["period_start"][:10], i["total"]) for i in invoices]


def notices(account: str) -> list[tuple[str, str]]:
    messages = run()["accounts"][account]["messages"]
    return [(m["at"], m["text"]) for m in messages if m["kind"] == "subscription.price_changing"]


def test_the_monthly_customer_is_told_on_the_day_of_the_rise() -> None:
    assert notices("studio") == [(
        "2026-03-10T00:00:00Z",
        "The price of your Standard subscription changes from 40.00 EUR to 45.00 EUR at its "
        "renewal on 2026-05-01.",
    )]  # fmt: skip


def test_the_monthly_renewal_within_the_notice_keeps_the_old_price() -> None:
    # 1 April is before 9 April: still 40.00; 1 May is the first renewal at 45.00.
    assert totals("studio")[:6] == [
        ("2026-01-01", "40.00"), ("2026-02-01", "40.00"), ("2026-03-01", "40.00"),
        ("2026-04-01", "40.00"), ("2026-05-01", "45.00"), ("2026-06-01", "45.00"),
    ]  # fmt: skip
    assert {total for _, total in totals("studio")[4:]} == {"45.00"}


def test_the_yearly_customer_takes_the_new_price_at_its_next_renewal() -> None:
    assert notices("atelier") == [(
        "2026-03-10T00:00:00Z",
        "The price of your Standard subscription changes from 400.00 EUR to 450.00 EUR at its "
        "renewal on 2027-01-01.",
    )]  # fmt: skip
    assert totals("atelier") == [("2026-01-01", "400.00"), ("2027-01-01", "450.00")]


def test_a_customer_who_buys_after_the_rise_pays_the_new_price_without_a_notice() -> None:
    assert totals("bistro")[0] == ("2026-03-20", "45.00")
    assert notices("bistro") == []
    assert run()["rejected"] == []
