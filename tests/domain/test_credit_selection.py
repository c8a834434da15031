"""What is left to credit on an invoice's lines, the lines an operator's selection credits, and
the lines that document a refund of an amount, tax included. No database."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tierline.domain.credit_notes import (
    check_within_invoice,
    credit_selection,
    creditable_lines,
    credited_gross,
    lines_for_gross,
)
from tierline.domain.document_tax import invoice_tax
from tierline.domain.documents import CreditNote, Invoice, document_gross
from tierline.domain.errors import CreditAboveWhatIsLeft, InvoiceNotCreditable, NothingToCredit
from tierline.domain.lines import Line
from tierline.domain.periods import Period
from tierline.domain.tax import TaxTreatment

JAN = datetime(2026, 1, 31, 10, tzinfo=UTC)
FEB = datetime(2026, 2, 28, 10, tzinfo=UTC)
MID = datetime(2026, 2, 14, 10, tzinfo=UTC)
WHOLE = Period(JAN, FEB)
FR = TaxTreatment(Decimal(20), "standard")


def line(
    amount: str, item: str = "edition", period: Period = WHOLE, tax: TaxTreatment | None = None
) -> Line:
    return Line("subscription", item, Decimal(amount), period=period, item=item, tax=tax)


def an_invoice(*lines: Line, status: str = "paid") -> Invoice:
    subtotal = sum((x.amount for x in lines), Decimal(0))
    tax = invoice_tax(lines, "exclusive", "EUR") if any(x.tax for x in lines) else ()
    gross = document_gross(subtotal, tax, "exclusive" if tax else None)
    return Invoice(
        id="inv_1", account_id="acme", number="INV-2026-000001", subscription_id="sub_1",
        reason="renewal", status=status, issued_at=JAN, due_at=JAN, lines=tuple(lines),  # type: ignore[arg-type]
        subtotal=subtotal, credits_applied=Decimal(0), balance_applied=Decimal(0), total=gross,
        amount_paid=gross, tax=tax, tax_prices="exclusive" if tax else None,
    )  # fmt: skip


def a_note(*lines: Line, total: str) -> CreditNote:
    return CreditNote(
        id="cn_1", account_id="acme", number="CN-2026-000001", invoice_number="INV-2026-000001",
        applied_to=None, credit_to="balance", issued_at=MID, lines=lines, total=Decimal(total),
    )  # fmt: skip


class TestWhatIsLeft:
    def test_a_credit_for_unused_time_counts_against_the_line_of_its_item(self) -> None:
        invoice = an_invoice(line("30.00"), line("9.00", "addon:pack"))
        unused = a_note(line("15.00", period=Period(MID, FEB)), total="15.00")

        left = creditable_lines(invoice, [unused])

        assert [(c.position, c.credited, c.left) for c in left] == [
            (0, Decimal("15.00"), Decimal("15.00")),
            (1, Decimal(0), Decimal("9.00")),
        ]

    def test_an_earlier_partial_credit_counts_against_the_line_it_copied(self) -> None:
        """Two lines of one item: the credit of the second is not taken from the first."""
        first, second = (
            line("10.00", period=Period(JAN, MID)),
            line("20.00", period=Period(MID, FEB)),
        )
        invoice = an_invoice(first, second)
        earlier = a_note(line("5.00", period=Period(MID, FEB)), total="5.00")

        left = creditable_lines(invoice, [earlier])

        assert [c.left for c in left] == [Decimal("10.00"), Decimal("15.00")]

    def test_negative_lines_of_an_invoice_are_not_credited(self) -> None:
        invoice = an_invoice(line("60.00"), Line("proration_credit", "unused", Decimal("-15.00")))
        assert [c.position for c in creditable_lines(invoice, [])] == [0]


class TestSelection:
    def test_a_selection_credits_part_of_one_line_and_all_of_another(self) -> None:
        invoice = an_invoice(line("30.00"), line("9.00", "addon:pack"))
        chosen = credit_selection(
            invoice, creditable_lines(invoice, []), {0: Decimal("5.00"), 1: None}
        )
        assert [(c.position, c.line.amount) for c in chosen] == [
            (0, Decimal("5.00")),
            (1, Decimal("9.00")),
        ]
        assert chosen[0].line.quantity is None and chosen[0].line.item == "edition"

    def test_more_than_is_left_is_refused_naming_the_line(self) -> None:
        invoice = an_invoice(line("30.00"), line("9.00", "addon:pack"))
        with pytest.raises(CreditAboveWhatIsLeft) as refused:
            credit_selection(invoice, creditable_lines(invoice, []), {1: Decimal("9.01")})
        assert refused.value.param == "lines[1].amount"

    def test_nothing_chosen_and_a_void_invoice_are_refused(self) -> None:
        invoice = an_invoice(line("30.00"))
        with pytest.raises(NothingToCredit):
            credit_selection(invoice, creditable_lines(invoice, []), {})
        void = an_invoice(line("30.00"), status="void")
        with pytest.raises(InvoiceNotCreditable):
            credit_selection(void, creditable_lines(void, []), {0: None})

    def test_a_credit_takes_the_rate_of_the_line_it_credits(self) -> None:
        invoice = an_invoice(line("30.00", tax=FR))
        chosen = credit_selection(invoice, creditable_lines(invoice, []), {0: Decimal("10.00")})
        lines = [c.line for c in chosen]
        assert lines[0].tax == FR
        assert credited_gross(invoice, lines, [], "EUR") == Decimal("12.00")

    def test_a_note_worth_more_than_is_left_of_the_invoice_is_refused(self) -> None:
        invoice = an_invoice(line("60.00"), Line("proration_credit", "unused", Decimal("-15.00")))
        with pytest.raises(CreditAboveWhatIsLeft):
            check_within_invoice(invoice, Decimal("45.01"), [])


class TestLinesForAnAmount:
    def test_a_refund_is_taken_from_the_lines_in_order(self) -> None:
        invoice = an_invoice(line("30.00"), line("9.00", "addon:pack"))
        lines = lines_for_gross(invoice, creditable_lines(invoice, []), [], Decimal("35.00"), "EUR")
        assert [x.amount for x in lines] == [Decimal("30.00"), Decimal("5.00")]

    def test_a_taxed_refund_reaches_its_amount_tax_included(self) -> None:
        invoice = an_invoice(line("30.00", tax=FR))
        lines = lines_for_gross(invoice, creditable_lines(invoice, []), [], Decimal("10.00"), "EUR")
        assert [x.amount for x in lines] == [Decimal("8.33")]
        assert credited_gross(invoice, lines, [], "EUR") == Decimal("10.00")

    def test_an_amount_rounding_cannot_reach_gives_the_nearest_below(self) -> None:
        """At 20 %, 0.02 net is 0.02 gross and 0.03 net is 0.04: 0.03 cannot be reached."""
        invoice = an_invoice(line("30.00", tax=FR))
        lines = lines_for_gross(invoice, creditable_lines(invoice, []), [], Decimal("0.03"), "EUR")
        assert credited_gross(invoice, lines, [], "EUR") == Decimal("0.02")

    @given(cents=st.integers(min_value=1, max_value=3600))
    def test_a_refund_never_credits_more_than_asked_nor_more_than_the_invoice(
        self, cents: int
    ) -> None:
        invoice = an_invoice(line("20.00", tax=FR), line("10.00", "addon:pack", tax=FR))
        asked = Decimal(cents) / 100
        lines = lines_for_gross(invoice, creditable_lines(invoice, []), [], asked, "EUR")
        gross = credited_gross(invoice, lines, [], "EUR")
        assert gross <= asked and asked - gross <= Decimal("0.01")
        for credited, charged in zip(lines, invoice.lines, strict=False):
            assert credited.amount <= charged.amount
