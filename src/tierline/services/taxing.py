"""Tax on the documents a unit of work issues: the lines' treatments, the document's tax lines,
and the seller and buyer it names. The rules are the domain's (`tierline.domain.document_tax`);
these helpers only find what they need in the store. They never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tierline.domain.account import Account
from tierline.domain.catalog import TaxPrices
from tierline.domain.document_tax import (
    buyer_treatment,
    credit_note_tax,
    invoice_tax,
    is_credit,
    merge_tax,
    treatments_by_item,
    with_treatment,
)
from tierline.domain.documents import Invoice, document_gross
from tierline.domain.lines import Line, total
from tierline.domain.parties import Parties, Party
from tierline.domain.tax import TaxLine, TaxTreatment, issue_day, tax_breakdown
from tierline.domain.values import quick_init, replace
from tierline.store.uow import UnitOfWork


@quick_init
@dataclass(frozen=True)
class Taxed:
    """A document's lines with their treatments, its tax, how it was priced, and its gross."""

    lines: tuple[Line, ...]
    tax: tuple[TaxLine, ...]
    prices: TaxPrices | None
    gross: Decimal


def parties_of(uow: UnitOfWork, account: Account) -> Parties:
    seller = uow.catalog.seller
    return Parties(None if seller is None else Party.of_seller(seller), Party.of_account(account))


def tax_invoice(
    uow: UnitOfWork,
    account: Account,
    lines: tuple[Line, ...],
    *,
    subscription_id: str | None,
    now: datetime,
) -> Taxed:
    """An invoice's lines taxed at the buyer's treatment on the issue day; a credit for unused
    time on it at the treatment its item was charged at."""
    catalog = uow.catalog
    treatment = buyer_treatment(catalog, account, on=issue_day(now))
    if treatment is None or catalog.tax is None:
        return Taxed(lines, (), None, total(lines))
    credited: dict[str, TaxTreatment] = {}
    if any(is_credit(line) for line in lines):
        credited = _charged_treatments(uow, account.id, subscription_id)
    taxed = with_treatment(lines, treatment, credited=credited)
    prices = catalog.tax.prices
    tax = invoice_tax(taxed, prices, account.currency)
    return Taxed(taxed, tax, prices, document_gross(total(taxed), tax, prices))


def tax_credit_note(
    uow: UnitOfWork,
    account: Account,
    lines: tuple[Line, ...],
    *,
    sources: Sequence[str],
    now: datetime,
) -> Taxed:
    """A credit note's (positive) lines taxed as the invoices they credit charged them, never
    crediting more tax than those invoices charged. Lines of invoices without tax carry none."""
    currency = account.currency
    invoices = _invoices(uow, sources)
    taxed_invoices = [inv for inv in invoices if inv.tax]
    if not taxed_invoices:
        return Taxed(lines, (), None, total(lines))
    by_item: dict[str, Invoice] = {}
    for invoice in taxed_invoices:  # oldest first: the newest that charged an item wins
        for item in treatments_by_item(invoice.lines):
            by_item[item] = invoice
    fallback = taxed_invoices[-1]
    groups: dict[str, list[Line]] = {}
    out: list[Line] = []
    for line in lines:
        invoice = by_item.get(line.item or "", fallback)
        treatment = treatments_by_item(invoice.lines).get(line.item or "", invoice.tax[0].treatment)
        line = replace(line, tax=line.tax or treatment)
        groups.setdefault(invoice.number, []).append(line)
        out.append(line)
    earlier = [n for n in uow.documents.credit_notes_for(account.id) if n.tax]
    tax: list[TaxLine] = []
    prices: TaxPrices = fallback.tax_prices or "exclusive"
    for number, credited in groups.items():
        invoice = next(inv for inv in taxed_invoices if inv.number == number)
        prices = invoice.tax_prices or prices
        before = [t for n in earlier if n.invoice_number == number for t in n.tax]
        tax.extend(
            credit_note_tax(credited, invoice.tax, prices, currency, already_credited=before)
        )
    merged = merge_tax(tax)
    return Taxed(tuple(out), merged, prices, document_gross(total(out), merged, prices))


def invoice_gross(
    uow: UnitOfWork,
    account: Account,
    lines: tuple[Line, ...],
    *,
    subscription_id: str | None,
    now: datetime,
) -> Decimal:
    """What an invoice of these lines would come to, tax included (a preview's figure)."""
    return tax_invoice(uow, account, lines, subscription_id=subscription_id, now=now).gross


def credit_gross(
    uow: UnitOfWork,
    account: Account,
    credit_lines: tuple[Line, ...],
    *,
    sources: Sequence[str],
    now: datetime,
) -> Decimal:
    """What a credit note for these (negative) credit lines would credit, tax included."""
    positive = tuple(replace(line, amount=-line.amount) for line in credit_lines)
    return tax_credit_note(uow, account, positive, sources=sources, now=now).gross


def tax_usage(
    uow: UnitOfWork, account: Account, fee: Decimal, now: datetime
) -> tuple[Decimal, tuple[TaxLine, ...]]:
    """Usage paid from the balance is taxed when it is used: its gross and its tax."""
    catalog = uow.catalog
    treatment = buyer_treatment(catalog, account, on=issue_day(now))
    if treatment is None or catalog.tax is None:
        return fee, ()
    prices = catalog.tax.prices
    tax = tax_breakdown([(fee, treatment)], prices, account.currency)
    return document_gross(fee, tax, prices), tax


def _charged_treatments(
    uow: UnitOfWork, account_id: str, subscription_id: str | None
) -> dict[str, TaxTreatment]:
    found: dict[str, TaxTreatment] = {}
    for invoice in uow.documents.invoices_for(account_id):  # oldest first: the newest wins
        if invoice.status == "void" or invoice.subscription_id != subscription_id:
            continue
        found.update(treatments_by_item(invoice.lines))
    return found


def _invoices(uow: UnitOfWork, numbers: Sequence[str]) -> list[Invoice]:
    if not numbers:
        return []
    found = uow.documents.invoices_by_number(list(numbers))
    return sorted(found.values(), key=lambda inv: (inv.issued_at, inv.number))
