"""Money documents: how an invoice's total is reached, and how documents are numbered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from tierline.domain.catalog import TaxPrices
from tierline.domain.lines import Line
from tierline.domain.parties import Parties
from tierline.domain.tax import TaxLine
from tierline.domain.values import quick_init

SERIES = {"invoice": "INV", "credit_note": "CN", "receipt": "RCT"}


def document_number(series: str, year: int, sequence: int) -> str:
    return f"{series}-{year}-{sequence:06d}"


@quick_init
@dataclass(frozen=True)
class InvoiceTotals:
    subtotal: Decimal
    credits_applied: Decimal
    balance_applied: Decimal
    total: Decimal  # what is left to collect from a payment method
    leftover_credit: Decimal  # credit beyond the invoice: goes to the balance or back to the card


def invoice_totals(
    subtotal: Decimal, credit: Decimal, balance: Decimal, *, use_balance: bool
) -> InvoiceTotals:
    """Credits first, then the prepaid balance, then the card pays the rest."""
    payable = max(subtotal, Decimal(0))
    credits_applied = min(credit, payable)
    leftover = credit - credits_applied + max(-subtotal, Decimal(0))
    remaining = payable - credits_applied
    from_balance = min(max(balance, Decimal(0)), remaining) if use_balance else Decimal(0)
    return InvoiceTotals(
        subtotal=subtotal,
        credits_applied=credits_applied,
        balance_applied=from_balance,
        total=remaining - from_balance,
        leftover_credit=leftover,
    )


InvoiceStatus = Literal["open", "paid", "uncollectible", "void"]
# An attempt is `created` (committed, not sent yet), then `sent` (the provider may have it), then
# settled: `succeeded` / `refunded`, `failed`, or waiting on the provider (`processing`,
# `requires_action`). `pending` is an outcome that was never learnt (rows from before attempts).
PaymentStatus = Literal[
    "created", "sent", "succeeded", "failed", "refunded", "processing", "requires_action", "pending"
]
# Why an attempt was made, which says what its outcome does.
AttemptReason = Literal["purchase", "collection", "pay_now", "top_up", "refund"]
SETTLED: frozenset[str] = frozenset({"succeeded", "failed", "refunded"})


@quick_init
@dataclass(frozen=True)
class Invoice:
    id: str
    account_id: str
    number: str
    subscription_id: str | None
    reason: str  # subscription_create | renewal | change | trial_end
    status: InvoiceStatus
    issued_at: datetime
    due_at: datetime
    lines: tuple[Line, ...]
    subtotal: Decimal
    credits_applied: Decimal
    balance_applied: Decimal
    total: Decimal
    amount_paid: Decimal
    period_start: datetime | None = None
    paid_at: datetime | None = None
    attempts: int = 0
    first_failed_at: datetime | None = None
    next_attempt_at: datetime | None = None
    # Tax once per rate and category (empty without a catalog `tax`), how the lines were priced,
    # and the seller and buyer as they were when it was issued.
    tax: tuple[TaxLine, ...] = ()
    tax_prices: TaxPrices | None = None
    parties: Parties | None = None

    @property
    def amount_due(self) -> Decimal:
        return self.total - self.amount_paid

    @property
    def tax_total(self) -> Decimal:
        return sum((line.amount for line in self.tax), Decimal(0))

    @property
    def gross(self) -> Decimal:
        """The amount tax included, before credits and balance: the subtotal without tax."""
        return document_gross(self.subtotal, self.tax, self.tax_prices)


@dataclass(frozen=True)
class CreditNote:
    id: str
    account_id: str
    number: str
    invoice_number: str | None
    applied_to: str | None
    credit_to: str
    issued_at: datetime
    lines: tuple[Line, ...]
    total: Decimal  # what is credited, tax included: the gross
    tax: tuple[TaxLine, ...] = ()
    tax_prices: TaxPrices | None = None
    parties: Parties | None = None

    @property
    def subtotal(self) -> Decimal:
        """The sum of the lines as priced."""
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def tax_total(self) -> Decimal:
        return sum((line.amount for line in self.tax), Decimal(0))

    @property
    def gross(self) -> Decimal:
        return self.total


def document_gross(
    subtotal: Decimal, tax: tuple[TaxLine, ...], prices: TaxPrices | None
) -> Decimal:
    """Lines as priced, tax included: tax is added to exclusive prices, already in inclusive."""
    if prices == "exclusive":
        return subtotal + sum((line.amount for line in tax), Decimal(0))
    return subtotal


@quick_init
@dataclass(frozen=True)
class Receipt:
    id: str
    account_id: str
    number: str
    invoice_number: str | None
    payment_method: str | None
    issued_at: datetime
    lines: tuple[Line, ...]
    amount_paid: Decimal
    refunded: Decimal = Decimal(0)
    parties: Parties | None = None


@quick_init
@dataclass(frozen=True)
class Payment:
    id: str
    account_id: str
    at: datetime
    amount: Decimal
    payment_method: str | None
    status: PaymentStatus
    invoice_number: str | None
    idempotency_key: str
    failure_code: str | None = None
    failure_message: str | None = None
    kind: Literal["charge", "refund"] = "charge"
    reason: AttemptReason | None = None
    reference: str | None = None  # the top-up or the credit a refund pays back
    round: int = 0  # the invoice's collection round it belongs to (its attempts so far)
    fallback: bool = True  # on failure, try the account's next method
    token: str | None = None  # the provider's reference of the method charged
    sent_at: datetime | None = None
    settled_at: datetime | None = None
    provider_reference: str | None = None
    # The method as it was when charged, for the receipt to name it once the method is removed
    method_brand: str | None = None  # "visa", "mastercard", "sepa_debit" …
    method_last4: str | None = None

    @property
    def in_flight(self) -> bool:
        """Committed and maybe sent, but no final outcome known yet."""
        return self.status in ("created", "sent", "processing", "requires_action")


@dataclass(frozen=True)
class Purchase:
    """A change or a subscription bought now, kept until its invoice is paid (then applied) or
    every method failed (then its invoice is void and nothing else happens). It is decided again
    from the same command at the same instant when applied: the subscription it changes is
    locked by its version meanwhile, so the decision is the same."""

    id: str
    account_id: str
    subscription_id: str
    kind: Literal["subscribe", "change"]
    invoice_number: str
    command: dict[str, object]
    decided_at: datetime
    subscription_version: int | None
    state: Literal["awaiting", "applied", "void"] = "awaiting"
