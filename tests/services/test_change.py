"""Changes, with hand-computed figures.

Every test subscribes on Jan 31 10:00 to a monthly period ending Feb 28 10:00 (28 days) and
changes on Feb 14 10:00, when exactly half of it (14 days) is unused:

    basic × 10 seats = 30.00 a month → unused part 15.00
    pro   × 10 seats = 60.00 a month → unused part 30.00, remaining part 30.00
"""

from __future__ import annotations

from typing import Any

import pytest
from service_builders import (
    DECLINED,
    FIRST_RENEWAL,
    MASTERCARD,
    MID_FEBRUARY,
    PAID_TO_FREE,
    START,
    VISA,
    Billing,
    eur,
    policy,
    utc,
)

from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.domain.periods import Period
from tierline.errors import (
    Invalid,
    NotAllowed,
    NotFound,
    PaymentFailed,
    SalesManaged,
    TransitionNotAllowed,
)
from tierline.services.accounts import UpdateAccount, update_account
from tierline.services.change import cancel_pending_change

MID_MARCH = utc(2026, 3, 14, 10)


def on_basic_until_mid_february(billing: Billing, **policies: Any) -> None:
    """Catalog with these policies, acme on basic × 10 since Jan 31, clock on Feb 14 10:00."""
    billing.install(policies=policies)
    billing.account()
    billing.subscribe("basic", quantity=10)
    billing.advance(MID_FEBRUARY)


def on_pro_until_mid_february(billing: Billing, **policies: Any) -> None:
    """Catalog with these policies, acme on pro × 10 since Jan 31, clock on Feb 14 10:00."""
    billing.install(policies=policies)
    billing.account()
    billing.subscribe("pro", quantity=10, trial=False)
    billing.advance(MID_FEBRUARY)


def amounts(lines: Any) -> list[tuple[str, Any]]:
    return [(line.kind, line.amount) for line in lines]


class TestApplyChangeProrate:
    def test_an_upgrade_credited_on_the_invoice_charges_the_net_of_remaining_time(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "prorate", "invoice"))

        result = billing.change(edition="pro")

        assert (result.invoice, result.credit_note) == ("INV-2026-000002", None)
        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [
            ("proration_charge", eur("30.00")), ("proration_credit", eur("-15.00")),
        ]  # fmt: skip
        assert invoice.lines[0].period == Period(MID_FEBRUARY, FIRST_RENEWAL)
        assert (invoice.subtotal, invoice.total, invoice.status) == (
            eur("15.00"), eur("15.00"), "paid",
        )  # fmt: skip
        assert billing.credit_notes() == []
        assert billing.gateway.captured[-1][1] == eur("15.00")

    def test_an_upgrade_under_prorate_keeps_the_period_and_its_anchor(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "prorate", "invoice"))

        result = billing.change(edition="pro")

        sub = result.subscription
        assert (sub.plan.edition, sub.anchor) == ("pro", START)
        assert sub.period == Period(START, FIRST_RENEWAL)
        assert billing.subscription() == sub

    def test_an_upgrade_with_a_credit_note_credits_unused_time_and_charges_the_difference(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "prorate", "credit_note"))

        result = billing.change(edition="pro")

        [note] = billing.credit_notes()
        assert (note.number, note.invoice_number, note.credit_to) == (
            "CN-2026-000001", "INV-2026-000001", "credit_note",
        )  # fmt: skip
        assert amounts(note.lines) == [("proration_credit", eur("15.00"))]
        assert note.total == eur("15.00")
        assert result.credit_note == "CN-2026-000001"
        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [("proration_charge", eur("30.00"))]
        assert (invoice.subtotal, invoice.credits_applied, invoice.total) == (
            eur("30.00"), eur("15.00"), eur("15.00"),
        )  # fmt: skip
        assert (invoice.status, invoice.amount_paid) == ("paid", eur("15.00"))

    def test_an_upgrade_with_a_refund_charges_once_the_net_and_the_receipt_shows_the_refund(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "prorate", "refund"))

        billing.change(edition="pro")

        [note] = billing.credit_notes()
        assert (note.credit_to, amounts(note.lines)) == ("refund", [("refund", eur("15.00"))])
        invoice = billing.invoice("INV-2026-000002")
        assert (invoice.subtotal, invoice.credits_applied, invoice.total) == (
            eur("30.00"), eur("15.00"), eur("15.00"),
        )  # fmt: skip
        assert [amount for _, amount, _ in billing.gateway.captured] == [
            eur("30.00"), eur("15.00"),
        ]  # fmt: skip
        assert billing.gateway.refunded == []
        receipt = billing.receipts()[-1]
        assert amounts(receipt.lines) == [
            ("proration_charge", eur("30.00")), ("refund", eur("-15.00")),
        ]  # fmt: skip
        assert receipt.amount_paid == eur("15.00")

    def test_an_upgrade_credited_to_the_balance_pays_the_new_charge_from_it_first(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "prorate", "balance"))

        billing.change(edition="pro")

        [note] = billing.credit_notes()
        assert (note.credit_to, note.total) == ("balance", eur("15.00"))
        invoice = billing.invoice("INV-2026-000002")
        assert (invoice.subtotal, invoice.credits_applied, invoice.balance_applied) == (
            eur("30.00"), eur("0.00"), eur("15.00"),
        )  # fmt: skip
        assert (invoice.total, invoice.status) == (eur("15.00"), "paid")
        assert billing.balance() == eur("0.00")
        # The invoice is issued with the purchase; the credit note comes once it is paid.
        assert [e.kind for e in billing.journal()][2:] == [
            "invoice", "balance_applied", "credit_note", "credit_to_balance", "payment",
        ]  # fmt: skip

    def test_a_quantity_increase_credits_the_old_seats_and_charges_the_new_ones(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing)

        billing.change(quantity=20)

        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [
            ("proration_charge", eur("30.00")), ("proration_credit", eur("-15.00")),
        ]  # fmt: skip
        assert invoice.total == eur("15.00")
        assert billing.subscription().plan.quantity == 20

    def test_adding_a_pack_charges_only_the_pack_for_the_rest_of_the_period(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing)

        billing.change(addons={"external-users": 1})

        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [("proration_charge", eur("4.50"))]
        assert billing.subscription().plan.addons == {"external-users": 1}

    def test_a_downgrade_refunded_beyond_the_new_charge_pays_the_rest_back_to_the_card(
        self, billing: Billing
    ) -> None:
        on_pro_until_mid_february(billing, downgrade=policy("immediate", "prorate", "refund"))

        billing.change(edition="basic")

        [note] = billing.credit_notes()
        assert note.total == eur("30.00")
        invoice = billing.invoice("INV-2026-000002")
        assert (invoice.subtotal, invoice.credits_applied, invoice.total, invoice.status) == (
            eur("15.00"), eur("15.00"), eur("0.00"), "paid",
        )  # fmt: skip
        assert [(t, a) for t, a, _ in billing.gateway.refunded] == [(f"tok_{VISA}", eur("15.00"))]
        refund = billing.payments()[-1]
        assert (refund.status, refund.amount, refund.payment_method) == (
            "refunded", eur("15.00"), "main",
        )  # fmt: skip
        assert billing.balance() == eur("0.00")

    def test_a_downgrade_with_a_credit_note_puts_the_leftover_credit_on_the_balance(
        self, billing: Billing
    ) -> None:
        on_pro_until_mid_february(billing, downgrade=policy("immediate", "prorate", "credit_note"))

        billing.change(edition="basic")

        invoice = billing.invoice("INV-2026-000002")
        assert (invoice.credits_applied, invoice.total) == (eur("15.00"), eur("0.00"))
        assert billing.balance() == eur("15.00")
        assert billing.gateway.refunded == []

    def test_a_downgrade_credited_on_the_invoice_puts_the_negative_total_on_the_balance(
        self, billing: Billing
    ) -> None:
        on_pro_until_mid_february(billing, downgrade=policy("immediate", "prorate", "invoice"))

        billing.change(edition="basic")

        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [
            ("proration_charge", eur("15.00")), ("proration_credit", eur("-30.00")),
        ]  # fmt: skip
        assert (invoice.subtotal, invoice.total, invoice.status) == (
            eur("-15.00"), eur("0.00"), "paid",
        )  # fmt: skip
        assert billing.balance() == eur("15.00")

    def test_a_refund_goes_back_to_the_card_that_paid(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.install(policies={"downgrade": policy("immediate", "prorate", "refund")})
        billing.account(cards=(DECLINED,), backup=MASTERCARD)  # the backup pays
        billing.subscribe("pro", quantity=10, trial=False)
        billing.advance(MID_FEBRUARY)

        billing.change(edition="basic")

        assert [(t, a) for t, a, _ in billing.gateway.refunded] == [
            (f"tok_{MASTERCARD}", eur("15.00"))
        ]
        assert billing.payments()[-1].payment_method == "backup"

    def test_a_refund_of_time_paid_from_the_balance_goes_back_to_the_balance(
        self, billing: Billing
    ) -> None:
        billing.install(policies={"downgrade": policy("immediate", "prorate", "refund")})
        billing.account()
        billing.subscribe("pro", quantity=10, trial=False)  # 60.00 by card
        billing.top_up("60.00")
        billing.advance(utc(2026, 3, 16))  # the Feb 28 renewal is paid from the balance

        billing.change(edition="basic")

        # Feb 28 – Mar 31 is 31 days, 15 of them unused: 60.00 × 15/31 = 29.03 credited;
        # basic for the same 15 days: 30.00 × 15/31 = 14.52; the rest, 14.51, was balance money.
        [note] = billing.credit_notes()
        assert (note.credit_to, note.total) == ("refund", eur("29.03"))
        invoice = billing.invoices()[-1]
        assert (invoice.subtotal, invoice.credits_applied, invoice.total) == (
            eur("14.52"), eur("14.52"), eur("0.00"),
        )  # fmt: skip
        assert billing.gateway.refunded == []
        assert billing.balance() == eur("14.51")

    def test_removing_a_pack_with_a_refund_pays_the_unused_part_back_without_an_invoice(
        self, billing: Billing
    ) -> None:
        billing.install(policies={"addon_remove": policy("immediate", "prorate", "refund")})
        billing.account()
        billing.subscribe("basic", addons={"external-users": 2})  # 30.00 + 18.00
        billing.advance(MID_FEBRUARY)

        result = billing.change(addons={"external-users": 0})

        assert (result.invoice, result.credit_note) == (None, "CN-2026-000001")
        [note] = billing.credit_notes()
        assert amounts(note.lines) == [("refund", eur("9.00"))]
        assert [(t, a) for t, a, _ in billing.gateway.refunded] == [(f"tok_{VISA}", eur("9.00"))]
        assert len(billing.invoices()) == 1
        assert result.subscription.plan.addons == {}
        billing.advance(FIRST_RENEWAL)
        assert billing.invoices()[-1].total == eur("30.00")

    def test_fewer_packs_credited_to_the_balance_pay_the_remaining_pack_from_it(
        self, billing: Billing
    ) -> None:
        billing.install(policies={"addon_remove": policy("immediate", "prorate", "balance")})
        billing.account()
        billing.subscribe("basic", addons={"external-users": 2})
        billing.advance(MID_FEBRUARY)

        billing.change(addons={"external-users": 1})

        # 2 packs: 9.00 unused goes to the balance; 1 pack for the rest: 4.50 paid from it.
        assert [n.total for n in billing.credit_notes()] == [eur("9.00")]
        invoice = billing.invoice("INV-2026-000002")
        assert (invoice.subtotal, invoice.balance_applied, invoice.total) == (
            eur("4.50"), eur("4.50"), eur("0.00"),
        )  # fmt: skip
        assert billing.balance() == eur("4.50")

    @pytest.mark.parametrize(
        ("granularity", "credit", "charge"),
        [("day", "15.00", "30.00"), ("second", "14.46", "28.93")],
    )
    def test_unused_time_is_measured_in_days_or_seconds_as_the_catalog_says(
        self, billing: Billing, granularity: str, credit: str, charge: str
    ) -> None:
        billing.install(policies={"granularity": granularity})
        billing.account()
        billing.subscribe("basic")
        billing.advance(utc(2026, 2, 14, 22))  # 13.5 days left of 28; 14 calendar days

        billing.change(edition="pro")

        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [
            ("proration_charge", eur(charge)), ("proration_credit", -eur(credit)),
        ]  # fmt: skip


class TestApplyChangeRestart:
    def test_an_upgrade_under_restart_starts_a_new_full_period_today(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "restart", "invoice"))

        result = billing.change(edition="pro")

        sub = result.subscription
        assert (sub.anchor, sub.period) == (MID_FEBRUARY, Period(MID_FEBRUARY, MID_MARCH))
        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [
            ("subscription", eur("60.00")), ("proration_credit", eur("-15.00")),
        ]  # fmt: skip
        assert invoice.lines[0].period == Period(MID_FEBRUARY, MID_MARCH)
        assert (invoice.total, invoice.status) == (eur("45.00"), "paid")

    def test_an_upgrade_under_restart_with_a_credit_note_charges_the_full_period_less_it(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "restart", "credit_note"))

        billing.change(edition="pro")

        assert [n.total for n in billing.credit_notes()] == [eur("15.00")]
        invoice = billing.invoice("INV-2026-000002")
        assert (invoice.subtotal, invoice.credits_applied, invoice.total) == (
            eur("60.00"), eur("15.00"), eur("45.00"),
        )  # fmt: skip

    def test_an_upgrade_under_restart_with_a_refund_is_never_charged_twice(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "restart", "refund"))

        billing.change(edition="pro")

        invoice = billing.invoice("INV-2026-000002")
        assert (invoice.subtotal, invoice.credits_applied, invoice.total) == (
            eur("60.00"), eur("15.00"), eur("45.00"),
        )  # fmt: skip
        assert [amount for _, amount, _ in billing.gateway.captured] == [
            eur("30.00"), eur("45.00"),
        ]  # fmt: skip
        assert billing.gateway.refunded == []

    def test_an_upgrade_under_restart_credited_to_the_balance_uses_it_at_once(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "restart", "balance"))

        billing.change(edition="pro")

        invoice = billing.invoice("INV-2026-000002")
        assert (invoice.subtotal, invoice.balance_applied, invoice.total) == (
            eur("60.00"), eur("15.00"), eur("45.00"),
        )  # fmt: skip
        assert billing.balance() == eur("0.00")

    def test_the_next_renewal_follows_the_new_anchor(self, billing: Billing) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "restart", "invoice"))
        billing.change(edition="pro")

        billing.advance(utc(2026, 3, 15))

        renewal = billing.invoices()[-1]
        assert (renewal.reason, renewal.issued_at, renewal.total) == (
            "renewal", MID_MARCH, eur("60.00"),
        )  # fmt: skip
        assert billing.subscription().period == Period(MID_MARCH, utc(2026, 4, 14, 10))

    def test_a_longer_cycle_restarts_the_period_for_a_year(self, billing: Billing) -> None:
        on_basic_until_mid_february(billing)

        result = billing.change(cycle="year")

        assert result.subscription.period == Period(MID_FEBRUARY, utc(2027, 2, 14, 10))
        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [
            ("subscription", eur("288.00")), ("proration_credit", eur("-15.00")),
        ]  # fmt: skip
        assert invoice.total == eur("273.00")

    def test_a_shorter_cycle_puts_the_unused_year_beyond_the_new_month_on_the_balance(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", cycle="year")  # 288.00 for 365 days
        billing.advance(MID_FEBRUARY)

        billing.change(cycle="month")

        # 351 of 365 days unused: 288.00 × 351/365 = 276.95; the month costs 30.00.
        invoice = billing.invoice("INV-2026-000002")
        assert amounts(invoice.lines) == [
            ("subscription", eur("30.00")), ("proration_credit", eur("-276.95")),
        ]  # fmt: skip
        assert (invoice.subtotal, invoice.total) == (eur("-246.95"), eur("0.00"))
        assert billing.balance() == eur("246.95")


class TestApplyChangeWithoutMoneyNow:
    def test_an_immediate_change_without_proration_takes_the_new_price_at_renewal(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "none"))

        result = billing.change(edition="pro")

        assert (result.invoice, result.credit_note) == (None, None)
        assert result.subscription.plan.edition == "pro"
        assert len(billing.invoices()) == 1
        billing.advance(FIRST_RENEWAL)
        renewal = billing.invoices()[-1]
        assert (renewal.reason, renewal.total) == ("renewal", eur("60.00"))

    def test_a_change_at_period_end_is_scheduled_and_charges_nothing_now(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing)

        result = billing.change(quantity=5)

        assert result.preview.scheduled
        assert result.preview.effective_at == FIRST_RENEWAL
        assert result.preview.total_now == eur("0.00")
        sub = billing.subscription()
        assert sub.plan.quantity == 10
        assert sub.pending is not None
        assert (sub.pending.target.quantity, sub.pending.effective_at) == (5, FIRST_RENEWAL)
        assert len(billing.invoices()) == 1
        assert "subscription.quantity_decrease_scheduled" in billing.messages()

    def test_a_scheduled_change_is_applied_at_renewal_with_its_price(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing)
        billing.change(quantity=5)

        billing.advance(FIRST_RENEWAL)

        renewal = billing.invoices()[-1]
        assert (renewal.reason, renewal.total, renewal.lines[0].quantity) == (
            "renewal", eur("15.00"), 5,
        )  # fmt: skip
        sub = billing.subscription()
        assert (sub.plan.quantity, sub.pending) == (5, None)

    def test_an_upgrade_during_a_trial_changes_the_plan_without_money(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("pro", quantity=5)

        result = billing.change(quantity=8)

        assert result.invoice is None
        assert (result.subscription.status, result.subscription.plan.quantity) == ("trialing", 8)
        billing.advance(utc(2026, 2, 14, 10))
        assert billing.invoices()[0].total == eur("48.00")


class TestApplyChangeFromTheFreeEdition:
    def test_leaving_the_free_edition_starts_a_full_paid_period_today(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("free", quantity=None)
        billing.advance(MID_FEBRUARY)

        result = billing.change(edition="basic", quantity=10)

        assert result.subscription.period == Period(MID_FEBRUARY, MID_MARCH)
        [invoice] = billing.invoices()
        assert amounts(invoice.lines) == [("subscription", eur("30.00"))]
        assert (invoice.status, invoice.credits_applied) == ("paid", eur("0.00"))
        assert billing.credit_notes() == []


class TestApplyChangeInTheAccountsTimezone:
    @pytest.mark.parametrize(
        ("timezone", "credit", "total"),
        [("Europe/Paris", "15.00", "15.00"), ("UTC", "16.07", "16.07")],
    )
    def test_unused_days_are_counted_in_the_accounts_timezone(
        self, billing: Billing, catalog: Catalog, timezone: str, credit: str, total: str
    ) -> None:
        billing.account(timezone=timezone)
        billing.subscribe("basic")
        billing.advance(utc(2026, 2, 13, 23, 30))  # already Feb 14 in Paris: 14 days left, not 15

        billing.change(edition="pro")

        invoice = billing.invoice("INV-2026-000002")
        assert invoice.lines[1].amount == -eur(credit)
        assert invoice.total == eur(total)


class TestApplyChangeAfterAnEarlyRenewal:
    """With renewal lead days, the next period is invoiced (and paid) before the current ends."""

    def on_basic_with_next_period_invoiced(self, billing: Billing) -> None:
        billing.install(renewal={"lead_days": 3})
        billing.account()
        billing.subscribe("basic")
        billing.advance(utc(2026, 2, 26, 10))  # renewed on Feb 25 for Feb 28 – Mar 31

    def test_a_change_for_the_period_end_waits_for_the_end_of_the_invoiced_period(
        self, billing: Billing
    ) -> None:
        self.on_basic_with_next_period_invoiced(billing)

        billing.change(quantity=5)

        sub = billing.subscription()
        assert sub.pending is not None
        assert sub.pending.effective_at == utc(2026, 3, 31, 10)  # March was invoiced at 10 seats
        billing.advance(utc(2026, 3, 1))
        sub = billing.subscription()
        assert (sub.plan.quantity, sub.charges[0].quantity) == (10, 10)
        billing.advance(utc(2026, 4, 1))
        sub = billing.subscription()
        assert (sub.plan.quantity, sub.charges[0].quantity, sub.pending) == (5, 5, None)

    def test_a_change_waiting_for_an_invoiced_period_is_announced_once_when_applied(
        self, billing: Billing
    ) -> None:
        self.on_basic_with_next_period_invoiced(billing)
        billing.change(quantity=5)

        billing.advance(utc(2026, 3, 1))
        assert "subscription.quantity_decrease_applied" not in billing.messages()
        billing.advance(utc(2026, 4, 1))

        assert billing.messages().count("subscription.quantity_decrease_applied") == 1

    def test_a_change_scheduled_before_the_early_renewal_is_invoiced_at_its_price(
        self, billing: Billing
    ) -> None:
        billing.install(renewal={"lead_days": 3})
        billing.account()
        billing.subscribe("basic")
        billing.advance(utc(2026, 2, 20))
        billing.change(quantity=5)

        billing.advance(utc(2026, 2, 26))

        renewal = billing.invoices()[-1]
        assert (renewal.issued_at, renewal.total) == (utc(2026, 2, 25, 10), eur("15.00"))
        with pytest.raises(NotAllowed) as refused:
            cancel_pending_change("acme", uow=billing.uow, clock=billing.clock)
        assert refused.value.code == "renewal_already_invoiced"
        billing.advance(utc(2026, 3, 1))
        sub = billing.subscription()
        assert (sub.plan.quantity, sub.charges[0].quantity, sub.pending) == (5, 5, None)

    def test_an_immediate_upgrade_also_settles_the_invoiced_next_period(
        self, billing: Billing
    ) -> None:
        self.on_basic_with_next_period_invoiced(billing)

        billing.change(edition="pro")

        # 2 of 28 days left: basic 30.00 × 2/28 = 2.14 back, pro 60.00 × 2/28 = 4.29 due;
        # the invoiced next period, basic 30.00, goes back whole and pro 60.00 replaces it.
        invoice = billing.invoice("INV-2026-000003")
        assert sorted(line.amount for line in invoice.lines) == [
            eur("-30.00"), eur("-2.14"), eur("4.29"), eur("60.00"),
        ]  # fmt: skip
        assert invoice.total == eur("32.15")
        billing.advance(utc(2026, 3, 1))
        sub = billing.subscription()
        assert (sub.plan.edition, [c.amount for c in sub.charges]) == ("pro", [eur("60.00")])
        billing.advance(utc(2026, 3, 29))
        assert billing.invoices()[-1].total == eur("60.00")


class TestApplyChangeRefused:
    def test_a_refused_transition_changes_nothing(self, billing: Billing) -> None:
        on_basic_until_mid_february(billing)
        before = billing.snapshot()

        with pytest.raises(TransitionNotAllowed) as refused:
            billing.change(edition="free")

        assert refused.value.code == "transition_not_allowed"
        assert refused.value.message == PAID_TO_FREE
        assert billing.snapshot() == before

    def test_a_declined_upgrade_voids_its_invoice_and_keeps_the_old_plan(
        self, billing: Billing
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "prorate", "credit_note"))
        billing.decline(VISA)
        billing.decline(MASTERCARD)
        sub, invoices, notes, receipts, payments, _, _, next_number = billing.snapshot()

        with pytest.raises(PaymentFailed):
            billing.change(edition="pro")

        after = billing.snapshot()
        assert (after[0].plan, after[0].period, after[0].charges) == (
            sub.plan, sub.period, sub.charges,
        )  # fmt: skip
        assert (after[2], after[3]) == (notes, receipts)
        [void] = after[1][len(invoices) :]
        assert (void.number, void.status, void.amount_paid) == (next_number, "void", eur("0.00"))
        assert after[7] == "INV-2026-000003"
        assert [p.status for p in after[4][len(payments) :]] == ["failed", "failed"]
        assert [e.kind for e in after[5]][-2:] == ["invoice", "invoice_void"]
        assert billing.messages()[-1] == "payment.failed"
        assert f"Invoice {next_number} is void" in billing.message_texts()[-1]

    def test_the_same_plan_is_not_a_change(self, billing: Billing) -> None:
        on_basic_until_mid_february(billing)

        with pytest.raises(Invalid):
            billing.change(quantity=10)

    def test_a_change_naming_nothing_is_invalid(self, billing: Billing) -> None:
        on_basic_until_mid_february(billing)

        with pytest.raises(Invalid):
            billing.change()

    def test_an_account_without_a_subscription_cannot_change(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(NotFound) as refused:
            billing.change(edition="pro")

        assert refused.value.code == "no_subscription"

    def test_a_sales_managed_account_cannot_change_online(self, billing: Billing) -> None:
        on_basic_until_mid_february(billing)
        update_account(UpdateAccount("acme", sales_managed=True), uow=billing.uow)
        before = billing.snapshot()

        with pytest.raises(SalesManaged):
            billing.change(edition="pro")

        assert billing.snapshot() == before


CREDIT_TO = ["invoice", "credit_note", "refund", "balance"]
PRORATION = ["prorate", "restart"]


class TestPreviewChange:
    @pytest.mark.parametrize("credit_to", CREDIT_TO)
    @pytest.mark.parametrize("proration", PRORATION)
    def test_the_preview_total_is_what_apply_then_charges(
        self, billing: Billing, proration: str, credit_to: str
    ) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", proration, credit_to))

        preview = billing.preview(edition="pro")
        result = billing.change(edition="pro")

        invoice = billing.invoice("INV-2026-000002")
        assert preview == result.preview
        assert preview.total_now == invoice.total == invoice.amount_paid
        assert preview.credit == eur("15.00")
        assert preview.credit_to == credit_to
        assert (preview.effective_at, preview.scheduled) == (MID_FEBRUARY, False)
        assert preview.next_renewal_amount == eur("60.00")

    @pytest.mark.parametrize("credit_to", CREDIT_TO)
    def test_a_preview_of_a_downgrade_with_leftover_credit_matches_apply(
        self, billing: Billing, credit_to: str
    ) -> None:
        on_pro_until_mid_february(billing, downgrade=policy("immediate", "prorate", credit_to))

        preview = billing.preview(edition="basic")
        billing.change(edition="basic")

        invoice = billing.invoice("INV-2026-000002")
        assert preview.total_now == invoice.total == eur("0.00")
        assert preview.credit == eur("30.00")

    def test_a_preview_lists_the_lines_the_invoice_will_carry(self, billing: Billing) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "prorate", "invoice"))

        preview = billing.preview(edition="pro")
        billing.change(edition="pro")

        assert preview.lines == billing.invoice("INV-2026-000002").lines
        assert preview.change_class == "upgrade"

    def test_a_preview_counts_the_balance_the_invoice_will_use(self, billing: Billing) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "prorate", "invoice"))
        billing.top_up("10.00")

        preview = billing.preview(edition="pro")
        billing.change(edition="pro")

        invoice = billing.invoice("INV-2026-000002")
        assert (invoice.balance_applied, invoice.total) == (eur("10.00"), eur("5.00"))
        assert preview.total_now == eur("5.00")

    def test_a_preview_stores_nothing(self, billing: Billing) -> None:
        on_basic_until_mid_february(billing, upgrade=policy("immediate", "restart", "credit_note"))
        before = billing.snapshot()
        captured = list(billing.gateway.captured)

        billing.preview(edition="pro")

        assert billing.snapshot() == before
        assert billing.gateway.captured == captured

    def test_a_preview_of_a_scheduled_change_shows_when_and_the_next_renewal(
        self, billing: Billing
    ) -> None:
        on_pro_until_mid_february(billing)

        preview = billing.preview(edition="basic")

        assert (preview.change_class, preview.scheduled) == ("downgrade", True)
        assert (preview.effective_at, preview.total_now) == (FIRST_RENEWAL, eur("0.00"))
        assert preview.next_renewal_amount == eur("30.00")
        assert billing.subscription().pending is None

    def test_a_preview_of_a_refused_transition_is_refused_too(self, billing: Billing) -> None:
        on_basic_until_mid_february(billing)

        with pytest.raises(TransitionNotAllowed):
            billing.preview(edition="free")


class TestCancelPendingChange:
    def test_cancelling_a_scheduled_change_keeps_the_plan_at_renewal(
        self, billing: Billing
    ) -> None:
        on_pro_until_mid_february(billing)
        billing.change(edition="basic")

        sub = cancel_pending_change("acme", uow=billing.uow, clock=billing.clock)

        assert (sub.pending, sub.plan.edition) == (None, "pro")
        billing.advance(FIRST_RENEWAL)
        renewal = billing.invoices()[-1]
        assert (renewal.reason, renewal.total) == ("renewal", eur("60.00"))
        assert billing.subscription().plan.edition == "pro"
        assert "subscription.change_canceled" in billing.messages()

    def test_cancelling_without_a_scheduled_change_is_refused(self, billing: Billing) -> None:
        on_pro_until_mid_february(billing)

        with pytest.raises(NotAllowed) as refused:
            cancel_pending_change("acme", uow=billing.uow, clock=billing.clock)

        assert refused.value.code == "no_pending_change"

    def test_a_new_scheduled_change_replaces_the_previous_one(self, billing: Billing) -> None:
        on_pro_until_mid_february(billing)
        billing.change(quantity=5)

        billing.change(quantity=3)

        sub = billing.subscription()
        assert sub.pending is not None and sub.pending.target.quantity == 3
        billing.advance(FIRST_RENEWAL)
        assert billing.invoices()[-1].total == eur("18.00")
