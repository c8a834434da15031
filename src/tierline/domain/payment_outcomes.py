"""What a payment attempt's answer does, decided from what it paid for.

A charge that succeeded pays its invoice (applying the purchase that awaited it), or recharges the
balance (a top-up, or money for an invoice that needed no more: paid twice, or voided meanwhile).
A charge that failed is tried on the account's next method; once none is left, it voids the
purchase that awaited it, leaves an invoice asked to be paid now as it was, or follows the
catalog's retries. The service stores what the outcome says.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tierline.domain.account import PaymentMethod
from tierline.domain.documents import Invoice, Payment
from tierline.domain.events import BalanceToppedUp, PaymentFailed, RefundFailed

# Succeeded


@dataclass(frozen=True)
class PayInvoice:
    """The invoice is paid; an awaiting purchase is applied first."""

    invoice: Invoice
    apply_purchase: bool


@dataclass(frozen=True)
class RechargeBalance:
    """The money goes to the balance: a top-up (with its receipt), or money no invoice needs."""

    amount: Decimal
    reference: str | None
    event: BalanceToppedUp
    top_up: bool  # bought as a top-up: it gets a receipt


Succeeded = PayInvoice | RechargeBalance


def after_success(
    attempt: Payment,
    invoice: Invoice | None,
    *,
    purchase_awaits: bool,
    balance_before: Decimal,
    currency: str,
) -> Succeeded:
    """`invoice` is the one the attempt paid for (None for a top-up), as it is now."""
    balance = balance_before + attempt.amount
    if invoice is None:
        event = BalanceToppedUp(attempt.amount, balance, currency)
        return RechargeBalance(attempt.amount, attempt.reference, event, top_up=True)
    if invoice.status != "open" or invoice.amount_due != attempt.amount:
        event = BalanceToppedUp(attempt.amount, balance, currency, invoice=invoice.number)
        return RechargeBalance(attempt.amount, invoice.number, event, top_up=False)
    return PayInvoice(invoice, apply_purchase=purchase_awaits)


# A refund refused


@dataclass(frozen=True)
class KeepOnBalance:
    """The card refused the refund: the money stays with the account, as balance."""

    amount: Decimal
    event: RefundFailed


def after_refused_refund(
    attempt: Payment, *, balance_before: Decimal, currency: str
) -> KeepOnBalance:
    balance = balance_before + attempt.amount
    event = RefundFailed(attempt.amount, balance, currency, attempt.reference)
    return KeepOnBalance(attempt.amount, event)


# Failed


@dataclass(frozen=True)
class TryNextMethod:
    """A new attempt on the account's next method, committed before it is sent."""

    method: PaymentMethod


@dataclass(frozen=True)
class VoidPurchase:
    """Every method failed on a purchase: its invoice is void and the purchase never applied."""

    invoice: Invoice
    event: PaymentFailed


@dataclass(frozen=True)
class LeaveOpen:
    """Asked to be paid now, it stays open as it was, one more attempt counted."""

    invoice: Invoice
    event: PaymentFailed


@dataclass(frozen=True)
class FollowRetries:
    """A renewal (or an invoice paid later): the catalog's retries, then what it says."""

    invoice: Invoice
    event: PaymentFailed


@dataclass(frozen=True)
class TopUpFailed:
    event: PaymentFailed


@dataclass(frozen=True)
class NothingLeft:
    """The invoice was settled otherwise meanwhile (paid, voided): nothing is owed."""


Failed = TryNextMethod | VoidPurchase | LeaveOpen | FollowRetries | TopUpFailed | NothingLeft


def after_failure(
    attempt: Payment,
    *,
    next_method: PaymentMethod | None,
    invoice: Invoice | None,
    purchase_awaits: bool,
    code: str | None,
    message: str | None,
    currency: str,
) -> Failed:
    """`next_method` is the method after the attempt's in the account's order, if any;
    `invoice` the one the attempt was for, as it is now (None for a top-up)."""
    if next_method is not None:
        return TryNextMethod(next_method)

    def failed(*, voided: bool = False) -> PaymentFailed:
        return PaymentFailed(
            attempt.invoice_number, code or "payment_failed", attempt.amount, currency, message,
            voided,
        )  # fmt: skip

    if invoice is None:
        return TopUpFailed(failed())
    if invoice.status != "open":
        return NothingLeft()
    if purchase_awaits:
        return VoidPurchase(invoice, failed(voided=True))
    if attempt.reason == "pay_now":
        return LeaveOpen(invoice, failed())
    return FollowRetries(invoice, failed())
