"""Tax on a document's lines: which treatment each line gets, the net amounts an e-invoice
states, and the journal entry of a taxed document. Pure: no database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from tierline.domain.account import Account
from tierline.domain.catalog import Catalog, Seller, TaxRate, TaxRules
from tierline.domain.document_tax import (
    buyer_treatment,
    credit_note_tax,
    invoice_tax,
    net_amounts,
    treatments_by_item,
    with_treatment,
)
from tierline.domain.journal import RECEIVABLE, REVENUE, invoice_issued, tax_ledger
from tierline.domain.lines import Line
from tierline.domain.tax import TaxTreatment

STANDARD = TaxTreatment(Decimal(20), "standard")
OLD = TaxTreatment(Decimal("19.6"), "standard")
REVERSE = TaxTreatment(Decimal(0), "reverse_charge")
AT = datetime(2026, 3, 1, tzinfo=UTC)


def a_catalog(**tax: object) -> Catalog:
    rules = TaxRules(
        rates=(TaxRate("FR", Decimal(20)), TaxRate("DE", Decimal(19))),
        reverse_charge=frozenset({"DE", "FR"}),
        **tax,  # type: ignore[arg-type]
    )
    return Catalog("EUR", "seat", (), (), seller=Seller("Seller SAS", "FR"), tax=rules)


def charge(amount: str, item: str = "edition") -> Line:
    return Line("subscription", "Pro × 5 seats", Decimal(amount), item=item)


def credit(amount: str, item: str = "edition") -> Line:
    return Line("proration_credit", "Unused time on Pro", Decimal(amount), item=item)


class TestBuyerTreatment:
    def test_a_catalog_without_tax_taxes_nothing(self) -> None:
        plain = Catalog("EUR", "seat", (), ())
        assert (
            buyer_treatment(plain, Account("a", "A", "EUR", country="FR"), on=date(2026, 3, 1))
            is None
        )

    def test_an_account_without_a_country_is_taxed_as_in_the_sellers(self) -> None:
        account = Account("a", "A", "EUR")
        assert buyer_treatment(a_catalog(), account, on=date(2026, 3, 1)) == STANDARD

    def test_reverse_charge_for_valid_eu_business_id_in_another_country(self) -> None:
        account = Account("a", "A", "EUR", country="DE", tax_id="DE136695976")
        assert buyer_treatment(a_catalog(), account, on=date(2026, 3, 1)) == REVERSE


class TestLineTreatments:
    def test_a_credit_takes_the_treatment_its_item_was_charged_at(self) -> None:
        lines = with_treatment(
            [charge("100.00"), credit("-50.00")], STANDARD, credited={"edition": OLD}
        )
        assert [line.tax for line in lines] == [STANDARD, OLD]
        assert [
            (str(t.rate), str(t.taxable), str(t.amount))
            for t in invoice_tax(lines, "exclusive", "EUR")
        ] == [
            ("20", "100.00", "20.00"),
            ("19.6", "-50.00", "-9.80"),
        ]

    def test_a_credit_of_an_item_never_charged_with_tax_takes_todays_treatment(self) -> None:
        (line,) = with_treatment([credit("-50.00", item="addon:x")], STANDARD, credited={})
        assert line.tax == STANDARD

    def test_without_a_treatment_lines_are_left_untaxed(self) -> None:
        lines = with_treatment([charge("10.00")], None)
        assert lines[0].tax is None and invoice_tax(lines, "exclusive", "EUR") == ()

    def test_the_charging_line_names_what_an_item_was_charged_at(self) -> None:
        lines = with_treatment([charge("10.00"), charge("5.00", "addon:x")], STANDARD)
        assert treatments_by_item(lines) == {"edition": STANDARD, "addon:x": STANDARD}


amounts = st.lists(st.integers(min_value=1, max_value=10_000_000), min_size=1, max_size=6)


class TestNetAmounts:
    @given(amounts, st.sampled_from([Decimal(20), Decimal("5.5"), Decimal("19.6"), Decimal(0)]))
    @example([8, 8, 8, 5], Decimal("5.5"))  # rounded half up one by one, the shares overshot
    def test_inclusive_net_amounts_add_up_to_each_rates_taxable(
        self, cents: list[int], rate: Decimal
    ) -> None:
        treatment = TaxTreatment(rate, "standard" if rate else "zero")
        lines = tuple(
            Line("subscription", "x", Decimal(c).scaleb(-2), item=f"i{n}", tax=treatment)
            for n, c in enumerate(cents)
        )
        tax = invoice_tax(lines, "inclusive", "EUR")
        nets = net_amounts(lines, tax, "inclusive", "EUR")
        assert sum(nets, Decimal(0)) == sum((t.taxable for t in tax), Decimal(0))
        assert all(net <= line.amount for net, line in zip(nets, lines, strict=True))

    def test_exclusive_net_amounts_are_the_lines(self) -> None:
        lines = with_treatment([charge("10.00"), charge("5.00", "a")], STANDARD)
        assert net_amounts(lines, invoice_tax(lines, "exclusive", "EUR"), "exclusive", "EUR") == (
            Decimal("10.00"),
            Decimal("5.00"),
        )


class TestJournal:
    @given(amounts)
    def test_a_taxed_invoice_owes_its_tax_per_rate_and_balances(self, cents: list[int]) -> None:
        lines = with_treatment(
            [charge(str(Decimal(c).scaleb(-2)), f"i{n}") for n, c in enumerate(cents)], STANDARD
        )
        tax = invoice_tax(lines, "exclusive", "EUR")
        gross = sum((line.amount for line in lines), Decimal(0)) + tax[0].amount
        entry = invoice_issued(gross, AT, "INV-1", tax)
        by_ledger = {line.ledger: line.amount for line in entry.lines}
        assert sum(by_ledger.values(), Decimal(0)) == 0
        assert by_ledger[RECEIVABLE] == gross
        assert -by_ledger.get(tax_ledger(Decimal(20)), Decimal(0)) == tax[0].amount  # none: 0
        assert -by_ledger[REVENUE] == tax[0].taxable

    def test_reverse_charge_owes_no_tax_and_has_no_tax_line(self) -> None:
        lines = with_treatment([charge("100.00")], REVERSE)
        entry = invoice_issued(
            Decimal("100.00"), AT, "INV-1", invoice_tax(lines, "exclusive", "EUR")
        )
        assert {line.ledger for line in entry.lines} == {RECEIVABLE, REVENUE}

    def test_a_ledger_names_its_rate(self) -> None:
        assert (tax_ledger(Decimal("20")), tax_ledger(Decimal("19.60"))) == ("tax:20", "tax:19.6")


class TestCreditNoteTax:
    def test_paying_back_an_invoice_with_a_credit_at_an_older_rate_gives_back_its_tax(
        self,
    ) -> None:
        """The invoice: +30.00 at 21 % (6.30) and −15.00 at 20 % (−3.00). A note crediting all
        of it gives back 6.30 and −3.00."""
        new = TaxTreatment(Decimal(21), "standard")
        lines = with_treatment(
            [charge("30.00"), credit("-15.00")], new, credited={"edition": STANDARD}
        )
        charged = invoice_tax(lines, "exclusive", "EUR")
        note = credit_note_tax(lines, charged, "exclusive", "EUR")
        assert {(str(t.rate), str(t.taxable), str(t.amount)) for t in note} == {
            ("21", "30.00", "6.30"),
            ("20", "-15.00", "-3.00"),
        }

    def test_a_credit_note_never_credits_more_tax_than_its_invoice(self) -> None:
        (line,) = with_treatment([charge("10.00")], STANDARD)
        charged = invoice_tax([line], "exclusive", "EUR")
        first = credit_note_tax([line], charged, "exclusive", "EUR")
        again = credit_note_tax([line], charged, "exclusive", "EUR", already_credited=first)
        assert sum((t.amount for t in first + again), Decimal(0)) == charged[0].amount
