"""Tax: which rate applies, a document's tax once per rate, and a credit note mirroring its invoice.

The worked examples are done by hand; the properties hold for any document.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tierline.domain.catalog import TaxPrices, TaxRate, TaxRules
from tierline.domain.money import from_minor, quantum
from tierline.domain.tax import (
    TaxLine,
    TaxTreatment,
    credit_tax,
    issue_day,
    rate_for,
    tax_breakdown,
    tax_totals,
)

EU = frozenset({"AT", "BE", "DE", "ES", "FR", "IT", "NL"})

RULES = TaxRules(
    prices="exclusive",
    rates=(
        TaxRate("FR", Decimal("20"), valid_from=date(2014, 1, 1)),
        TaxRate("FR", Decimal("19.6"), valid_until=date(2014, 1, 1)),
        TaxRate("DE", Decimal("19")),
        TaxRate("US", Decimal("7.25"), region="CA"),
        TaxRate("GB", Decimal("0"), valid_until=date(2000, 1, 1)),
        TaxRate("IE", Decimal("0")),
    ),
    reverse_charge=EU,
    otherwise=Decimal("0"),
)

DAY = date(2026, 3, 1)
STANDARD_20 = TaxTreatment(Decimal("20"), "standard")


def d(text: str) -> Decimal:
    return Decimal(text)


def treatment(
    country: str,
    region: str | None = None,
    *,
    tax_id_valid: bool = False,
    seller_country: str = "FR",
    on: date = DAY,
    rules: TaxRules = RULES,
) -> TaxTreatment:
    return rate_for(
        rules, country, region, tax_id_valid=tax_id_valid, seller_country=seller_country, on=on
    )


class TestRateFor:
    def test_a_french_consumer_of_a_french_seller_pays_20_percent(self) -> None:
        assert treatment("FR") == TaxTreatment(d("20"), "standard")
        assert treatment("FR").mention is None

    def test_a_german_business_with_a_valid_vat_id_is_reverse_charged_by_a_french_seller(
        self,
    ) -> None:
        got = treatment("DE", tax_id_valid=True, seller_country="FR")

        assert (got.rate, got.category, got.mention) == (d("0"), "reverse_charge", "Reverse charge")

    def test_a_german_buyer_without_a_valid_tax_id_pays_the_german_rate(self) -> None:
        assert treatment("DE", tax_id_valid=False) == TaxTreatment(d("19"), "standard")

    def test_a_business_in_the_sellers_own_country_pays_its_rate(self) -> None:
        assert treatment("FR", tax_id_valid=True, seller_country="FR") == STANDARD_20

    def test_a_valid_tax_id_outside_the_reverse_charge_countries_changes_nothing(self) -> None:
        assert treatment("US", "CA", tax_id_valid=True) == TaxTreatment(d("7.25"), "standard")

    def test_the_rate_in_force_on_the_issue_date_applies(self) -> None:
        assert treatment("FR", on=date(2013, 12, 31)).rate == d("19.6")
        assert treatment("FR", on=date(2014, 1, 1)).rate == d("20")

    def test_a_region_rate_applies_in_its_region(self) -> None:
        assert treatment("US", "CA") == TaxTreatment(d("7.25"), "standard")

    def test_a_region_rate_wins_over_the_country_wide_rate(self) -> None:
        rules = TaxRules(
            rates=(TaxRate("US", d("7.25"), region="CA"), TaxRate("US", d("5"))),
        )

        assert treatment("US", "CA", rules=rules).rate == d("7.25")
        assert treatment("US", "NY", rules=rules).rate == d("5")
        assert treatment("US", None, rules=rules).rate == d("5")

    def test_a_region_rate_does_not_apply_outside_its_region(self) -> None:
        assert treatment("US", "NY") == TaxTreatment(d("0"), "outside_scope")
        assert treatment("US") == TaxTreatment(d("0"), "outside_scope")

    def test_a_country_with_no_rate_gets_the_otherwise_rate_outside_scope(self) -> None:
        rules = TaxRules(rates=RULES.rates, otherwise=d("5"))

        got = treatment("JP", rules=rules)

        assert (got.rate, got.category, got.mention) == (
            d("5"),
            "outside_scope",
            "Not subject to VAT",
        )

    def test_a_country_whose_rates_are_not_in_force_that_day_gets_the_otherwise_rate(self) -> None:
        assert treatment("GB") == TaxTreatment(d("0"), "outside_scope")
        assert treatment("GB", on=date(1999, 12, 31)) == TaxTreatment(d("0"), "zero")

    def test_a_rate_of_zero_listed_explicitly_is_category_zero(self) -> None:
        assert treatment("IE") == TaxTreatment(d("0"), "zero")

    def test_from_is_inclusive_and_until_exclusive(self) -> None:
        rate = TaxRate("FR", d("20"), valid_from=date(2014, 1, 1), valid_until=date(2015, 1, 1))

        assert not rate.in_force(date(2013, 12, 31))
        assert rate.in_force(date(2014, 1, 1))
        assert rate.in_force(date(2014, 12, 31))
        assert not rate.in_force(date(2015, 1, 1))


class TestIssueDay:
    def test_the_issue_day_is_the_utc_date(self) -> None:
        paris_new_year = datetime(2014, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))

        assert issue_day(paris_new_year) == date(2013, 12, 31)
        assert issue_day(datetime(2014, 1, 1, tzinfo=UTC)) == date(2014, 1, 1)

    def test_a_naive_instant_is_refused(self) -> None:
        with pytest.raises(ValueError):
            issue_day(datetime(2014, 1, 1))


class TestTaxBreakdown:
    def test_french_b2c_100_net_at_20_percent_is_20_tax(self) -> None:
        got = tax_breakdown([(d("100.00"), treatment("FR"))], "exclusive", "EUR")

        assert got == (TaxLine(d("20"), "standard", d("100.00"), d("20.00")),)

    def test_inclusive_120_at_20_percent_is_20_tax_on_100_taxable(self) -> None:
        got = tax_breakdown([(d("120.00"), STANDARD_20)], "inclusive", "EUR")

        assert got == (TaxLine(d("20"), "standard", d("100.00"), d("20.00")),)

    def test_reverse_charge_has_its_own_line_with_no_tax(self) -> None:
        reverse = treatment("DE", tax_id_valid=True)

        (line,) = tax_breakdown([(d("250.00"), reverse)], "exclusive", "EUR")

        assert line == TaxLine(d("0"), "reverse_charge", d("250.00"), d("0.00"))
        assert line.mention == "Reverse charge"

    def test_tax_is_worked_out_once_per_rate_not_per_line(self) -> None:
        # Per line: 1.05 × 10 % = 0.105 → 0.11, three times 0.33. Once on 3.15: 0.315 → 0.32.
        ten = TaxTreatment(d("10"), "standard")

        got = tax_breakdown([(d("1.05"), ten)] * 3, "exclusive", "EUR")

        assert got == (TaxLine(d("10"), "standard", d("3.15"), d("0.32")),)

    def test_inclusive_tax_is_worked_out_once_per_rate(self) -> None:
        # 3 × 1.00 at 20 % inclusive: 3.00 × 20 / 120 = 0.50; per line 0.1666… → 0.17 would be 0.51.
        got = tax_breakdown([(d("1.00"), STANDARD_20)] * 3, "inclusive", "EUR")

        assert got == (TaxLine(d("20"), "standard", d("2.50"), d("0.50")),)

    def test_one_line_per_rate_and_category_standard_first_then_higher_rates(self) -> None:
        lines = [
            (d("10.00"), TaxTreatment(d("0"), "reverse_charge")),
            (d("10.00"), TaxTreatment(d("5.5"), "standard")),
            (d("10.00"), STANDARD_20),
            (d("10.00"), TaxTreatment(d("0"), "zero")),
            (d("10.00"), TaxTreatment(d("0"), "outside_scope")),
            (d("5.00"), STANDARD_20),
        ]

        got = tax_breakdown(lines, "exclusive", "EUR")

        assert [(line.rate, line.category, line.taxable, line.amount) for line in got] == [
            (d("20"), "standard", d("15.00"), d("3.00")),
            (d("5.5"), "standard", d("10.00"), d("0.55")),
            (d("0"), "zero", d("10.00"), d("0.00")),
            (d("0"), "reverse_charge", d("10.00"), d("0.00")),
            (d("0"), "outside_scope", d("10.00"), d("0.00")),
        ]

    def test_a_credit_line_on_the_invoice_lowers_the_taxable_amount_of_its_rate(self) -> None:
        lines = [(d("100.00"), STANDARD_20), (d("-40.00"), STANDARD_20)]

        got = tax_breakdown(lines, "exclusive", "EUR")

        assert got == (TaxLine(d("20"), "standard", d("60.00"), d("12.00")),)

    def test_half_a_minor_unit_rounds_up(self) -> None:
        # 0.25 × 10 % = 0.025 → 0.03
        ten = TaxTreatment(d("10"), "standard")

        assert tax_breakdown([(d("0.25"), ten)], "exclusive", "EUR")[0].amount == d("0.03")

    def test_a_yen_document_rounds_to_whole_yen(self) -> None:
        # 1,005 × 10 % = 100.5 → 101
        ten = TaxTreatment(d("10"), "standard")

        got = tax_breakdown([(d("1005"), ten)], "exclusive", "JPY")

        assert got == (TaxLine(d("10"), "standard", d("1005"), d("101")),)

    def test_an_amount_finer_than_the_minor_unit_is_refused(self) -> None:
        with pytest.raises(ValueError):
            tax_breakdown([(d("1.005"), STANDARD_20)], "exclusive", "EUR")

    def test_a_document_without_lines_has_no_tax(self) -> None:
        assert tax_breakdown([], "exclusive", "EUR") == ()
        assert tax_totals((), "EUR").gross == d("0.00")

    def test_totals_add_up_taxable_and_tax_into_gross(self) -> None:
        lines = tax_breakdown(
            [(d("100.00"), STANDARD_20), (d("50.00"), TaxTreatment(d("5.5"), "standard"))],
            "exclusive",
            "EUR",
        )

        totals = tax_totals(lines, "EUR")

        assert (totals.taxable, totals.tax, totals.gross) == (d("150.00"), d("22.75"), d("172.75"))


class TestCreditTax:
    def test_a_credit_note_keeps_the_invoices_rate_after_the_rate_changed(self) -> None:
        invoiced_on, credited_on = date(2013, 12, 15), date(2014, 1, 10)
        invoice = tax_breakdown(
            [(d("100.00"), treatment("FR", on=invoiced_on))], "exclusive", "EUR"
        )
        assert treatment("FR", on=credited_on).rate == d("20")  # the rate today

        got = credit_tax(invoice, [(d("50.00"), invoice[0].treatment)], "exclusive", "EUR")

        assert invoice == (TaxLine(d("19.6"), "standard", d("100.00"), d("19.60")),)
        assert got == (TaxLine(d("19.6"), "standard", d("50.00"), d("9.80")),)

    def test_a_reverse_charged_invoice_is_credited_under_reverse_charge(self) -> None:
        reverse = treatment("DE", tax_id_valid=True)
        invoice = tax_breakdown([(d("80.00"), reverse)], "exclusive", "EUR")

        got = credit_tax(invoice, [(d("80.00"), reverse)], "exclusive", "EUR")

        assert got == (TaxLine(d("0"), "reverse_charge", d("80.00"), d("0.00")),)

    def test_crediting_a_whole_invoice_gives_back_exactly_its_tax(self) -> None:
        invoice = tax_breakdown([(d("33.33"), STANDARD_20)], "exclusive", "EUR")

        got = credit_tax(invoice, [(d("33.33"), STANDARD_20)], "exclusive", "EUR")

        assert got == invoice

    def test_crediting_an_invoice_in_parts_never_gives_back_more_than_its_tax(self) -> None:
        # Invoice: 33.33 + 33.33 + 33.34 = 100.00 at 20 % → 20.00. Each part alone would be 6.67
        # (6.666, 6.666, 6.668): three of them 20.01. The tax credited so far is that of the amount
        # credited so far: 33.33 → 6.67, 66.66 → 13.33, 100.00 → 20.00; so 6.67, 6.66, 6.67.
        parts = [d("33.33"), d("33.33"), d("33.34")]
        invoice = tax_breakdown([(p, STANDARD_20) for p in parts], "exclusive", "EUR")
        notes: list[TaxLine] = []

        for part in parts:
            notes += credit_tax(
                invoice, [(part, STANDARD_20)], "exclusive", "EUR", already_credited=notes
            )

        assert [line.amount for line in notes] == [d("6.67"), d("6.66"), d("6.67")]
        assert sum(line.amount for line in notes) == invoice[0].amount == d("20.00")

    def test_an_inclusive_credit_note_splits_its_gross_like_the_invoice(self) -> None:
        invoice = tax_breakdown([(d("120.00"), STANDARD_20)], "inclusive", "EUR")

        got = credit_tax(invoice, [(d("60.00"), STANDARD_20)], "inclusive", "EUR")

        assert got == (TaxLine(d("20"), "standard", d("50.00"), d("10.00")),)

    def test_crediting_more_than_the_invoice_still_credits_at_most_its_tax(self) -> None:
        # The invoice charged 60.00 net after a 40.00 credit line; a later credit of 80.00 of
        # the new plan's unused time may not give back more than the 12.00 of tax charged.
        invoice = tax_breakdown(
            [(d("100.00"), STANDARD_20), (d("-40.00"), STANDARD_20)], "exclusive", "EUR"
        )

        got = credit_tax(invoice, [(d("80.00"), STANDARD_20)], "exclusive", "EUR")

        assert got == (TaxLine(d("20"), "standard", d("80.00"), d("12.00")),)

    def test_crediting_a_rate_the_invoice_did_not_charge_is_refused(self) -> None:
        invoice = tax_breakdown([(d("100.00"), STANDARD_20)], "exclusive", "EUR")

        with pytest.raises(ValueError, match="no tax at 19"):
            credit_tax(invoice, [(d("10.00"), treatment("DE"))], "exclusive", "EUR")

    def test_a_negative_credited_amount_is_refused(self) -> None:
        invoice = tax_breakdown([(d("100.00"), STANDARD_20)], "exclusive", "EUR")

        with pytest.raises(ValueError, match="negative"):
            credit_tax(invoice, [(d("-10.00"), STANDARD_20)], "exclusive", "EUR")


# --- Properties ----------------------------------------------------------------------------------

CURRENCIES = st.sampled_from(["EUR", "JPY", "KWD"])
TREATMENTS = st.sampled_from(
    [
        TaxTreatment(d("20"), "standard"),
        TaxTreatment(d("19.6"), "standard"),
        TaxTreatment(d("7.25"), "standard"),
        TaxTreatment(d("5.5"), "standard"),
        TaxTreatment(d("0"), "zero"),
        TaxTreatment(d("0"), "reverse_charge"),
        TaxTreatment(d("0"), "outside_scope"),
        TaxTreatment(d("21"), "outside_scope"),
    ]
)
PRICES = st.sampled_from(["exclusive", "inclusive"])


@st.composite
def documents(
    draw: st.DrawFn, *, min_minor: int = -500_000
) -> tuple[str, list[tuple[Decimal, TaxTreatment]]]:
    currency = draw(CURRENCIES)
    pairs = draw(
        st.lists(
            st.tuples(st.integers(min_value=min_minor, max_value=5_000_000), TREATMENTS),
            max_size=12,
        )
    )
    return currency, [(from_minor(units, currency), t) for units, t in pairs]


def by_treatment(lines: list[tuple[Decimal, TaxTreatment]]) -> dict[TaxTreatment, Decimal]:
    sums: dict[TaxTreatment, Decimal] = {}
    for amount, t in lines:
        sums[t] = sums.get(t, Decimal(0)) + amount
    return sums


def within_half_a_minor_unit(value: Decimal, exact: Fraction, currency: str) -> bool:
    return abs(Fraction(value) - exact) <= Fraction(quantum(currency)) / 2


class TestProperties:
    @given(documents())
    def test_exclusive_taxable_adds_up_to_the_net_total(
        self, document: tuple[str, list[tuple[Decimal, TaxTreatment]]]
    ) -> None:
        currency, lines = document

        tax = tax_breakdown(lines, "exclusive", currency)

        assert sum((line.taxable for line in tax), Decimal(0)) == sum(
            (amount for amount, _ in lines), Decimal(0)
        )
        assert len({line.treatment for line in tax}) == len(tax)

    @given(documents())
    def test_exclusive_tax_per_rate_is_within_half_a_minor_unit_of_taxable_times_rate(
        self, document: tuple[str, list[tuple[Decimal, TaxTreatment]]]
    ) -> None:
        currency, lines = document

        for line in tax_breakdown(lines, "exclusive", currency):
            exact = Fraction(line.taxable) * Fraction(line.rate) / 100
            assert within_half_a_minor_unit(line.amount, exact, currency)

    @given(documents())
    def test_inclusive_taxable_plus_tax_is_the_gross_of_each_rate(
        self, document: tuple[str, list[tuple[Decimal, TaxTreatment]]]
    ) -> None:
        currency, lines = document
        gross = by_treatment(lines)

        tax = tax_breakdown(lines, "inclusive", currency)

        assert {line.treatment: line.taxable + line.amount for line in tax} == gross
        for line in tax:
            rate = Fraction(line.rate)
            exact = Fraction(gross[line.treatment]) * rate / (100 + rate)
            assert within_half_a_minor_unit(line.amount, exact, currency)
        assert tax_totals(tax, currency).gross == sum((a for a, _ in lines), Decimal(0))

    @given(
        documents(min_minor=0),
        PRICES,
        st.lists(st.lists(st.tuples(st.integers(0, 6_000_000), st.integers(0, 20)), max_size=4)),
    )
    def test_credit_notes_never_credit_more_tax_than_their_invoice_charged(
        self,
        document: tuple[str, list[tuple[Decimal, TaxTreatment]]],
        prices: TaxPrices,
        notes: list[list[tuple[int, int]]],
    ) -> None:
        currency, lines = document
        invoice = tax_breakdown(lines, prices, currency)
        if not invoice:
            return
        credited: list[TaxLine] = []

        for note in notes:
            asked = [
                (from_minor(units, currency), invoice[pick % len(invoice)].treatment)
                for units, pick in note
            ]
            credited += credit_tax(invoice, asked, prices, currency, already_credited=credited)

        assert all(c.amount >= 0 and c.taxable >= 0 for c in credited)
        for line in invoice:
            given_back = sum(
                (c.amount for c in credited if c.treatment == line.treatment), Decimal(0)
            )
            assert given_back <= line.amount

    @given(documents(min_minor=0), PRICES)
    def test_crediting_a_whole_invoice_at_once_mirrors_its_tax(
        self, document: tuple[str, list[tuple[Decimal, TaxTreatment]]], prices: TaxPrices
    ) -> None:
        currency, lines = document
        invoice = tax_breakdown(lines, prices, currency)

        got = credit_tax(invoice, lines, prices, currency)

        assert got == invoice

    @given(documents(min_minor=0), PRICES)
    def test_crediting_a_whole_invoice_line_by_line_gives_back_exactly_its_tax(
        self, document: tuple[str, list[tuple[Decimal, TaxTreatment]]], prices: TaxPrices
    ) -> None:
        currency, lines = document
        invoice = tax_breakdown(lines, prices, currency)
        credited: list[TaxLine] = []

        for line in lines:
            credited += credit_tax(invoice, [line], prices, currency, already_credited=credited)

        for charged in invoice:
            mine = [c for c in credited if c.treatment == charged.treatment]
            assert sum((c.amount for c in mine), Decimal(0)) == charged.amount
            assert sum((c.taxable for c in mine), Decimal(0)) == charged.taxable
