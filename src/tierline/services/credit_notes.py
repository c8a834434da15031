"""Credit notes and refunds an operator issues from the console: a credit note for part of an
invoice (to the balance, or refunded to the card), and a refund of a charge in full or in part
(documented by a credit note for the amount refunded).

Each is one transaction: load, decide (`tierline.domain.credit_notes`), store the numbered credit
note, its journal entries, the refund's payment attempt (state `created`) and the audit entry,
commit; then the collector sends the refund. A preview is the same decision, stored nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from tierline.clock import Clock
from tierline.domain import journal
from tierline.domain.account import Account, PaymentMethod
from tierline.domain.credit_notes import (
    CreditableLine,
    Credited,
    check_within_invoice,
    credit_selection,
    creditable_lines,
    credited_gross,
    earlier_notes,
    left_of_invoice,
    lines_for_gross,
    require_creditable,
)
from tierline.domain.documents import CreditNote, Invoice, Payment
from tierline.domain.lines import Line
from tierline.domain.money import quantum
from tierline.domain.values import replace
from tierline.errors import (
    Invalid,
    NotFound,
    PaymentInProgress,
    PaymentNotRefundable,
    RefundAboveWhatIsLeft,
)
from tierline.payments import Gateway
from tierline.services.attempts import in_flight_for_invoice, new_attempt
from tierline.services.audit import Actor, write_entry
from tierline.services.balance import parse_amount
from tierline.services.collection import collect
from tierline.services.invoicing import (
    card_refund_split,
    issue_credit_note,
    refund_to_card,
    refundable_by_card,
)
from tierline.services.operator_users import require
from tierline.store.uow import UnitOfWork

CreditDestination = Literal["balance", "refund"]
DESTINATIONS: tuple[CreditDestination, ...] = ("balance", "refund")


def _invoice_of(uow: UnitOfWork, account_id: str, number: str, *, lock: bool) -> Invoice:
    uow.accounts.get(account_id)
    if lock:
        uow.documents.lock_invoice(number)
    invoice = uow.documents.invoice(number)  # NotFound when there is none
    if invoice.account_id != account_id:
        raise NotFound(f"No invoice '{number}'.", code="unknown_invoice", param="invoice")
    return invoice


def _reason(text: str) -> str:
    if len(text) > 500:
        raise Invalid("The reason has at most 500 characters.", param="reason")
    return text.strip()


def _no_payment_on_its_way(uow: UnitOfWork, invoice: Invoice) -> None:
    if in_flight_for_invoice(uow, invoice.number):
        raise PaymentInProgress(
            f"A payment of {invoice.number} is on its way; wait for its outcome.",
            param="invoice",
        )


# a credit note for part of an invoice


@dataclass(frozen=True)
class CreditInvoice:
    """Credit lines of an invoice, by their position on it: `lines` maps a position to an
    amount ("5.00"), or to None for all that is left of that line. `credit_to`: `balance`, or
    `refund` (back to the card that paid, up to what it paid; any rest to the balance)."""

    account_id: str
    invoice: str
    lines: Mapping[int, str | None]
    credit_to: str = "balance"
    reason: str = ""


@dataclass(frozen=True)
class CreditPreview:
    invoice: Invoice
    creditable: tuple[CreditableLine, ...]  # every line that charged something, with its left
    chosen: tuple[Credited, ...]  # each credit line with the invoice line it credits
    lines: tuple[Line, ...]  # the credit note's lines, positive
    gross: Decimal  # what the credit note credits, tax included
    left_of_invoice: Decimal  # what was left of the invoice's gross before this note
    credit_to: CreditDestination
    to_card: Decimal
    to_balance: Decimal
    card: PaymentMethod | None
    currency: str


@dataclass(frozen=True)
class CreditIssued:
    preview: CreditPreview
    credit_note: CreditNote
    refund: Payment | None  # the refund's attempt, as the collector left it


def creditable(
    actor: Actor, account_id: str, number: str, *, uow: UnitOfWork
) -> tuple[Invoice, tuple[CreditableLine, ...]]:
    """An invoice of the account with what is left to credit on each of its lines (the form)."""
    require(actor, "issue_credit")
    with uow.reading():
        invoice = _invoice_of(uow, account_id, number, lock=False)
        earlier = earlier_notes(invoice, uow.documents.credit_notes_for(account_id))
        return invoice, creditable_lines(invoice, earlier)


def _asked(cmd: CreditInvoice, currency: str) -> dict[int, Decimal | None]:
    asked: dict[int, Decimal | None] = {}
    for position, text in cmd.lines.items():
        text = (text or "").strip()
        field = f"lines[{position}].amount"
        asked[position] = None if not text else parse_amount(text, currency, param=field)
    return asked


def _decide_credit(
    uow: UnitOfWork, account: Account, invoice: Invoice, cmd: CreditInvoice
) -> CreditPreview:
    if cmd.credit_to not in DESTINATIONS:
        raise Invalid("A credit goes to the balance or back to the card.", param="credit_to")
    credit_to: CreditDestination = "refund" if cmd.credit_to == "refund" else "balance"
    require_creditable(invoice)
    currency = account.currency
    earlier = earlier_notes(invoice, uow.documents.credit_notes_for(account.id))
    lines_left = creditable_lines(invoice, earlier)
    chosen = credit_selection(invoice, lines_left, _asked(cmd, currency))
    lines = tuple(c.line for c in chosen)
    gross = credited_gross(invoice, lines, earlier, currency)
    check_within_invoice(invoice, gross, earlier)
    card, to_card, to_balance = None, Decimal(0), gross
    if credit_to == "refund":
        card, to_card, to_balance = card_refund_split(uow, account, invoice.number, gross)
        card = card if to_card > 0 else None
    return CreditPreview(
        invoice, lines_left, chosen, lines, gross, left_of_invoice(invoice, earlier), credit_to,
        to_card, to_balance, card, currency,
    )  # fmt: skip


def preview_credit_note(actor: Actor, cmd: CreditInvoice, *, uow: UnitOfWork) -> CreditPreview:
    """What the credit note would credit, tax included, and where the money would go."""
    require(actor, "issue_credit")
    with uow.reading():
        account = uow.accounts.get(cmd.account_id)
        invoice = _invoice_of(uow, cmd.account_id, cmd.invoice, lock=False)
        return _decide_credit(uow, account, invoice, cmd)


def credit_invoice(
    actor: Actor, cmd: CreditInvoice, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> CreditIssued:
    """Issue a credit note for the chosen lines of a paid or open invoice; its money goes to
    the balance, or back to the card after the commit."""
    require(actor, "issue_credit")
    reason = _reason(cmd.reason)
    now = clock.now()
    with uow:
        account = uow.accounts.get(cmd.account_id)
        invoice = _invoice_of(uow, cmd.account_id, cmd.invoice, lock=True)
        decided = _decide_credit(uow, account, invoice, cmd)
        _no_payment_on_its_way(uow, invoice)
        note = _issue(uow, account, invoice, decided.lines, decided.credit_to, now)
        attempt = None
        if decided.credit_to == "refund":
            refund_to_card(uow, account, note.total, now, note.number, source=note)
            attempt = _refund_attempt_of(uow, account.id, note.number)
        write_entry(
            uow, actor, now, "credit_note.issue", account_id=account.id, subject=note.number,
            before={"invoice": invoice.number, "left": decided.left_of_invoice},
            after={"credit_note": note.number, "gross": note.total, "credit_to": note.credit_to,
                   "to_card": decided.to_card, "to_balance": decided.to_balance,
                   "lines": {str(c.position): c.line.amount for c in decided.chosen},
                   "reason": reason},
        )  # fmt: skip
        uow.commit()
    return CreditIssued(decided, note, _send(uow, clock, gateway, account.id, attempt))


def _issue(
    uow: UnitOfWork,
    account: Account,
    invoice: Invoice,
    lines: tuple[Line, ...],
    credit_to: CreditDestination,
    now: datetime,
) -> CreditNote:
    negative = tuple(replace(line, amount=-line.amount) for line in lines)
    return issue_credit_note(
        uow, account, negative, credit_to=credit_to, sources=(invoice.number,), now=now
    )


def _refund_attempt_of(uow: UnitOfWork, account_id: str, note: str) -> Payment | None:
    found = [
        p
        for p in uow.payments.for_account(account_id)
        if p.kind == "refund" and p.reference == note
    ]
    return found[-1] if found else None


def _send(
    uow: UnitOfWork, clock: Clock, gateway: Gateway, account_id: str, attempt: Payment | None
) -> Payment | None:
    """After the commit: the collector sends the refund, then the attempt is read again."""
    if attempt is None:
        return None
    collect(uow=uow, clock=clock, gateway=gateway, account_id=account_id, concurrency=1)
    with uow.reading():
        return uow.payments.get(attempt.id)


# a refund of a payment


@dataclass(frozen=True)
class RefundPayment:
    """Refund a succeeded charge: `amount` ("12.00"), or all that is left of it when empty."""

    account_id: str
    payment: str
    amount: str = ""
    reason: str = ""


@dataclass(frozen=True)
class RefundPreview:
    payment: Payment
    invoice: Invoice
    left: Decimal  # what the charge took less its refunds, at most what is left of the invoice
    amount: Decimal  # what is refunded: the credit note's gross
    lines: tuple[Line, ...]  # the credit note's lines, positive
    card: PaymentMethod
    currency: str


@dataclass(frozen=True)
class PaymentRefunded:
    preview: RefundPreview
    credit_note: CreditNote
    refund: Payment | None


def _charge_of(uow: UnitOfWork, account_id: str, payment_id: str) -> Payment:
    try:
        payment = uow.payments.get(payment_id)
    except LookupError:
        payment = None
    if payment is None or payment.account_id != account_id:
        raise NotFound(f"No payment '{payment_id}'.", code="unknown_payment", param="payment")
    if payment.kind != "charge" or payment.status != "succeeded" or not payment.invoice_number:
        raise PaymentNotRefundable(
            f"Payment {payment.id} is not a succeeded charge of an invoice; only those are "
            "refunded.",
            param="payment",
            details={"payment": payment.id, "status": payment.status, "kind": payment.kind},
        )
    return payment


def refund_left(uow: UnitOfWork, payment: Payment) -> Decimal:
    """What is left to refund of a charge: what it took, and never more than the card paid for
    its invoice and was not refunded yet."""
    moved = list(uow.payments.for_invoice(payment.invoice_number or ""))
    return min(payment.amount, refundable_by_card(moved))


def _decide_refund(uow: UnitOfWork, account: Account, cmd: RefundPayment) -> RefundPreview:
    currency = account.currency
    payment = _charge_of(uow, account.id, cmd.payment)
    invoice = _invoice_of(uow, account.id, payment.invoice_number or "", lock=False)
    require_creditable(invoice)
    card = next(
        (m for m in uow.payment_methods.for_account(account.id) if m.id == payment.payment_method),
        None,
    )
    if card is None:
        raise PaymentNotRefundable(
            f"The method that paid {payment.id} is no longer the account's.", param="payment"
        )
    earlier = earlier_notes(invoice, uow.documents.credit_notes_for(account.id))
    # Never more than the charge took less its refunds, nor than is left of the invoice to
    # credit (a credit note to the balance may have taken part of it already).
    left = min(refund_left(uow, payment), left_of_invoice(invoice, earlier))
    text = cmd.amount.strip()
    asked = left if not text else parse_amount(text, currency)
    if asked > left or left <= 0:
        raise RefundAboveWhatIsLeft(
            f"{left} is left to refund of payment {payment.id}.",
            param="amount",
            details={"left": str(left), "asked": str(asked)},
        )
    lines = lines_for_gross(invoice, creditable_lines(invoice, earlier), earlier, asked, currency)
    gross = credited_gross(invoice, lines, earlier, currency)
    check_within_invoice(invoice, gross, earlier, param="amount")
    if asked - gross > quantum(currency):  # more than tax rounding: the lines are spent
        raise RefundAboveWhatIsLeft(
            f"Only {gross} is left to credit on {invoice.number}'s lines.",
            param="amount",
            details={"left": str(gross), "asked": str(asked)},
        )
    return RefundPreview(payment, invoice, left, gross, lines, card, currency)


def preview_refund(actor: Actor, cmd: RefundPayment, *, uow: UnitOfWork) -> RefundPreview:
    """What would be refunded, and the credit note that would document it."""
    require(actor, "issue_credit")
    with uow.reading():
        return _decide_refund(uow, uow.accounts.get(cmd.account_id), cmd)


def refund_payment(
    actor: Actor, cmd: RefundPayment, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> PaymentRefunded:
    """Refund a charge, in full or in part, to the method it was taken from: a credit note for
    the amount, the refund as a payment attempt committed before the collector sends it."""
    require(actor, "issue_credit")
    reason = _reason(cmd.reason)
    now = clock.now()
    with uow:
        account = uow.accounts.get(cmd.account_id)
        with_number = _charge_of(uow, account.id, cmd.payment).invoice_number or ""
        uow.documents.lock_invoice(with_number)
        decided = _decide_refund(uow, account, cmd)
        _no_payment_on_its_way(uow, decided.invoice)
        note = _issue(uow, account, decided.invoice, decided.lines, "refund", now)
        attempt = new_attempt(
            uow, account.id, decided.card, note.total, now, kind="refund", reason="refund",
            invoice_number=decided.invoice.number, reference=note.number, fallback=False,
        )  # fmt: skip
        uow.journal.add(account.id, journal.refund_to_card(note.total, now, note.number))
        write_entry(
            uow, actor, now, "payment.refund", account_id=account.id, subject=decided.payment.id,
            before={"left": decided.left, "invoice": decided.invoice.number},
            after={"refunded": note.total, "credit_note": note.number, "refund": attempt.id,
                   "left": decided.left - note.total, "reason": reason},
        )  # fmt: skip
        uow.commit()
    return PaymentRefunded(decided, note, _send(uow, clock, gateway, account.id, attempt))
