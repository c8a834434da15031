"""Report figures from hand-built facts: MRR normalised to a month per currency, the plan list,
new and churned accounts, revenue net of credit notes, failed payments."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tierline.domain.periods import CycleLength
from tierline.domain.reports import (
    AccountFact,
    MoneyFact,
    RecurringFact,
    account_movements,
    failed_payments_per_month,
    last_months,
    plan_list,
    recurring_revenue,
    revenue_per_month,
)

MONTH = CycleLength(months=1)
HALF_YEAR = CycleLength(months=6)
YEAR = CycleLength(months=12)
FORTNIGHT = CycleLength(days=14)


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def sub(
    account: str,
    currency: str,
    amount: str,
    length: CycleLength = MONTH,
    *,
    edition: str = "basic",
    cycle: str = "month",
    status: str = "active",
    quantity: int = 10,
) -> RecurringFact:
    return RecurringFact(
        account, currency, edition, cycle, length, quantity, status, Decimal(amount)
    )


class TestRecurringRevenue:
    def test_mrr_of_monthly_and_annual_subscriptions_in_two_currencies(self) -> None:
        facts = [
            sub("a", "EUR", "30.00"),  # 30.00 a month
            sub("b", "EUR", "288.00", YEAR, cycle="year"),  # 288 / 12 = 24.00
            sub("c", "USD", "60.00", HALF_YEAR, cycle="half"),  # 60 / 6 = 10.00
            # 14.00 a fortnight: 14 × (365 / 12) / 14 = 30.41666… a month
            sub("d", "USD", "14.00", FORTNIGHT, cycle="fortnight", status="past_due"),
        ]

        found = {r.currency: r for r in recurring_revenue(facts)}

        assert found["EUR"].mrr == Decimal("54.00")
        assert found["EUR"].arr == Decimal("648.00")
        assert found["USD"].mrr == Decimal("40.42")  # 40.41666… rounded once
        assert found["USD"].arr == Decimal("485.00")  # 12 × 40.41666…, not 12 × 40.42
        assert (found["USD"].paying_subscriptions, found["USD"].paying_accounts) == (2, 2)

    def test_trials_add_nothing(self) -> None:
        found = recurring_revenue(
            [sub("a", "EUR", "30.00"), sub("b", "EUR", "60.00", status="trialing")]
        )
        assert [(r.mrr, r.paying_subscriptions) for r in found] == [(Decimal("30.00"), 1)]

    def test_a_currency_rounds_its_own_minor_unit(self) -> None:
        found = recurring_revenue([sub("a", "JPY", "10000", YEAR, cycle="year")])
        assert found[0].mrr == Decimal("833")  # 833.33… yen


class TestPlanList:
    def test_subscriptions_and_accounts_per_edition_and_cycle_in_catalog_order(self) -> None:
        facts = [
            sub("a", "EUR", "30", edition="pro"),
            sub("a", "EUR", "9", edition="basic"),
            sub("b", "EUR", "30", edition="pro", status="trialing", quantity=5),
            sub("c", "EUR", "288", YEAR, edition="pro", cycle="year"),
        ]

        lines = plan_list(facts, ["free", "basic", "pro"])

        assert [(p.edition, p.cycle, p.subscriptions, p.accounts, p.trials, p.units)
                for p in lines] == [
            ("basic", "month", 1, 1, 0, 10),
            ("pro", "month", 2, 2, 1, 15),
            ("pro", "year", 1, 1, 0, 10),
        ]  # fmt: skip


class TestAccountMovements:
    def test_new_by_first_start_and_churned_by_last_end_when_nothing_is_live(self) -> None:
        facts = [
            AccountFact("a", utc(2026, 1, 5), True, None),
            AccountFact("b", utc(2026, 1, 20), False, utc(2026, 3, 2)),
            AccountFact("c", utc(2026, 2, 1), True, utc(2026, 2, 15)),  # ended one, has another
            AccountFact("d", None, False, None),  # never subscribed
        ]

        found = account_movements(facts, ["2026-01", "2026-02", "2026-03"])

        assert [(m.month, m.new, m.churned) for m in found] == [
            ("2026-01", 2, 0),
            ("2026-02", 1, 0),
            ("2026-03", 0, 1),
        ]


class TestRevenue:
    def test_paid_invoices_minus_credit_notes_per_month_and_currency(self) -> None:
        invoices = [
            MoneyFact("EUR", utc(2026, 1, 31), Decimal("30.00")),
            MoneyFact("EUR", utc(2026, 2, 14), Decimal("60.00")),
            MoneyFact("USD", utc(2026, 2, 1), Decimal("10.00")),
        ]
        credits = [MoneyFact("EUR", utc(2026, 2, 14), Decimal("15.00"))]

        found = revenue_per_month(invoices, credits, ["2026-01", "2026-02"], ["EUR"])

        assert [(r.month, r.currency, r.net) for r in found] == [
            ("2026-01", "EUR", Decimal("30.00")),
            ("2026-02", "EUR", Decimal("45.00")),
            ("2026-01", "USD", Decimal(0)),
            ("2026-02", "USD", Decimal("10.00")),
        ]

    def test_failed_payments_are_counted_and_summed_per_month(self) -> None:
        failures = [
            MoneyFact("EUR", utc(2026, 2, 28), Decimal("30.00")),
            MoneyFact("EUR", utc(2026, 2, 28), Decimal("30.00")),
            MoneyFact("EUR", utc(2026, 3, 1), Decimal("30.00")),
        ]
        found = failed_payments_per_month(failures, ["2026-02", "2026-03"], ["EUR"])
        assert [(f.month, f.failed, f.amount) for f in found] == [
            ("2026-02", 2, Decimal("60.00")),
            ("2026-03", 1, Decimal("30.00")),
        ]


def test_the_last_months_end_with_the_current_one_across_a_year() -> None:
    assert last_months(utc(2026, 2, 10), 3) == ["2025-12", "2026-01", "2026-02"]
