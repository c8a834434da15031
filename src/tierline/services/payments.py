"""Paying now: purchases that wait for their payment, an open invoice paid on request ("Pay
now"), and how the caller learns the outcome once the collector has sent the attempt.

A purchase (a subscription, an upgrade, seats, packs) is decided and its invoice issued and
numbered in one transaction, with the first payment attempt; the purchase is applied when the
payment succeeds and voided when every method fails. Between the two it is the account's only
awaiting purchase, and the subscription it changes is locked by its version: a concurrent change
loses before anything is charged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NoReturn

from tierline.clock import Clock
from tierline.domain.account import charge_order
from tierline.domain.documents import Invoice, Payment, Purchase, Receipt
from tierline.domain.events import PurchaseRefunded
from tierline.domain.values import replace
from tierline.errors import (
    InvoiceAlreadyPaid,
    InvoiceUncollectible,
    InvoiceVoid,
    NoPaymentMethod,
    NotFound,
    PaymentFailed,
    PaymentInProgress,
    PaymentPending,
    PurchasePaidBack,
    TierlineError,
)
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.services.attempts import attempt_invoice, in_flight_for_invoice
from tierline.services.collection import collect
from tierline.services.invoicing import Credit, issue_credit_note, refund_to_card
from tierline.services.messages import notify
from tierline.store.uow import UnitOfWork


def require_payment_method(uow: UnitOfWork, account_id: str) -> None:
    if not charge_order(uow.payment_methods.for_account(account_id)):
        raise NoPaymentMethod("Add a payment method first.", param="payment_method")


def await_payment(
    uow: UnitOfWork,
    invoice: Invoice,
    now: datetime,
    *,
    kind: Literal["subscribe", "change"],
    subscription_id: str,
    command: dict[str, object],
    subscription_version: int | None,
) -> Purchase:
    """Keep a purchase until its invoice is paid, and commit-ready its first attempt."""
    purchase = Purchase(
        id=new_id("pur"), account_id=invoice.account_id, subscription_id=subscription_id,
        kind=kind, invoice_number=invoice.number, command=command, decided_at=now,
        subscription_version=subscription_version,
    )  # fmt: skip
    uow.purchases.add(purchase)
    attempt_invoice(uow, invoice, now, reason="purchase")
    return purchase


def apply_purchase(
    uow: UnitOfWork, purchase: Purchase, invoice: Invoice, now: datetime
) -> Credit | None:
    """The payment succeeded: carry the purchase out as it was decided."""
    from tierline.services.change import carry_out_change
    from tierline.services.subscriptions import carry_out_subscribe

    carry_out = carry_out_change if purchase.kind == "change" else carry_out_subscribe
    try:
        credit = carry_out(uow, purchase, invoice, now)
    except TierlineError:
        _pay_back(uow, purchase, invoice, now)
        return None
    uow.purchases.set_state(purchase, "applied")
    return credit


def _pay_back(uow: UnitOfWork, purchase: Purchase, invoice: Invoice, now: datetime) -> None:
    """Paid, but it can no longer be carried out (the subscription moved meanwhile): a credit
    note for the whole invoice pays the money back the way it came."""
    account = uow.accounts.get(purchase.account_id)
    lines = tuple(replace(line, amount=-line.amount) for line in invoice.lines)
    note = issue_credit_note(
        uow, account, lines, credit_to="refund", sources=(invoice.number,), now=now
    )
    refund_to_card(uow, account, note.total, now, note.number, source=note)
    uow.purchases.set_state(purchase, "void")
    refunded = PurchaseRefunded(invoice.number, note.number, note.total, account.currency)
    notify(uow, account.id, now, refunded)


def collect_invoice(uow: UnitOfWork, clock: Clock, gateway: Gateway, number: str) -> Invoice:
    """Send the account's attempts committed for this invoice (and any others it has waiting),
    then read the invoice: paid, or refused with what the last method's provider said."""
    with uow.reading():
        account_id = uow.documents.invoice(number).account_id
    collect(uow=uow, clock=clock, gateway=gateway, account_id=account_id, concurrency=1)
    with uow.reading():
        invoice = uow.documents.invoice(number)
        attempts = [a for a in uow.payments.for_invoice(number) if a.kind == "charge"]
    if invoice.status == "paid":
        with uow.reading():
            purchase = uow.purchases.for_invoice(number)
        if purchase is not None and purchase.state == "void":
            raise PurchasePaidBack(
                f"{invoice.number} was paid, but the subscription changed meanwhile: the purchase "
                "was not carried out and a credit note paid the money back.",
                details={"invoice": invoice.number},
            )
        return invoice
    if any(a.in_flight for a in attempts):
        raise PaymentPending(
            f"The payment of {invoice.number} is not settled yet; its outcome will be recorded "
            "when the provider answers.",
            param="payment_method",
        )
    refuse(attempts[-1] if attempts else None)


def refuse(failed: Payment | None) -> NoReturn:
    if failed is None:
        raise NoPaymentMethod("Add a payment method first.", param="payment_method")
    raise PaymentFailed(
        f"The payment failed: {failed.failure_message}", param="payment_method",
        details={"reason": failed.failure_code},
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
    """Charge what is due on an open invoice, as the billing run collects it: a success marks
    the invoice paid, issues the receipt and brings a past-due subscription back to active; a
    failure keeps the invoice open (its retry schedule unchanged) and is refused with the
    card's message. An invoice with a payment still in flight is not charged again."""
    now = clock.now()
    with uow:
        account = uow.accounts.get(cmd.account_id)
        uow.documents.lock_invoice(cmd.invoice)
        invoice = uow.documents.invoice(cmd.invoice)
        if invoice.account_id != account.id:
            raise NotFound(f"No invoice '{cmd.invoice}'.", code="unknown_invoice", param="invoice")
        if invoice.status == "paid":
            raise InvoiceAlreadyPaid(f"Invoice {invoice.number} is paid already.")
        if invoice.status == "void":
            raise InvoiceVoid(
                f"Invoice {invoice.number} is void: its purchase was not paid, nothing is owed."
            )
        if invoice.status != "open":
            raise InvoiceUncollectible(
                f"Invoice {invoice.number} was written off as uncollectible when its subscription"
                " was cancelled; it cannot be paid."
            )
        if in_flight_for_invoice(uow, invoice.number):
            raise PaymentInProgress(
                f"A payment of {invoice.number} is on its way; wait for its outcome."
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
        if attempt_invoice(uow, invoice, now, reason="pay_now", methods=methods) is None:
            raise NoPaymentMethod("Add a payment method first.", param="payment_method")
        uow.commit()
    paid = collect_invoice(uow, clock, gateway, invoice.number)
    with uow.reading():
        receipt = next(
            r for r in reversed(uow.documents.receipts_for(account.id))
            if r.invoice_number == paid.number
        )  # fmt: skip
    return InvoicePaid(paid, receipt)
