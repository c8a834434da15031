"""A change of cycle under `prorate` keeps the billing day; under `restart` it moves it.

acme subscribes to basic × 10 seats on Jan 31 10:00, monthly (30.00, to Feb 28 10:00: 28 days),
and moves to yearly (10 × 3.00 × 12 × 80 % = 288.00) on Feb 14 10:00, when 14 days are left:

    credit for the unused half month      30.00 × 14/28              =  15.00
    prorate: first year to Jan 31 2027    288.00 × 351/365 = 276.95…  → 276.95
    restart: a whole year to Feb 14 2027                                288.00
"""

from __future__ import annotations

from typing import Any

from service_builders import FIRST_RENEWAL, MID_FEBRUARY, START, Billing, eur, policy, utc

from tierline.domain.periods import Period

NEXT_ANNIVERSARY = utc(2027, 1, 31, 10)


def monthly_until_mid_february(billing: Billing, **cycle_change: Any) -> None:
    billing.install(policies={"cycle_change": policy(**cycle_change)})
    billing.account()
    billing.subscribe("basic", quantity=10)
    billing.advance(MID_FEBRUARY)


def amounts(lines: Any) -> list[tuple[str, Any]]:
    return [(line.kind, line.amount) for line in lines]


class TestCycleChangeUnderProrate:
    def test_the_first_year_is_charged_to_the_next_anniversary_of_the_anchor(
        self, billing: Billing
    ) -> None:
        monthly_until_mid_february(billing, proration="prorate")

        result = billing.change(cycle="year")

        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [
            ("proration_charge", eur("276.95")), ("proration_credit", eur("-15.00")),
        ]  # fmt: skip
        assert invoice.lines[0].period == Period(MID_FEBRUARY, NEXT_ANNIVERSARY)
        assert (invoice.total, invoice.status) == (eur("261.95"), "paid")
        sub = result.subscription
        assert (sub.plan.cycle, sub.anchor) == ("year", START)
        assert sub.period == Period(MID_FEBRUARY, NEXT_ANNIVERSARY)
        assert billing.subscription() == sub

    def test_the_preview_shows_the_same_figures_and_stores_nothing(self, billing: Billing) -> None:
        monthly_until_mid_february(billing, proration="prorate")
        before = billing.snapshot()

        preview = billing.preview(cycle="year")

        assert billing.snapshot() == before
        assert amounts(preview.lines) == [
            ("proration_charge", eur("276.95")), ("proration_credit", eur("-15.00")),
        ]  # fmt: skip
        assert (preview.total_now, preview.next_renewal_amount) == (eur("261.95"), eur("288.00"))

    def test_the_renewal_on_the_anniversary_is_a_whole_year(self, billing: Billing) -> None:
        monthly_until_mid_february(billing, proration="prorate")
        billing.change(cycle="year")

        billing.advance(NEXT_ANNIVERSARY)

        renewal = billing.invoices()[-1]
        assert (renewal.reason, renewal.issued_at) == ("renewal", NEXT_ANNIVERSARY)
        assert amounts(renewal.lines) == [("subscription", eur("288.00"))]
        assert renewal.lines[0].period == Period(NEXT_ANNIVERSARY, utc(2028, 1, 31, 10))
        assert billing.subscription().anchor == START

    def test_a_scheduled_change_starts_the_first_year_at_the_period_end(
        self, billing: Billing
    ) -> None:
        monthly_until_mid_february(billing, timing="end_of_period", proration="prorate")

        preview = billing.preview(cycle="year")
        result = billing.change(cycle="year")
        billing.advance(FIRST_RENEWAL)

        # Feb 28 → Jan 31: 337 of 365 days; 288.00 × 337/365 = 265.906… → 265.91
        assert (preview.scheduled, preview.next_renewal_amount) == (True, eur("265.91"))
        assert result.invoice is None and result.subscription.pending is not None
        renewal = billing.invoices()[-1]
        assert amounts(renewal.lines) == [("proration_charge", eur("265.91"))]
        sub = billing.subscription()
        assert (sub.plan.cycle, sub.anchor) == ("year", START)
        assert sub.period == Period(FIRST_RENEWAL, NEXT_ANNIVERSARY)


class TestCycleChangeUnderRestart:
    def test_a_whole_year_starts_now_and_the_anchor_moves(self, billing: Billing) -> None:
        monthly_until_mid_february(billing, proration="restart")

        result = billing.change(cycle="year")

        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [
            ("subscription", eur("288.00")), ("proration_credit", eur("-15.00")),
        ]  # fmt: skip
        assert invoice.total == eur("273.00")
        sub = result.subscription
        assert (sub.anchor, sub.period) == (
            MID_FEBRUARY,
            Period(MID_FEBRUARY, utc(2027, 2, 14, 10)),
        )
