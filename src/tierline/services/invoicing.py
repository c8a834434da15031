"""Issuing money documents: invoices, credit notes, receipts, and credit paid back.

These helpers run inside a caller's unit of work; they never commit and never call a provider:
money to move is a payment attempt row, sent by the collector after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tierline.domain import journal
from tierline.domain.account import Account, PaymentMethod, charge_order
from tierline.domain.catalog import CreditTo
from tierline.domain.documents import SERIES, CreditNote, Invoice, Payment, Receipt, invoice_totals
from tierline.domain.events import CreditNoteIssued, InvoiceFinalized, InvoicePaid
from tierline.domain.lines import Line, LineKind, Topic, Wording, describe, total
from tierline.domain.values import replace
from tierline.ids import new_id
from tierline.services.attempts import new_attempt
from tierline.services.messages import notify
from tierline.services.taxing import parties_of, tax_credit_note, tax_invoice
from tierline.store.uow import UnitOfWork


@dataclass(frozen=True)
class Credit:
    """Credit for unused time that a new invoice should absorb, and where any rest goes."""

    amount: Decimal
    credit_to: CreditTo
    note: CreditNote | None = None


def issue_credit_note(
    uow: UnitOfWork,
    account: Account,
    credit_lines: tuple[Line, ...],
    *,
    credit_to: CreditTo,
    sources: tuple[str, ...],
    now: datetime,
) -> CreditNote:
    lines = tuple(
        replace(
            line,
            amount=-line.amount,
            kind="refund" if credit_to == "refund" else "proration_credit",
        )
        for line in credit_lines
    )
    taxed = tax_credit_note(uow, account, lines, sources=sources, now=now)
    note = CreditNote(
        id=new_id("cn"),
        account_id=account.id,
        number=uow.sequences.next_number(SERIES["credit_note"], now.year),
        invoice_number=sources[0] if sources else None,
        applied_to=None,
        credit_to=credit_to,
        issued_at=now,
        lines=taxed.lines,
        total=taxed.gross,
        tax=taxed.tax,
        tax_prices=taxed.prices,
        parties=parties_of(uow, account),
    )
    uow.documents.add_credit_note(note)
    uow.journal.add(account.id, journal.credit_note_issued(note.total, now, note.number, note.tax))
    if credit_to == "balance":
        uow.journal.add(account.id, journal.credit_to_balance(note.total, now, note.number))
    notify(uow, account.id, now, CreditNoteIssued(note.number, note.total, account.currency))
    return note


def hold_balances(uow: UnitOfWork, now: datetime) -> None:
    """Take the right to spend prepaid balances before reading one to apply to an invoice:
    usage, an adjustment or another invoice spending one waits until this unit of work ends.
    The invoice series is taken first: a unit of work that issues invoices holds it from its
    first number, so the two are always taken in this order and no two wait for each other."""
    uow.sequences.hold(SERIES["invoice"], now.year)
    uow.journal.hold_balances()


def issue_invoice(
    uow: UnitOfWork,
    account: Account,
    lines: tuple[Line, ...],
    *,
    reason: str,
    now: datetime,
    subscription_id: str | None,
    period_start: datetime | None = None,
    credit: Credit | None = None,
    balance_to_come: Decimal = Decimal(0),
) -> Invoice:
    """Finalise an invoice: credits first, then the prepaid balance; the rest is left to collect.
    `balance_to_come` is credit the balance gets with this invoice's purchase, once it is paid.

    The number comes first, then a balance to apply is read with the balances held (see
    `hold_balances`). (A billing batch on PostgreSQL numbers its invoices when it writes them;
    it reads the balances it may apply with both held: see `renewal._preload_balances`.)"""
    catalog = uow.catalog
    number = uow.sequences.next_number(SERIES["invoice"], now.year)
    taxed = tax_invoice(uow, account, lines, subscription_id=subscription_id, now=now)
    lines = taxed.lines
    subtotal = total(lines)
    applied_credit = credit.amount if credit and credit.credit_to != "balance" else Decimal(0)
    balance = uow.journal.balance(account.id)
    if balance > 0 and catalog.balance.apply_to_invoices:
        hold_balances(uow, now)
        balance = uow.journal.balance(account.id)
    totals = invoice_totals(
        taxed.gross,
        applied_credit,
        balance + balance_to_come,
        use_balance=catalog.balance.apply_to_invoices,
    )
    due_at = now + timedelta(days=catalog.collection.delay_days)
    automatic = catalog.collection.mode == "charge_automatically"
    paid = totals.total == 0
    invoice = Invoice(
        id=new_id("inv"),
        account_id=account.id,
        number=number,
        subscription_id=subscription_id,
        reason=reason,
        status="paid" if paid else "open",
        issued_at=now,
        due_at=now if automatic else due_at,
        lines=lines,
        subtotal=subtotal,
        credits_applied=totals.credits_applied,
        balance_applied=totals.balance_applied,
        total=totals.total,
        amount_paid=Decimal(0),
        period_start=period_start,
        paid_at=now if paid else None,
        next_attempt_at=None if paid or automatic else due_at,
        tax=taxed.tax,
        tax_prices=taxed.prices,
        parties=parties_of(uow, account),
    )
    uow.documents.add_invoice(invoice)
    uow.journal.add(account.id, journal.invoice_issued(taxed.gross, now, number, taxed.tax))
    if totals.balance_applied:
        uow.journal.add(account.id, journal.balance_applied(totals.balance_applied, now, number))
    if totals.leftover_credit:
        place_credit(uow, account, totals.leftover_credit, credit, now, number)
    notify(uow, account.id, now, InvoiceFinalized(number, totals.total, account.currency))
    if paid and taxed.gross > 0:
        issue_receipt(uow, account, invoice, method=None, amount=Decimal(0), now=now, credit=credit)
    return invoice


def place_credit(
    uow: UnitOfWork,
    account: Account,
    amount: Decimal,
    credit: Credit | None,
    now: datetime,
    reference: str | None,
) -> None:
    """Credit beyond what the invoice needed is never lost: back to the card, or to the balance."""
    if credit is not None and credit.credit_to == "refund":
        refund_to_card(uow, account, amount, now, reference or "", source=credit.note)
    else:
        uow.journal.add(account.id, journal.credit_to_balance(amount, now, reference))


def refund_to_card(
    uow: UnitOfWork,
    account: Account,
    amount: Decimal,
    now: datetime,
    reference: str,
    *,
    source: CreditNote | None,
) -> None:
    """Pay credit back the way it came: to the card, up to what the card paid for the credited
    invoice and was not refunded yet; the rest (paid from the balance) back to the balance."""
    invoice_number = source.invoice_number if source else None
    method, to_card, to_balance = card_refund_split(uow, account, invoice_number, amount)
    if to_balance > 0:
        uow.journal.add(account.id, journal.credit_to_balance(to_balance, now, reference))
    if method is None or to_card <= 0:
        return
    new_attempt(
        uow, account.id, method, to_card, now, kind="refund", reason="refund",
        invoice_number=invoice_number, reference=reference, fallback=False,
    )  # fmt: skip
    uow.journal.add(account.id, journal.refund_to_card(to_card, now, reference))


def card_refund_split(
    uow: UnitOfWork, account: Account, invoice_number: str | None, amount: Decimal
) -> tuple[PaymentMethod | None, Decimal, Decimal]:
    """How credit paid back the way it came splits: the method that paid the invoice, what goes
    back to it (up to what it paid and was not refunded yet), and what goes to the balance."""
    moved = [p for p in uow.payments.for_account(account.id) if p.invoice_number == invoice_number]
    method = _method_that_paid(uow, account, moved)
    to_card = min(amount, refundable_by_card(moved)) if method else Decimal(0)
    return method, to_card, amount - to_card


def refundable_by_card(moved: list[Payment]) -> Decimal:
    """What the card paid for an invoice and was not refunded yet, from its card movements."""
    paid = sum((p.amount for p in moved if p.status == "succeeded"), Decimal(0))
    refunded = sum(
        (p.amount for p in moved if p.kind == "refund" and p.status != "failed"), Decimal(0)
    )
    return max(paid - refunded, Decimal(0))


def _method_that_paid(
    uow: UnitOfWork, account: Account, moved: list[Payment]
) -> PaymentMethod | None:
    methods = uow.payment_methods.for_account(account.id)
    paid_with = {p.payment_method for p in moved if p.status == "succeeded"}
    for method in methods:
        if method.id in paid_with:
            return method
    ordered = charge_order(methods)
    return ordered[0] if ordered else None


def mark_paid(
    uow: UnitOfWork,
    account: Account,
    invoice: Invoice,
    method_id: str,
    now: datetime,
    credit: Credit | None = None,
) -> tuple[Invoice, Receipt]:
    """The invoice is paid: the money in the journal, the message, the receipt."""
    amount = invoice.amount_due
    paid = replace(
        invoice, status="paid", amount_paid=invoice.total, paid_at=now, next_attempt_at=None
    )
    uow.documents.save_payment_state(paid)
    record_invoice_paid(uow, account.id, invoice.number, amount, account.currency, now)
    receipt = issue_receipt(
        uow, account, paid, method=method_id, amount=amount, now=now, credit=credit
    )
    return paid, receipt


def record_invoice_paid(
    uow: UnitOfWork, account_id: str, number: str, amount: Decimal, currency: str, now: datetime
) -> None:
    """The money paid in the journal, and the message saying so."""
    uow.journal.add(account_id, journal.card_payment(amount, now, number))
    notify(uow, account_id, now, InvoicePaid(number, amount, currency))


def issue_receipt(
    uow: UnitOfWork,
    account: Account,
    invoice: Invoice,
    *,
    method: str | None,
    amount: Decimal,
    now: datetime,
    credit: Credit | None,
) -> Receipt:
    """A receipt shows what was bought, any credit or refund for the old plan, and what was paid."""
    lines = list(invoice.lines)
    refunded = Decimal(0)
    if invoice.credits_applied and credit is None:
        # Collected later (direct debit): the credit applied when the invoice was issued.
        credit = _credit_issued_with(uow, account, invoice)
    if invoice.credits_applied and credit is not None:
        kind: LineKind = "refund" if credit.credit_to == "refund" else "proration_credit"
        reference = credit.note.number if credit.note else None
        # The whole credit for the old plan; any rest went back to the card or to the balance.
        whole = max(credit.amount, invoice.credits_applied)
        lines.append(_receipt_line(kind, Wording("credit", reference=reference), -whole))
        if whole > invoice.credits_applied:
            rest = whole - invoice.credits_applied
            where: Topic = "refunded_to_card" if kind == "refund" else "carried_to_balance"
            lines.append(_receipt_line(kind, Wording(where), rest))
            refunded = rest if kind == "refund" else Decimal(0)
    if invoice.balance_applied:
        lines.append(
            _receipt_line("proration_credit", Wording("paid_from_balance"),
                          -invoice.balance_applied)
        )  # fmt: skip
    receipt = Receipt(
        id=new_id("rct"),
        account_id=account.id,
        number=uow.sequences.next_number(SERIES["receipt"], now.year),
        invoice_number=invoice.number,
        payment_method=method,
        issued_at=now,
        lines=tuple(lines),
        amount_paid=amount,
        refunded=refunded,
        parties=invoice.parties or parties_of(uow, account),
    )
    uow.documents.add_receipt(receipt)
    return receipt


def issue_top_up_receipt(
    uow: UnitOfWork, account: Account, attempt: Payment, now: datetime
) -> Receipt:
    """A top-up paid by a payment method: a receipt for no invoice, with the amount paid and the
    method. Called where the attempt's success is recorded, beside its balance entry."""
    receipt = Receipt(
        id=new_id("rct"),
        account_id=account.id,
        number=uow.sequences.next_number(SERIES["receipt"], now.year),
        invoice_number=None,
        payment_method=attempt.payment_method,
        issued_at=now,
        lines=(),
        amount_paid=attempt.amount,
        parties=parties_of(uow, account),
    )
    uow.documents.add_receipt(receipt)
    return receipt


def _receipt_line(kind: LineKind, wording: Wording, amount: Decimal) -> Line:
    return Line(kind=kind, description=describe(kind, wording, None), amount=amount,
                wording=wording)  # fmt: skip


def _credit_issued_with(uow: UnitOfWork, account: Account, invoice: Invoice) -> Credit | None:
    notes = [
        n
        for n in uow.documents.credit_notes_for(account.id)
        if n.issued_at == invoice.issued_at and n.credit_to in ("credit_note", "refund")
    ]
    if len(notes) != 1:
        return None
    note = notes[0]
    return Credit(note.total, note.credit_to, note)  # type: ignore[arg-type]
