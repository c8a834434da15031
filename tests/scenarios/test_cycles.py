"""A change of billing cycle, run from `examples/cycles/`: monthly → yearly on 20 March 2026,
for a subscription anchored on 1 January, under `prorate` (the billing day stays) and under
`restart` (the anchor moves to the change).

Basic × 10 seats: 10 × 2.50 = 25.00 a month; 10 × 2.50 × 12 × 0.80 = 240.00 a year. On 20 March,
12 of March's 31 days are unused: 25.00 × 12/31 = 9.677… → 9.68 credited under both.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from tierline.simulate import run_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cycles"


@cache
def run(name: str) -> dict[str, Any]:
    return run_file(EXAMPLES / f"{name}.yaml")


def studio(name: str) -> dict[str, Any]:
    return run(name)["accounts"]["studio"]


def lines(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(kind, period start, period end, amount) of each line."""
    return [(x["kind"], x["period_start"], x["period_end"], x["amount"]) for x in doc["lines"]]


def invoice(name: str, number: str) -> dict[str, Any]:
    return next(doc for doc in studio(name)["invoices"] if doc["number"] == number)


class TestProrate:
    NAME = "monthly-to-yearly-prorate"

    def test_the_change_credits_march_and_charges_the_year_to_1_january(self) -> None:
        change = invoice(self.NAME, "INV-2026-000004")
        assert change["issued_at"] == "2026-03-20T00:00:00Z"
        # 240.00 × 287/365 = 188.712… → 188.71 (20 March 2026 → 1 January 2027: 287 days of the
        # year 1 January 2026 → 1 January 2027, 365 days)
        assert lines(change) == [
            ("proration_charge", "2026-03-20T00:00:00Z", "2027-01-01T00:00:00Z", "188.71"),
            ("proration_credit", "2026-03-20T00:00:00Z", "2026-04-01T00:00:00Z", "-9.68"),
        ]
        assert (change["subtotal"], change["total"], change["amount_paid"]) == (
            "179.03", "179.03", "179.03",
        )  # fmt: skip

    def test_the_preview_showed_the_same_figures(self) -> None:
        [preview] = run(self.NAME)["previews"]
        change = invoice(self.NAME, "INV-2026-000004")
        assert [x["amount"] for x in preview["lines"]] == [x["amount"] for x in change["lines"]]
        assert (preview["total_now"], preview["next_renewal_amount"]) == ("179.03", "240.00")

    def test_the_renewal_on_1_january_is_a_whole_year_and_the_anchor_stayed(self) -> None:
        renewal = invoice(self.NAME, "INV-2027-000001")
        assert renewal["issued_at"] == "2027-01-01T00:00:00Z"
        assert lines(renewal) == [
            ("subscription", "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", "240.00")
        ]
        sub = studio(self.NAME)["subscription"]
        assert (sub["cycle"], sub["current_period_start"], sub["current_period_end"]) == (
            "year", "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z",
        )  # fmt: skip

    def test_card_paid_three_months_the_first_year_and_the_renewal(self) -> None:
        paid = [(p["at"], p["amount"]) for p in studio(self.NAME)["payments"]]
        assert paid == [
            ("2026-01-01T00:00:00Z", "25.00"),
            ("2026-02-01T00:00:00Z", "25.00"),
            ("2026-03-01T00:00:00Z", "25.00"),
            ("2026-03-20T00:00:00Z", "179.03"),
            ("2027-01-01T00:00:00Z", "240.00"),
        ]


class TestRestart:
    NAME = "monthly-to-yearly-restart"

    def test_the_change_credits_march_and_charges_a_whole_year_from_20_march(self) -> None:
        change = invoice(self.NAME, "INV-2026-000004")
        assert lines(change) == [
            ("subscription", "2026-03-20T00:00:00Z", "2027-03-20T00:00:00Z", "240.00"),
            ("proration_credit", "2026-03-20T00:00:00Z", "2026-04-01T00:00:00Z", "-9.68"),
        ]
        # 240.00 − 9.68 = 230.32
        assert (change["total"], change["amount_paid"]) == ("230.32", "230.32")
        [preview] = run(self.NAME)["previews"]
        assert preview["total_now"] == "230.32"

    def test_the_renewal_comes_on_the_new_anchor(self) -> None:
        renewal = invoice(self.NAME, "INV-2027-000001")
        assert renewal["issued_at"] == "2027-03-20T00:00:00Z"
        assert lines(renewal) == [
            ("subscription", "2027-03-20T00:00:00Z", "2028-03-20T00:00:00Z", "240.00")
        ]
