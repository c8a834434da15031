from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from builders import utc

from tierline.domain.journal import (
    BALANCE,
    CASH,
    RECEIVABLE,
    REVENUE,
    JournalEntry,
    JournalLine,
    balance_applied,
    balance_of,
    card_payment,
    credit_note_issued,
    credit_to_balance,
    invoice_issued,
    refund_to_card,
    top_up,
    usage_fee,
)

AT = utc(2026, 1, 16)
BUILDERS: dict[str, Callable[[Decimal], JournalEntry]] = {
    "invoice_issued": lambda a: invoice_issued(a, AT, "INV-2026-000001"),
    "credit_note_issued": lambda a: credit_note_issued(a, AT, "CN-2026-000001"),
    "balance_applied": lambda a: balance_applied(a, AT, "INV-2026-000001"),
    "card_payment": lambda a: card_payment(a, AT, "INV-2026-000001"),
    "credit_to_balance": lambda a: credit_to_balance(a, AT, "CN-2026-000001"),
    "refund_to_card": lambda a: refund_to_card(a, AT, None),
    "top_up": lambda a: top_up(a, AT, None),
    "usage_fee": lambda a: usage_fee(a, AT, None),
}


def ledgers(entry: JournalEntry) -> dict[str, Decimal]:
    return {line.ledger: line.amount for line in entry.lines}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_builder_entry_sums_to_zero(name: str) -> None:
    entry = BUILDERS[name](Decimal("12.34"))
    assert sum(line.amount for line in entry.lines) == 0


def test_an_unbalanced_entry_is_refused() -> None:
    with pytest.raises(ValueError, match="does not balance"):
        JournalEntry("invoice", AT, (JournalLine(RECEIVABLE, Decimal("10.00")),))


def test_an_entry_off_by_one_cent_is_refused() -> None:
    lines = (JournalLine(RECEIVABLE, Decimal("10.00")), JournalLine(REVENUE, Decimal("-9.99")))
    with pytest.raises(ValueError):
        JournalEntry("invoice", AT, lines)


def test_an_entry_may_have_more_than_two_lines() -> None:
    lines = (
        JournalLine(RECEIVABLE, Decimal("10.00")),
        JournalLine(REVENUE, Decimal("-7.00")),
        JournalLine(BALANCE, Decimal("-3.00")),
    )
    assert len(JournalEntry("mixed", AT, lines).lines) == 3


def test_an_invoice_debits_receivable_and_credits_revenue() -> None:
    entry = invoice_issued(Decimal("25.00"), AT, "INV-2026-000001")
    assert ledgers(entry) == {RECEIVABLE: Decimal("25.00"), REVENUE: Decimal("-25.00")}
    assert (entry.kind, entry.reference) == ("invoice", "INV-2026-000001")


def test_a_card_payment_debits_cash_and_settles_the_receivable() -> None:
    entry = card_payment(Decimal("25.00"), AT, "INV-2026-000001")
    assert ledgers(entry) == {CASH: Decimal("25.00"), RECEIVABLE: Decimal("-25.00")}


def test_a_top_up_raises_the_balance() -> None:
    assert balance_of(top_up(Decimal("50.00"), AT, None).lines) == Decimal("50.00")


def test_paying_from_the_balance_lowers_it() -> None:
    assert balance_of(balance_applied(Decimal("20.00"), AT, "INV").lines) == Decimal("-20.00")


def test_a_usage_fee_is_paid_from_the_balance() -> None:
    assert balance_of(usage_fee(Decimal("0.05"), AT, None).lines) == Decimal("-0.05")


def test_a_credit_to_the_balance_raises_it() -> None:
    assert balance_of(credit_to_balance(Decimal("12.90"), AT, "CN").lines) == Decimal("12.90")


def test_the_balance_is_the_sum_of_its_journal_history() -> None:
    entries = [
        top_up(Decimal("100.00"), AT, None),
        balance_applied(Decimal("25.00"), AT, "INV-2026-000001"),
        usage_fee(Decimal("0.50"), AT, None),
        credit_to_balance(Decimal("12.90"), AT, "CN-2026-000001"),
        card_payment(Decimal("30.00"), AT, "INV-2026-000002"),
    ]
    lines = [line for entry in entries for line in entry.lines]
    assert balance_of(lines) == Decimal("87.40")


def test_an_empty_journal_has_a_zero_balance() -> None:
    assert balance_of([]) == 0
