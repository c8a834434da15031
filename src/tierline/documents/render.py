"""Invoices, credit notes and receipts as PDF, in the account's language, timezone and currency."""

from __future__ import annotations

from tierline.documents.formatting import Formatter
from tierline.documents.labels import Labels
from tierline.documents.layout import Page, Total
from tierline.documents.seller import Seller
from tierline.domain.account import Account, PaymentMethod
from tierline.domain.catalog import Catalog
from tierline.domain.documents import CreditNote, Invoice, Receipt
from tierline.domain.parties import Parties, Party
from tierline.domain.units import Units


def render_invoice(
    invoice: Invoice,
    account: Account,
    seller: Seller,
    currency: str | None = None,
    *,
    units: Units | None = None,
    catalog: Catalog | None = None,
    subscription: str | None = None,
) -> bytes:
    """An invoice: its lines, how the total was reached, what was paid and what is still due.
    `subscription` names the subscription of its lines (where the account has several)."""
    fmt = _formatter(account, currency, units, catalog)
    labels = fmt.labels
    seller = _seller_of(invoice.parties, seller)
    page = Page(fmt, title=labels.invoice, number=invoice.number, issued_at=invoice.issued_at,
                seller=seller)  # fmt: skip
    facts = [
        (labels.number, invoice.number),
        (labels.issued, fmt.date(invoice.issued_at)),
        (labels.due, fmt.date(invoice.due_at)),
        (labels.status, _status(invoice, fmt)),
    ]
    page.heading(labels.invoice, facts, seller, account, _buyer_of(invoice.parties))
    page.lines(invoice.lines, subscription=subscription)
    page.taxes(invoice.tax)
    rows = [Total(labels.subtotal, fmt.money(invoice.subtotal))]
    if invoice.tax:
        rows += [
            Total(labels.total_net, fmt.money(invoice.gross - invoice.tax_total)),
            Total(labels.total_tax, fmt.money(invoice.tax_total)),
            Total(labels.total_gross, fmt.money(invoice.gross)),
        ]
    rows += [
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
    catalog: Catalog | None = None,
    subscription: str | None = None,
) -> bytes:
    """A credit note: the invoice it credits, the credited lines and where the credit went.
    `subscription` names the subscription of its lines (where the account has several)."""
    fmt = _formatter(account, currency, units, catalog)
    labels = fmt.labels
    seller = _seller_of(note.parties, seller)
    page = Page(fmt, title=labels.credit_note, number=note.number, issued_at=note.issued_at,
                seller=seller)  # fmt: skip
    facts = [(labels.number, note.number), (labels.issued, fmt.date(note.issued_at))]
    if note.invoice_number:
        facts.append((labels.credited_invoice, note.invoice_number))
    facts.extend(_destination(note, labels))
    page.heading(labels.credit_note, facts, seller, account, _buyer_of(note.parties))
    # A credit note's amounts are printed positive, whichever sign its lines were stored with.
    negative = note.total < 0 or any(line.amount < 0 for line in note.lines)
    sign = -1 if negative else 1
    page.lines(note.lines, negate=negative, subscription=subscription)
    page.taxes(note.tax)
    rows = []
    if note.tax:
        rows = [
            Total(labels.total_net, fmt.money(sign * (note.gross - note.tax_total))),
            Total(labels.total_tax, fmt.money(sign * note.tax_total)),
        ]
    page.totals([*rows, Total(labels.total_credited, fmt.money(sign * note.total), strong=True)])
    return page.output()


def render_receipt(
    receipt: Receipt,
    account: Account,
    seller: Seller,
    currency: str | None = None,
    *,
    units: Units | None = None,
    catalog: Catalog | None = None,
    method: PaymentMethod | None = None,
    invoice: Invoice | None = None,
    taxed: bool = False,
) -> bytes:
    """A receipt: the plan bought, the refund for the old plan, other credits, the amount paid;
    or, for a top-up of the balance, the amount paid and the method.

    `method` is the payment method the receipt names (`receipt.payment_method`), printed as its
    brand and last digits; a method removed since is named as its payment charged it
    (`tierline.services.queries.methods_of_receipts`). Without a method, none is named (its id
    means nothing to a reader).

    `invoice` is the invoice the receipt pays (`receipt.invoice_number`): its tax once per rate
    and category, its net, tax and gross, and the mention it had (reverse charge) are printed as
    that invoice has them, never worked out again. An invoice issued without tax adds nothing.
    `taxed` says the catalog taxes documents (its `tax`): a top-up's receipt then says that no
    tax applies to a prepaid top-up (docs/tax.md)."""
    if invoice is not None and invoice.number != receipt.invoice_number:
        raise ValueError(
            f"Receipt {receipt.number} pays {receipt.invoice_number}, not {invoice.number}."
        )
    fmt = _formatter(account, currency, units, catalog)
    labels = fmt.labels
    seller = _seller_of(receipt.parties, seller)
    page = Page(fmt, title=labels.receipt, number=receipt.number, issued_at=receipt.issued_at,
                seller=seller)  # fmt: skip
    facts = [(labels.number, receipt.number), (labels.issued, fmt.date(receipt.issued_at))]
    if receipt.invoice_number:
        facts.append((labels.for_invoice, receipt.invoice_number))
    if method is not None and method.id == receipt.payment_method:
        facts.append((labels.payment_method, labels.method(method)))
    page.heading(labels.receipt, facts, seller, account, _buyer_of(receipt.parties))

    bought = [line for line in receipt.lines if line.kind not in ("refund", "proration_credit")]
    refunds = [line for line in receipt.lines if line.kind == "refund"]
    credits = [line for line in receipt.lines if line.kind == "proration_credit"]
    top_up = receipt.invoice_number is None and not receipt.lines  # a top-up of the balance
    if top_up:
        page.section(labels.balance_top_up)
        if taxed:
            page.note(labels.top_up_untaxed)
    else:
        page.section(labels.plan_bought)
        page.lines(bought)
    if refunds:
        page.section(labels.refund_old_plan)
        page.lines(refunds)
    if credits:
        page.section(labels.credits_and_balance)
        page.lines(credits)
    rows = []
    if invoice is not None and invoice.tax:  # the tax of the invoice paid, under its number
        page.section(labels.to_invoice.format(number=invoice.number))
        page.taxes(invoice.tax)
        rows = [
            Total(labels.total_net, fmt.money(invoice.gross - invoice.tax_total)),
            Total(labels.total_tax, fmt.money(invoice.tax_total)),
            Total(labels.total_gross, fmt.money(invoice.gross)),
        ]
    rows.append(Total(labels.amount_paid, fmt.money(receipt.amount_paid), strong=True))
    if receipt.refunded:
        rows.append(Total(labels.refunded, fmt.money(receipt.refunded)))
    page.totals(rows)
    return page.output()


def _seller_of(parties: Parties | None, seller: Seller) -> Seller:
    """The seller as the document names it, when it was issued with one; the e-mail stays the
    portal's."""
    if parties is None or parties.seller is None:
        return seller
    named = parties.seller
    address = [*named.address, named.country or ""] if named.country else list(named.address)
    return Seller(named.name, tuple(a for a in address if a), seller.email, named.tax_id)


def _buyer_of(parties: Parties | None) -> Party | None:
    return None if parties is None else parties.buyer


def _formatter(
    account: Account, currency: str | None, units: Units | None, catalog: Catalog | None
) -> Formatter:
    names = catalog.names_in(account.locale) if catalog is not None else None
    return Formatter.of(
        account.locale, account.timezone, currency or account.currency, units, names
    )


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
