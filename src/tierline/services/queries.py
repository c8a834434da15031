"""Read-only use cases: lists and lookups for the API, the portal and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from tierline.domain.account import Account
from tierline.domain.documents import CreditNote, Invoice, Payment, Receipt
from tierline.domain.journal import BALANCE
from tierline.errors import NotFound
from tierline.store.uow import UnitOfWork


def list_accounts(
    *, uow: UnitOfWork, limit: int = 50, starting_after: str | None = None
) -> list[Account]:
    with uow:
        return uow.accounts.list(limit=limit, starting_after=starting_after)


def get_account(account_id: str, *, uow: UnitOfWork) -> Account:
    with uow:
        return uow.accounts.get(account_id)


def list_invoices(account_id: str, *, uow: UnitOfWork, status: str | None = None) -> list[Invoice]:
    with uow:
        uow.accounts.get(account_id)
        return uow.documents.invoices_for(account_id, status)


def get_invoice(number: str, *, uow: UnitOfWork, account_id: str | None = None) -> Invoice:
    """An invoice by number; with `account_id`, one of another account is not found."""
    with uow:
        invoice = uow.documents.invoice(number)
    if account_id is not None and invoice.account_id != account_id:
        raise NotFound(f"No invoice '{number}'.", code="unknown_invoice")
    return invoice


def list_credit_notes(account_id: str, *, uow: UnitOfWork) -> list[CreditNote]:
    with uow:
        uow.accounts.get(account_id)
        return uow.documents.credit_notes_for(account_id)


def list_receipts(account_id: str, *, uow: UnitOfWork) -> list[Receipt]:
    with uow:
        uow.accounts.get(account_id)
        return uow.documents.receipts_for(account_id)


def list_payments(account_id: str, *, uow: UnitOfWork) -> list[Payment]:
    with uow:
        uow.accounts.get(account_id)
        return uow.payments.for_account(account_id)


def list_messages(account_id: str, *, uow: UnitOfWork) -> list[dict[str, Any]]:
    with uow:
        uow.accounts.get(account_id)
        return uow.outbox.for_account(account_id)


@dataclass(frozen=True)
class BalanceTransaction:
    at: datetime
    kind: str  # top_up | usage | balance_applied | credit_to_balance
    amount: Decimal  # positive adds to the balance
    reference: str | None


def balance_transactions(account_id: str, *, uow: UnitOfWork) -> list[BalanceTransaction]:
    with uow:
        uow.accounts.get(account_id)
        entries = uow.journal.entries_for(account_id)
    found = []
    for entry in entries:
        moved = -sum((line.amount for line in entry.lines if line.ledger == BALANCE), Decimal(0))
        if moved:
            found.append(BalanceTransaction(entry.at, entry.kind, moved, entry.reference))
    return found


@dataclass(frozen=True)
class EditionSummary:
    edition: str
    name: str
    subscriptions: int
    units: int


def plan_summary(*, uow: UnitOfWork) -> list[EditionSummary]:
    """Every edition with its live subscriptions and the units on them (seed 001's plan list)."""
    with uow:
        catalog = uow.catalog
        counts = {code: (n, units) for code, n, units in uow.subscriptions.count_by_edition()}
    return [EditionSummary(e.code, e.name, *counts.get(e.code, (0, 0))) for e in catalog.editions]
