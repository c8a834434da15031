"""Payment attempts: money to move, decided in a use case's transaction and committed before
the collector sends it. The attempt's id is the idempotency key the provider gets."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from tierline.domain.account import PaymentMethod, charge_order
from tierline.domain.documents import AttemptReason, Invoice, Payment
from tierline.ids import new_id
from tierline.payments import ChargeRequest
from tierline.store.uow import UnitOfWork


def new_attempt(
    uow: UnitOfWork,
    account_id: str,
    method: PaymentMethod,
    amount: Decimal,
    now: datetime,
    *,
    reason: AttemptReason,
    kind: Literal["charge", "refund"] = "charge",
    invoice_number: str | None = None,
    reference: str | None = None,
    round: int = 0,
    fallback: bool = True,
) -> Payment:
    attempt_id = new_id("pay")
    attempt = Payment(
        id=attempt_id, account_id=account_id, at=now, amount=amount, payment_method=method.id,
        status="created", invoice_number=invoice_number, idempotency_key=attempt_id, kind=kind,
        reason=reason, reference=reference, round=round, fallback=fallback, token=method.token,
        method_brand=method.brand, method_last4=method.last4,
    )  # fmt: skip
    uow.payments.add(attempt)
    return attempt


def attempt_invoice(
    uow: UnitOfWork,
    invoice: Invoice,
    now: datetime,
    *,
    reason: AttemptReason,
    methods: list[PaymentMethod] | None = None,
) -> Payment | None:
    """The first attempt of a collection round on an invoice: the given method alone, or the
    primary method (a failure then moves to the backup). None when there is nothing to charge."""
    fallback = methods is None
    if methods is None:
        methods = charge_order(uow.payment_methods.for_account(invoice.account_id))
    if not methods or invoice.amount_due <= 0:
        return None
    return new_attempt(
        uow, invoice.account_id, methods[0], invoice.amount_due, now, reason=reason,
        invoice_number=invoice.number, round=invoice.attempts, fallback=fallback,
    )  # fmt: skip


def next_method(uow: UnitOfWork, failed: Payment) -> PaymentMethod | None:
    """The method to try after `failed` in the same round: the backup after the primary."""
    if not failed.fallback:
        return None
    if failed.invoice_number is not None:
        siblings = [
            p for p in uow.payments.for_invoice(failed.invoice_number) if p.round == failed.round
        ]
    else:
        siblings = [
            p
            for p in uow.payments.for_account(failed.account_id)
            if p.reference == failed.reference
        ]
    tried = {p.payment_method for p in siblings if p.kind == failed.kind}
    for method in charge_order(uow.payment_methods.for_account(failed.account_id)):
        if method.id not in tried:
            return method
    return None


def in_flight_for_invoice(uow: UnitOfWork, number: str) -> bool:
    return any(p.in_flight for p in uow.payments.for_invoice(number))


def charge_request(attempt: Payment, currency: str, customer: str | None = None) -> ChargeRequest:
    return ChargeRequest(
        idempotency_key=attempt.idempotency_key,
        kind=attempt.kind,
        token=attempt.token or "",
        amount=attempt.amount,
        currency=currency,
        account_id=attempt.account_id,
        payment_method=attempt.payment_method or "",
        invoice=attempt.invoice_number,
        customer=customer,
    )
