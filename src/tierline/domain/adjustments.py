"""A balance adjustment an operator makes by hand (goodwill, a correction): the account's
balance moves against revenue, in one balanced journal entry."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from tierline.domain.journal import BALANCE, REVENUE, JournalEntry, JournalLine

KIND = "balance_adjustment"


def balance_adjusted(amount: Decimal, at: datetime, ref: str) -> JournalEntry:
    """`amount` positive adds to the balance (revenue given up), negative takes from it."""
    if amount == 0:
        raise ValueError("an adjustment moves money")
    return JournalEntry(
        KIND, at, (JournalLine(REVENUE, amount), JournalLine(BALANCE, -amount)), ref
    )
