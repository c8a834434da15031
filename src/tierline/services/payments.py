"""Paying: an open invoice paid on request ("Pay now"), and what happens when a purchase made now
cannot be paid (nothing of it is kept but the attempt)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import NoReturn

from tierline.clock import Clock
from tierline.domain.documents import Invoice, Receipt
from tierline.errors import (
    InvoiceAlreadyPaid,
    InvoiceUncollectible,
    NoPaymentMethod,
    NotFound,
    PaymentFailed,
)
from tierline.payments import Gateway
from tierline.services.invoicing import Collection, collect
from tierline.services.messages import notify
from tierline.store.uow import UnitOfWork


def paid_or_refuse(uow: UnitOfWork, result: Collection, now: datetime) -> None:
    """Roll the purchase back when its payment failed, keep the failed attempts, and refuse."""
    if result.paid:
        return
    invoice = result.invoice
    uow.rollback()
    for attempt in result.attempts:
        uow.payments.add(attempt)
    notify(
        uow, invoice.account_id, now, "payment.failed",
        f"Payment of {invoice.amount_due} {uow.catalog.currency} failed: {result.failure_message}",
        code=result.failure_code, invoice=invoice.number, amount=str(invoice.amount_due),
        currency=uow.catalog.currency,
    )  # fmt: skip
    uow.commit()
    _refuse(result)


def _refuse(result: Collection) -> NoReturn:
    if result.failure_code == "no_payment_method":
        raise NoPaymentMethod("Add a payment method first.", param="payment_method")
    raise PaymentFailed(
        f"The payment failed: {result.failure_message}", param="payment_method",
        details={"reason": result.failure_code},
    )  # fmt: skip


@dataclass(frozen=True)
class PayInvoice:
    """Pay an open invoice of the account (by its number) now: with `payment_method`, that
    method only; without, the primary method, then the backup."""

    account_id: str
    invoice: str
    payment_method: str | None = None


@dataclass(frozen=True)
class InvoicePaid:
    invoice: Invoice
    receipt: Receipt


def pay_open_invoice(
    cmd: PayInvoice, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> InvoicePaid:
    """Charge what is due on an open invoice, as the billing run collects it: each attempt is
    recorded with its own idempotency key, a success marks the invoice paid, issues the receipt
    and brings a past-due subscription back to active; a failure keeps the invoice open (its
    retry schedule unchanged) and is refused with the card's message."""
    now = clock.now()
    with uow:
        account = uow.accounts.get(cmd.account_id)
        invoice = uow.documents.invoice(cmd.invoice)
        if invoice.account_id != account.id:
            raise NotFound(f"No invoice '{cmd.invoice}'.", code="unknown_invoice", param="invoice")
        if invoice.status == "paid":
            raise InvoiceAlreadyPaid(f"Invoice {invoice.number} is paid already.")
        if invoice.status != "open":
            raise InvoiceUncollectible(
                f"Invoice {invoice.number} was written off as uncollectible when its subscription"
                " was cancelled; it cannot be paid."
            )
        methods = None
        if cmd.payment_method is not None:
            methods = [
                m for m in uow.payment_methods.for_account(account.id) if m.id == cmd.payment_method
            ]
            if not methods:
                raise NotFound(
                    f"No payment method '{cmd.payment_method}'.",
                    code="unknown_payment_method", param="payment_method",
                )  # fmt: skip
        result = collect(uow, gateway, account, invoice, now, methods=methods)
        if result.receipt is not None:
            reactivate_if_past_due(uow, invoice)
            uow.commit()
            return InvoicePaid(result.invoice, result.receipt)
        if result.attempts:  # the next attempt takes a new idempotency key
            uow.documents.save_payment_state(replace(invoice, attempts=invoice.attempts + 1))
        uow.commit()
    _refuse(result)


def reactivate_if_past_due(uow: UnitOfWork, invoice: Invoice) -> None:
    """Once its invoice is paid, a past-due subscription is active again."""
    if invoice.subscription_id is None:
        return
    sub = uow.subscriptions.get(invoice.subscription_id)
    if sub.status == "past_due":
        uow.subscriptions.save(replace(sub, status="active"))
