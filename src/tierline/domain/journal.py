"""Double-entry journal: every money movement is an entry whose lines sum to zero.

Ledgers, debit positive:
    receivable  what the account owes (positive) or is owed back before it is placed
    revenue     earned by the operator (credit, negative)
    cash        money received through the gateway (debit) or paid back (credit)
    balance     the account's prepaid money, a liability: the account's balance is −sum(lines)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

RECEIVABLE = "receivable"
REVENUE = "revenue"
CASH = "cash"
BALANCE = "balance"


@dataclass(frozen=True)
class JournalLine:
    ledger: str
    amount: Decimal


@dataclass(frozen=True)
class JournalEntry:
    kind: str
    at: datetime
    lines: tuple[JournalLine, ...]
    reference: str | None = None

    def __post_init__(self) -> None:
        if sum((line.amount for line in self.lines), Decimal(0)) != 0:
            raise ValueError(f"journal entry {self.kind} does not balance: {self.lines}")


@dataclass(frozen=True)
class BalanceTransaction:
    """A journal entry that moved the account's balance, seen from the balance."""

    id: str  # the journal entry's
    at: datetime
    kind: str  # top_up | usage | balance_applied | credit_to_balance | balance_restored
    amount: Decimal  # positive adds to the balance
    reference: str | None


def _entry(
    kind: str, at: datetime, debit: str, credit: str, amount: Decimal, ref: str | None
) -> JournalEntry:
    return JournalEntry(kind, at, (JournalLine(debit, amount), JournalLine(credit, -amount)), ref)


def invoice_issued(subtotal: Decimal, at: datetime, ref: str) -> JournalEntry:
    return _entry("invoice", at, RECEIVABLE, REVENUE, subtotal, ref)


def credit_note_issued(amount: Decimal, at: datetime, ref: str) -> JournalEntry:
    return _entry("credit_note", at, REVENUE, RECEIVABLE, amount, ref)


def balance_applied(amount: Decimal, at: datetime, ref: str) -> JournalEntry:
    return _entry("balance_applied", at, BALANCE, RECEIVABLE, amount, ref)


def invoice_voided(subtotal: Decimal, at: datetime, ref: str) -> JournalEntry:
    """A void invoice takes back what its issue recorded."""
    return _entry("invoice_void", at, REVENUE, RECEIVABLE, subtotal, ref)


def balance_restored(amount: Decimal, at: datetime, ref: str) -> JournalEntry:
    """The balance a void invoice had taken goes back to the balance."""
    return _entry("balance_restored", at, RECEIVABLE, BALANCE, amount, ref)


def card_payment(amount: Decimal, at: datetime, ref: str) -> JournalEntry:
    return _entry("payment", at, CASH, RECEIVABLE, amount, ref)


def credit_to_balance(amount: Decimal, at: datetime, ref: str | None) -> JournalEntry:
    return _entry("credit_to_balance", at, RECEIVABLE, BALANCE, amount, ref)


def refund_to_card(amount: Decimal, at: datetime, ref: str | None) -> JournalEntry:
    return _entry("refund", at, RECEIVABLE, CASH, amount, ref)


def top_up(amount: Decimal, at: datetime, ref: str | None) -> JournalEntry:
    return _entry("top_up", at, CASH, BALANCE, amount, ref)


def usage_fee(amount: Decimal, at: datetime, ref: str | None) -> JournalEntry:
    return _entry("usage", at, BALANCE, REVENUE, amount, ref)


def balance_of(lines: list[JournalLine] | tuple[JournalLine, ...]) -> Decimal:
    return -sum((line.amount for line in lines if line.ledger == BALANCE), Decimal(0))
