"""Paying an open invoice now ("Pay now"), on both stores.

acme pays its first month (basic × 10 = 30.00) with its primary Visa `main`; at the renewal on
Feb 28 the sandbox declines both `main` and the backup Mastercard, so the renewal invoice stays
open, the subscription is past due and the billing run will retry on Mar 1, 3 and 5.
"""

from __future__ import annotations

import pytest
from service_builders import MASTERCARD, VISA, Billing, eur, utc

from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.domain.documents import Invoice
from tierline.errors import (
    InvoiceAlreadyPaid,
    InvoiceUncollectible,
    NoPaymentMethod,
    NotFound,
    PaymentFailed,
)
from tierline.services.accounts import remove_payment_method
from tierline.services.payments import InvoicePaid, PayInvoice, pay_open_invoice

AMEX = "378282246310005"  # a sandbox card that succeeds
NOON = utc(2026, 2, 28, 12)


def pay(
    billing: Billing, number: str, method: str | None = None, account: str = "acme"
) -> InvoicePaid:
    return pay_open_invoice(
        PayInvoice(account, number, method), uow=billing.uow, clock=billing.clock,
        gateway=billing.gateway,
    )  # fmt: skip


def unpaid_renewal(billing: Billing) -> Invoice:
    """The renewal of Feb 28, declined on both cards; the clock is at noon that day."""
    billing.subscribe("basic")
    billing.decline(VISA)
    billing.decline(MASTERCARD)
    billing.advance(NOON)
    renewal = billing.invoices()[-1]
    assert (renewal.status, renewal.attempts, billing.subscription().status) == (
        "open", 1, "past_due",
    )  # fmt: skip
    return renewal


class TestPayOpenInvoice:
    def test_a_chosen_card_pays_the_invoice_issues_a_receipt_and_ends_past_due(
        self, billing: Billing, acme: Account
    ) -> None:
        renewal = unpaid_renewal(billing)
        billing.add_card(AMEX, id="amex")

        paid = pay(billing, renewal.number, "amex")

        invoice = billing.invoice(renewal.number)
        assert (invoice.status, invoice.amount_paid, invoice.paid_at) == (
            "paid", eur("30.00"), NOON,
        )  # fmt: skip
        assert invoice.next_attempt_at is None
        assert paid.invoice.status == "paid"
        assert paid.receipt.number == "RCT-2026-000002"  # gap-free after the first month's
        assert (paid.receipt.invoice_number, paid.receipt.payment_method) == (
            renewal.number, "amex",
        )  # fmt: skip
        assert [r.number for r in billing.receipts()] == ["RCT-2026-000001", "RCT-2026-000002"]
        assert billing.subscription().status == "active"
        assert billing.messages()[-1] == "invoice.paid"
        assert billing.journal()[-1].kind == "payment"
        assert billing.gateway.captured[-1][:2] == (f"tok_{AMEX}", eur("30.00"))

    def test_without_a_choice_the_primary_card_is_tried_then_the_backup(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(VISA,), backup=None)
        renewal = unpaid_renewal(billing)
        billing.add_card(AMEX, id="amex", backup=True)

        paid = pay(billing, renewal.number)

        assert paid.receipt.payment_method == "amex"
        attempts = [p for p in billing.payments() if p.invoice_number == renewal.number]
        assert [(p.payment_method, p.status) for p in attempts] == [
            ("main", "failed"), ("main", "failed"), ("amex", "succeeded"),
        ]  # fmt: skip
        assert len({p.idempotency_key for p in attempts}) == 3

    def test_a_declined_card_is_recorded_and_refused_with_its_message(
        self, billing: Billing, acme: Account
    ) -> None:
        renewal = unpaid_renewal(billing)

        with pytest.raises(PaymentFailed, match=r"The card was declined\.") as refused:
            pay(billing, renewal.number, "main")

        assert refused.value.code == "payment_failed"
        invoice = billing.invoice(renewal.number)
        assert (invoice.status, invoice.attempts) == ("open", 2)
        assert invoice.next_attempt_at == renewal.next_attempt_at  # the retries keep their days
        last = billing.payments()[-1]
        assert (last.payment_method, last.status, last.failure_code) == (
            "main", "failed", "card_declined",
        )  # fmt: skip
        assert billing.messages()[-1] == "payment.failed"
        assert billing.subscription().status == "past_due"
        assert len(billing.receipts()) == 1

    def test_each_attempt_has_its_own_idempotency_key_so_a_retry_charges_again(
        self, billing: Billing, acme: Account
    ) -> None:
        renewal = unpaid_renewal(billing)
        with pytest.raises(PaymentFailed):
            pay(billing, renewal.number, "backup")
        billing.add_card(AMEX, id="amex")

        pay(billing, renewal.number, "amex")

        keys = [p.idempotency_key for p in billing.payments() if p.invoice_number == renewal.number]
        assert len(keys) == len(set(keys)) == 4  # main and backup at renewal, backup, amex

    def test_the_billing_run_does_not_charge_an_invoice_paid_now(
        self, billing: Billing, acme: Account
    ) -> None:
        renewal = unpaid_renewal(billing)
        billing.add_card(AMEX, id="amex")
        pay(billing, renewal.number, "amex")
        charged = len(billing.gateway.captured)

        billing.advance(utc(2026, 3, 10))

        assert len(billing.gateway.captured) == charged
        assert billing.invoice(renewal.number).status == "paid"

    def test_a_failed_attempt_leaves_the_retry_days_to_the_billing_run(
        self, billing: Billing, acme: Account
    ) -> None:
        renewal = unpaid_renewal(billing)
        with pytest.raises(PaymentFailed):
            pay(billing, renewal.number)

        billing.advance(utc(2026, 3, 2))

        retries = [p.at for p in billing.payments() if p.at > NOON]
        assert retries == [utc(2026, 3, 1, 10), utc(2026, 3, 1, 10)]  # main, then backup
        assert billing.invoice(renewal.number).attempts == 3


class TestPayOpenInvoiceRefusals:
    def test_an_invoice_of_another_account_is_not_found_and_nothing_is_stored(
        self, billing: Billing, acme: Account
    ) -> None:
        renewal = unpaid_renewal(billing)
        billing.account("zeta")
        before = billing.snapshot("acme"), billing.snapshot("zeta")

        with pytest.raises(NotFound) as refused:
            pay(billing, renewal.number, account="zeta")

        assert refused.value.code == "unknown_invoice"
        assert (billing.snapshot("acme"), billing.snapshot("zeta")) == before

    def test_an_unknown_invoice_is_not_found(self, billing: Billing, acme: Account) -> None:
        with pytest.raises(NotFound) as refused:
            pay(billing, "INV-2026-999999")
        assert refused.value.code == "unknown_invoice"

    def test_a_paid_invoice_is_refused(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic")
        first = billing.invoices()[0]
        before = billing.snapshot()

        with pytest.raises(InvoiceAlreadyPaid) as refused:
            pay(billing, first.number)

        assert refused.value.code == "invoice_already_paid"
        assert billing.snapshot() == before

    def test_an_uncollectible_invoice_is_refused(self, billing: Billing, acme: Account) -> None:
        renewal = unpaid_renewal(billing)
        billing.advance(utc(2026, 4, 1))  # the retries failed: cancelled, written off
        assert billing.invoice(renewal.number).status == "uncollectible"
        before = billing.snapshot()

        with pytest.raises(InvoiceUncollectible) as refused:
            pay(billing, renewal.number)

        assert refused.value.code == "invoice_uncollectible"
        assert billing.snapshot() == before

    def test_an_unknown_payment_method_is_not_found(self, billing: Billing, acme: Account) -> None:
        renewal = unpaid_renewal(billing)
        before = billing.snapshot()

        with pytest.raises(NotFound) as refused:
            pay(billing, renewal.number, "nope")

        assert (refused.value.code, refused.value.param) == (
            "unknown_payment_method", "payment_method",
        )  # fmt: skip
        assert billing.snapshot() == before

    def test_without_any_payment_method_it_asks_for_one(
        self, billing: Billing, acme: Account
    ) -> None:
        renewal = unpaid_renewal(billing)
        for method in ("main", "backup"):
            remove_payment_method("acme", method, uow=billing.uow)

        with pytest.raises(NoPaymentMethod):
            pay(billing, renewal.number)

        assert billing.invoice(renewal.number).status == "open"
