"""What an attempt's answer does: pay, recharge, try the next method, void, or follow retries."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from builders import an_unpaid_invoice, utc

from tierline.domain.account import PaymentMethod
from tierline.domain.documents import Invoice, Payment
from tierline.domain.events import BalanceToppedUp, PaymentFailed
from tierline.domain.payment_outcomes import (
    FollowRetries,
    LeaveOpen,
    NothingLeft,
    PayInvoice,
    RechargeBalance,
    TopUpFailed,
    TryNextMethod,
    VoidPurchase,
    after_failure,
    after_success,
)

AT = utc(2026, 2, 1)
BACKUP = PaymentMethod("pm_2", "acc_1", "tok_5555555555554444", "mastercard", "4444")


def an_attempt(**overrides: object) -> Payment:
    values: dict[str, object] = dict(
        id="pay_1", account_id="acc_1", at=AT, amount=Decimal("30.00"), payment_method="pm_1",
        status="failed", invoice_number="INV-2026-000002", idempotency_key="pay_1",
        reason="collection",
    )  # fmt: skip
    values.update(overrides)
    return Payment(**values)  # type: ignore[arg-type]


def success(attempt: Payment, invoice: Invoice | None, *, awaits: bool = False) -> object:
    return after_success(
        attempt, invoice, purchase_awaits=awaits, balance_before=Decimal("50.00"), currency="USD"
    )


def failure(
    attempt: Payment,
    invoice: Invoice | None,
    *,
    next_method: PaymentMethod | None = None,
    awaits: bool = False,
) -> object:
    return after_failure(
        attempt, next_method=next_method, invoice=invoice, purchase_awaits=awaits,
        code="card_declined", message="The card was declined.", currency="USD",
    )  # fmt: skip


class TestAfterSuccess:
    def test_a_charge_for_an_open_invoice_pays_it(self) -> None:
        invoice = an_unpaid_invoice()

        assert success(an_attempt(), invoice) == PayInvoice(invoice, apply_purchase=False)

    def test_a_charge_for_a_purchase_applies_it_when_paying(self) -> None:
        invoice = an_unpaid_invoice(reason="change")

        assert success(an_attempt(), invoice, awaits=True) == PayInvoice(invoice, True)

    def test_a_top_up_recharges_the_balance_with_its_receipt(self) -> None:
        top_up = an_attempt(invoice_number=None, reason="top_up", reference="topup_1")

        assert success(top_up, None) == RechargeBalance(
            Decimal("30.00"), "topup_1", BalanceToppedUp(Decimal("30.00"), Decimal("80.00"), "USD"),
            top_up=True,
        )  # fmt: skip

    def test_money_for_an_invoice_paid_meanwhile_goes_to_the_balance_not_lost(self) -> None:
        paid = an_unpaid_invoice(status="paid", amount_paid=Decimal("30.00"))

        outcome = success(an_attempt(), paid)

        assert isinstance(outcome, RechargeBalance) and not outcome.top_up
        assert outcome.event.invoice == "INV-2026-000002"
        assert outcome.event.balance == Decimal("80.00")

    def test_money_that_does_not_match_what_is_due_goes_to_the_balance(self) -> None:
        partly = an_unpaid_invoice(amount_paid=Decimal("10.00"))

        assert isinstance(success(an_attempt(), partly), RechargeBalance)


class TestAfterFailure:
    def test_the_next_method_is_tried_before_anything_else(self) -> None:
        outcome = failure(an_attempt(), an_unpaid_invoice(), next_method=BACKUP, awaits=True)

        assert outcome == TryNextMethod(BACKUP)

    def test_a_purchase_no_method_paid_is_voided_and_says_so(self) -> None:
        invoice = an_unpaid_invoice(reason="change")

        outcome = failure(an_attempt(reason="purchase"), invoice, awaits=True)

        assert isinstance(outcome, VoidPurchase) and outcome.invoice == invoice
        assert outcome.event.voided and outcome.event.code == "card_declined"

    def test_an_invoice_asked_to_be_paid_now_stays_open(self) -> None:
        outcome = failure(an_attempt(reason="pay_now"), an_unpaid_invoice())

        assert isinstance(outcome, LeaveOpen)
        assert not outcome.event.voided

    def test_a_renewal_no_method_paid_follows_the_catalogs_retries(self) -> None:
        outcome = failure(an_attempt(), an_unpaid_invoice())

        assert outcome == FollowRetries(
            an_unpaid_invoice(),
            PaymentFailed(
                "INV-2026-000002", "card_declined", Decimal("30.00"), "USD",
                "The card was declined.",
            ),
        )  # fmt: skip

    def test_a_failed_top_up_is_only_announced(self) -> None:
        outcome = failure(an_attempt(invoice_number=None, reason="top_up"), None)

        assert isinstance(outcome, TopUpFailed)
        assert outcome.event.invoice is None

    def test_an_invoice_settled_meanwhile_needs_nothing_more(self) -> None:
        void = replace(an_unpaid_invoice(), status="void")

        assert failure(an_attempt(), void) == NothingLeft()
