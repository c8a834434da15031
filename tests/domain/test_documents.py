from __future__ import annotations

from decimal import Decimal

from tierline.domain.documents import SERIES, InvoiceTotals, document_number, invoice_totals

ZERO = Decimal(0)


def totals(
    subtotal: str, credit: str = "0", balance: str = "0", *, use_balance: bool = True
) -> InvoiceTotals:
    return invoice_totals(
        Decimal(subtotal), Decimal(credit), Decimal(balance), use_balance=use_balance
    )


class TestInvoiceTotals:
    def test_without_credit_or_balance_the_card_pays_everything(self) -> None:
        t = totals("25.00")
        assert (t.credits_applied, t.balance_applied, t.total, t.leftover_credit) == (
            ZERO,
            ZERO,
            Decimal("25.00"),
            ZERO,
        )

    def test_credits_are_applied_before_the_balance(self) -> None:
        t = totals("100.00", credit="30.00", balance="50.00")
        assert (t.credits_applied, t.balance_applied, t.total) == (
            Decimal("30.00"),
            Decimal("50.00"),
            Decimal("20.00"),
        )

    def test_the_balance_pays_what_credits_leave(self) -> None:
        t = totals("100.00", credit="30.00", balance="500.00")
        assert (t.balance_applied, t.total) == (Decimal("70.00"), ZERO)

    def test_credit_beyond_the_invoice_is_left_over(self) -> None:
        t = totals("25.00", credit="40.00", balance="50.00")
        assert (t.credits_applied, t.balance_applied, t.total, t.leftover_credit) == (
            Decimal("25.00"),
            ZERO,
            ZERO,
            Decimal("15.00"),
        )

    def test_a_negative_subtotal_becomes_leftover_credit(self) -> None:
        t = totals("-12.90", balance="50.00")
        assert (t.credits_applied, t.balance_applied, t.total, t.leftover_credit) == (
            ZERO,
            ZERO,
            ZERO,
            Decimal("12.90"),
        )

    def test_a_negative_subtotal_adds_to_credit_from_a_credit_note(self) -> None:
        assert totals("-2.00", credit="3.00").leftover_credit == Decimal("5.00")

    def test_the_balance_is_not_used_when_the_catalog_says_so(self) -> None:
        t = totals("100.00", credit="30.00", balance="50.00", use_balance=False)
        assert (t.balance_applied, t.total) == (ZERO, Decimal("70.00"))

    def test_a_negative_balance_pays_nothing(self) -> None:
        t = totals("25.00", balance="-10.00")
        assert (t.balance_applied, t.total) == (ZERO, Decimal("25.00"))

    def test_the_subtotal_is_reported_unchanged(self) -> None:
        assert totals("25.00", credit="5.00").subtotal == Decimal("25.00")

    def test_what_is_applied_and_collected_adds_up_to_the_subtotal(self) -> None:
        t = totals("43.00", credit="12.90", balance="10.00")
        assert t.credits_applied + t.balance_applied + t.total == t.subtotal


class TestNumbers:
    def test_a_document_number_is_series_year_and_six_digit_sequence(self) -> None:
        assert document_number("INV", 2026, 1) == "INV-2026-000001"

    def test_each_document_kind_has_its_series(self) -> None:
        assert SERIES == {"invoice": "INV", "credit_note": "CN", "receipt": "RCT"}
        assert document_number(SERIES["credit_note"], 2027, 42) == "CN-2027-000042"
