"""Double-entry journal: every money movement is an entry whose lines sum to zero.

Ledgers, debit positive:
    receivable  what the account owes (positive) or is owed back before it is placed
    revenue     earned by the operator (credit, negative)
    cash        money received through the gateway (debit) or paid back (credit)
    balance     the account's prepaid money, a liability: the account's balance is −sum(lines)
    tax:<rate>  tax owed to the state at that rate in percent (`tax:20`, `tax:19.6`), a liability

With tax, an invoice's receivable is its gross, each rate's tax is owed on that rate's ledger
and revenue is the rest; a credit note, a void invoice and a usage fee move the same
ledgers back or out of the balance. Rates whose tax is zero (reverse charge, zero rate) owe
nothing and have no line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tierline.domain.tax import TaxLine
from tierline.domain.values import quick_init

RECEIVABLE = "receivable"
REVENUE = "revenue"
CASH = "cash"
BALANCE = "balance"
TAX_PREFIX = "tax:"


def tax_ledger(rate: Decimal) -> str:
    """The ledger of tax owed at `rate` percent: `tax:20`, `tax:19.6`, `tax:7.25`."""
    text = format(rate.normalize(), "f")
    return TAX_PREFIX + text


@quick_init
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


def _taxed(
    kind: str,
    at: datetime,
    debit: str,
    gross: Decimal,
    tax: Iterable[TaxLine],
    ref: str | None,
    *,
    sign: int = 1,
) -> JournalEntry:
    """`debit` gets the gross (tax included); each rate's ledger its tax and revenue the rest,
    as credits (`sign` 1) or, reversing, as debits (`sign` -1)."""
    owed: dict[str, Decimal] = {}
    for line in tax:
        if line.amount:
            ledger = tax_ledger(line.rate)
            owed[ledger] = owed.get(ledger, Decimal(0)) + line.amount
    revenue = gross - sum(owed.values(), Decimal(0))
    lines = (
        JournalLine(debit, sign * gross),
        JournalLine(REVENUE, -sign * revenue),
        *(JournalLine(ledger, -sign * amount) for ledger, amount in owed.items()),
    )
    return JournalEntry(kind, at, lines, ref)


def invoice_issued(
    gross: Decimal, at: datetime, ref: str, tax: Iterable[TaxLine] = ()
) -> JournalEntry:
    """`gross` is the invoice's amount tax included (its subtotal when it has no tax)."""
    return _taxed("invoice", at, RECEIVABLE, gross, tax, ref)


def credit_note_issued(
    amount: Decimal, at: datetime, ref: str, tax: Iterable[TaxLine] = ()
) -> JournalEntry:
    return _taxed("credit_note", at, RECEIVABLE, amount, tax, ref, sign=-1)


def balance_applied(amount: Decimal, at: datetime, ref: str) -> JournalEntry:
    return _entry("balance_applied", at, BALANCE, RECEIVABLE, amount, ref)


def invoice_voided(
    gross: Decimal, at: datetime, ref: str, tax: Iterable[TaxLine] = ()
) -> JournalEntry:
    """A void invoice takes back what its issue recorded."""
    return _taxed("invoice_void", at, RECEIVABLE, gross, tax, ref, sign=-1)


def balance_restored(amount: Decimal, at: datetime, ref: str) -> JournalEntry:
    """The balance a void invoice had taken goes back to the balance."""
    return _entry("balance_restored", at, RECEIVABLE, BALANCE, amount, ref)


def card_payment(amount: Decimal, at: datetime, ref: str) -> JournalEntry:
    return _entry("payment", at, CASH, RECEIVABLE, amount, ref)


def refund_kept_on_balance(amount: Decimal, at: datetime, ref: str | None) -> JournalEntry:
    """A refund the card refused: the cash never left; the account keeps the money as balance."""
    return _entry("refund_failed", at, CASH, BALANCE, amount, ref)


def credit_to_balance(amount: Decimal, at: datetime, ref: str | None) -> JournalEntry:
    return _entry("credit_to_balance", at, RECEIVABLE, BALANCE, amount, ref)


def refund_to_card(amount: Decimal, at: datetime, ref: str | None) -> JournalEntry:
    return _entry("refund", at, RECEIVABLE, CASH, amount, ref)


def top_up(amount: Decimal, at: datetime, ref: str | None) -> JournalEntry:
    return _entry("top_up", at, CASH, BALANCE, amount, ref)


def usage_fee(
    gross: Decimal, at: datetime, ref: str | None, tax: Iterable[TaxLine] = ()
) -> JournalEntry:
    """Usage paid from the balance: the balance pays the gross (tax is due when the prepaid
    money is spent, not when it is bought)."""
    return _taxed("usage", at, BALANCE, gross, tax, ref)


def balance_of(lines: list[JournalLine] | tuple[JournalLine, ...]) -> Decimal:
    return -sum((line.amount for line in lines if line.ledger == BALANCE), Decimal(0))
