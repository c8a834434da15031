"""Invoices, credit notes and receipts as PDF, in the account's language, timezone and currency."""

from __future__ import annotations

from tierline.documents.formatting import Formatter
from tierline.documents.labels import Labels
from tierline.documents.layout import Page, Total
from tierline.documents.seller import Seller
from tierline.domain.account import Account
from tierline.domain.documents import CreditNote, Invoice, Receipt
from tierline.domain.units import Units


def render_invoice(
    invoice: Invoice,
    account: Account,
    seller: Seller,
    currency: str | None = None,
    *,
    units: Units | None = None,
) -> bytes:
    """An invoice: its lines, how the total was reached, what was paid and what is still due."""
    fmt = _formatter(account, currency, units)
    labels = fmt.labels
    page = Page(fmt, title=labels.invoice, number=invoice.number, issued_at=invoice.issued_at,
                seller=seller)  # fmt: skip
    facts = [
        (labels.number, invoice.number),
        (labels.issued, fmt.date(invoice.issued_at)),
        (labels.due, fmt.date(invoice.due_at)),
        (labels.status, _status(invoice, fmt)),
    ]
    page.heading(labels.invoice, facts, seller, account)
    page.lines(invoice.lines)
    rows = [
        Total(labels.subtotal, fmt.money(invoice.subtotal)),
        Total(labels.credits_applied, fmt.money(-invoice.credits_applied)),
        Total(labels.balance_applied, fmt.money(-invoice.balance_applied)),
        Total(labels.total, fmt.money(invoice.total), strong=True),
        Total(labels.amount_paid, fmt.money(invoice.amount_paid)),
    ]
    if invoice.amount_due:
        rows.append(Total(labels.amount_due, fmt.money(invoice.amount_due), strong=True))
    page.totals(rows)
    return page.output()


def render_credit_note(
    note: CreditNote,
    account: Account,
    seller: Seller,
    currency: str | None = None,
    *,
    units: Units | None = None,
) -> bytes:
    """A credit note: the invoice it credits, the credited lines and where the credit went."""
    fmt = _formatter(account, currency, units)
    labels = fmt.labels
    page = Page(fmt, title=labels.credit_note, number=note.number, issued_at=note.issued_at,
                seller=seller)  # fmt: skip
    facts = [(labels.number, note.number), (labels.issued, fmt.date(note.issued_at))]
    if note.invoice_number:
        facts.append((labels.credited_invoice, note.invoice_number))
    facts.extend(_destination(note, labels))
    page.heading(labels.credit_note, facts, seller, account)
    page.lines(note.lines, negate=True)  # credit lines are stored negative
    page.totals([Total(labels.total_credited, fmt.money(-note.total), strong=True)])
    return page.output()


def render_receipt(
    receipt: Receipt,
    account: Account,
    seller: Seller,
    currency: str | None = None,
    *,
    units: Units | None = None,
) -> bytes:
    """A receipt: the plan bought, the refund for the old plan, other credits, the amount paid;
    or, for a top-up of the balance, the amount paid and the method."""
    fmt = _formatter(account, currency, units)
    labels = fmt.labels
    page = Page(fmt, title=labels.receipt, number=receipt.number, issued_at=receipt.issued_at,
                seller=seller)  # fmt: skip
    facts = [(labels.number, receipt.number), (labels.issued, fmt.date(receipt.issued_at))]
    if receipt.invoice_number:
        facts.append((labels.for_invoice, receipt.invoice_number))
    if receipt.payment_method:
        facts.append((labels.payment_method, receipt.payment_method))
    page.heading(labels.receipt, facts, seller, account)

    bought = [line for line in receipt.lines if line.kind not in ("refund", "proration_credit")]
    refunds = [line for line in receipt.lines if line.kind == "refund"]
    credits = [line for line in receipt.lines if line.kind == "proration_credit"]
    if receipt.invoice_number is None and not receipt.lines:  # a top-up of the balance
        page.section(labels.balance_top_up)
    else:
        page.section(labels.plan_bought)
        page.lines(bought)
    if refunds:
        page.section(labels.refund_old_plan)
        page.lines(refunds)
    if credits:
        page.section(labels.credits_and_balance)
        page.lines(credits)
    rows = [Total(labels.amount_paid, fmt.money(receipt.amount_paid), strong=True)]
    if receipt.refunded:
        rows.append(Total(labels.refunded, fmt.money(receipt.refunded)))
    page.totals(rows)
    return page.output()


def _formatter(account: Account, currency: str | None, units: Units | None) -> Formatter:
    return Formatter.of(account.locale, account.timezone, currency or account.currency, units)


def _status(invoice: Invoice, fmt: Formatter) -> str:
    labels = fmt.labels
    if invoice.status == "paid":
        if invoice.paid_at is None:
            return labels.status_paid
        return labels.paid_on.format(date=fmt.date(invoice.paid_at))
    if invoice.status == "uncollectible":
        return labels.status_uncollectible
    if invoice.status == "void":
        return labels.status_void
    return labels.status_open


def _destination(note: CreditNote, labels: Labels) -> list[tuple[str, str]]:
    """Where a credit note's money went: an invoice, the payment method or the balance."""
    if note.credit_to == "balance":
        return [(labels.credit_applied_to, labels.to_balance)]
    target = note.applied_to or (note.invoice_number if note.credit_to == "invoice" else None)
    if target is None:
        fallback = labels.to_refund if note.credit_to == "refund" else labels.to_next_invoice
        return [(labels.credit_applied_to, fallback)]
    facts = [(labels.credit_applied_to, labels.to_invoice.format(number=target))]
    if note.credit_to == "refund":
        facts.append((labels.remainder, labels.to_refund))
    elif note.credit_to == "credit_note":
        facts.append((labels.remainder, labels.to_balance))
    return facts
