"""Read-only use cases: lists and lookups for the API, the portal and the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tierline.domain.account import Account, PaymentMethod
from tierline.domain.documents import CreditNote, Invoice, Payment, Receipt
from tierline.domain.journal import BalanceTransaction
from tierline.domain.pages import Page, PageRequest
from tierline.errors import NotFound
from tierline.store.uow import UnitOfWork


def account_page(request: PageRequest, *, uow: UnitOfWork) -> Page[Account]:
    with uow.reading():
        return uow.accounts.page(request)


def get_account(account_id: str, *, uow: UnitOfWork) -> Account:
    with uow.reading():
        return uow.accounts.get(account_id)


def list_invoices(account_id: str, *, uow: UnitOfWork, status: str | None = None) -> list[Invoice]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.documents.invoices_for(account_id, status)


def invoice_page(
    account_id: str, request: PageRequest, *, uow: UnitOfWork, status: str | None = None
) -> Page[Invoice]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.documents.invoice_page(account_id, request, status)


def get_invoice(number: str, *, uow: UnitOfWork, account_id: str | None = None) -> Invoice:
    """An invoice by number; with `account_id`, one of another account is not found."""
    with uow.reading():
        invoice = uow.documents.invoice(number)
    if account_id is not None and invoice.account_id != account_id:
        raise NotFound(f"No invoice '{number}'.", code="unknown_invoice")
    return invoice


def get_credit_note(number: str, *, uow: UnitOfWork, account_id: str | None = None) -> CreditNote:
    """A credit note by number; with `account_id`, one of another account is not found."""
    with uow.reading():
        note = uow.documents.credit_note(number)
    if account_id is not None and note.account_id != account_id:
        raise NotFound(f"No credit note '{number}'.", code="unknown_credit_note")
    return note


def list_credit_notes(account_id: str, *, uow: UnitOfWork) -> list[CreditNote]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.documents.credit_notes_for(account_id)


def credit_note_page(account_id: str, request: PageRequest, *, uow: UnitOfWork) -> Page[CreditNote]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.documents.credit_note_page(account_id, request)


def list_receipts(account_id: str, *, uow: UnitOfWork) -> list[Receipt]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.documents.receipts_for(account_id)


def receipt_page(account_id: str, request: PageRequest, *, uow: UnitOfWork) -> Page[Receipt]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.documents.receipt_page(account_id, request)


def invoices_paid_by(receipts: Iterable[Receipt], *, uow: UnitOfWork) -> dict[str, Invoice]:
    """The invoices these receipts pay, by number, read at once (a top-up's receipt pays none).

    A receipt shows the tax of the invoice it pays as that invoice has it: its tax once per rate
    and category, net, tax and gross, and its mention."""
    numbers = sorted({r.invoice_number for r in receipts if r.invoice_number is not None})
    if not numbers:
        return {}
    with uow.reading():
        return uow.documents.invoices_by_number(numbers)


def methods_of_receipts(
    account_id: str, receipts: Iterable[Receipt], *, uow: UnitOfWork
) -> dict[str, PaymentMethod]:
    """The payment methods these receipts were paid with, by id, as a receipt names them: the
    method on file, or one removed since as its payments charged it (brand and last digits)."""
    wanted = sorted({r.payment_method for r in receipts if r.payment_method is not None})
    if not wanted:
        return {}
    with uow.reading():
        found = {m.id: m for m in uow.payment_methods.for_account(account_id) if m.id in wanted}
        gone = [method_id for method_id in wanted if method_id not in found]
        charged = uow.payments.methods_charged(account_id, gone) if gone else {}
    for method_id, (brand, last4) in charged.items():
        found[method_id] = PaymentMethod(method_id, account_id, "", brand, last4)
    return found


def payment_page(account_id: str, request: PageRequest, *, uow: UnitOfWork) -> Page[Payment]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.payments.page_for(account_id, request)


def list_messages(account_id: str, *, uow: UnitOfWork) -> list[dict[str, Any]]:
    """The account's messages in the order they were written (the outbox's sequence)."""
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.outbox.for_account(account_id)


def message_page(account_id: str, request: PageRequest, *, uow: UnitOfWork) -> Page[dict[str, Any]]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.outbox.page_for(account_id, request)


def balance_transactions(account_id: str, *, uow: UnitOfWork) -> list[BalanceTransaction]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.journal.balance_transactions(account_id)


def balance_transaction_page(
    account_id: str, request: PageRequest, *, uow: UnitOfWork
) -> Page[BalanceTransaction]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.journal.balance_transaction_page(account_id, request)


@dataclass(frozen=True)
class EditionSummary:
    edition: str
    name: str
    subscriptions: int
    units: int


def plan_summary(*, uow: UnitOfWork) -> list[EditionSummary]:
    """Every edition with its live subscriptions and the units on them (seed 001's plan list)."""
    with uow.reading():
        catalog = uow.catalog
        counts = {code: (n, units) for code, n, units in uow.subscriptions.count_by_edition()}
    return [EditionSummary(e.code, e.name, *counts.get(e.code, (0, 0))) for e in catalog.editions]
