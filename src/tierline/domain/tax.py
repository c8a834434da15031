"""Tax: the treatment a buyer gets, a document's tax once per rate, and a credit note's tax.

    treatment = rate_for(rules, "FR", tax_id_valid=False, seller_country="FR", on=issue_day(at))
    tax = tax_breakdown([(Decimal("100.00"), treatment)], "exclusive", "EUR")
    # (TaxLine(rate=Decimal('20'), category='standard', taxable=Decimal('100.00'),
    #          amount=Decimal('20.00')),)

Tax is computed once per rate and category on a document, never per line (EN 16931 rule BR-CO-17),
rounded half up to the currency's minor unit:

- `exclusive` prices: taxable = the sum of that rate's net line amounts,
  tax = taxable × rate / 100.
- `inclusive` prices: gross = the sum of that rate's line amounts,
  tax = gross × rate / (100 + rate), taxable = gross − tax.

A credit note mirrors the invoice it credits: it takes the invoice's rates and categories, even if
the catalog's rates have changed since, and never credits more tax than the invoice charged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from tierline.domain.catalog import TaxPrices, TaxRate, TaxRules
from tierline.domain.money import multiply, round_amount, to_minor, zero

TaxCategory = Literal["standard", "zero", "reverse_charge", "outside_scope"]

# The order tax lines are listed in on a document.
CATEGORIES: tuple[TaxCategory, ...] = ("standard", "zero", "reverse_charge", "outside_scope")

# EN 16931 VAT category codes (UNTDID 5305, BT-118) and exemption reason codes (VATEX, BT-121).
EN16931_CATEGORY: Mapping[TaxCategory, str] = {
    "standard": "S",
    "zero": "Z",
    "reverse_charge": "AE",
    "outside_scope": "O",
}
VATEX: Mapping[TaxCategory, str] = {
    "reverse_charge": "VATEX-EU-AE",
    "outside_scope": "VATEX-EU-O",
}

# What a document must say about a category; English message ids, translated where they are read.
_MENTIONS: Mapping[TaxCategory, str] = {
    "reverse_charge": "Reverse charge",
    "outside_scope": "Not subject to VAT",
}


def mention_for(category: TaxCategory) -> str | None:
    """The words a document must carry for tax of this category, if any."""
    return _MENTIONS.get(category)


@dataclass(frozen=True)
class TaxTreatment:
    """The rate (in percent) and category that apply to a buyer on a day. Two treatments are equal
    when their rate and category are, so a treatment is also the key of a document's tax line."""

    rate: Decimal
    category: TaxCategory

    @property
    def mention(self) -> str | None:
        return mention_for(self.category)


@dataclass(frozen=True)
class TaxLine:
    """A document's tax for one rate and category (EN 16931 BG-23, a VAT breakdown)."""

    rate: Decimal
    category: TaxCategory
    taxable: Decimal
    amount: Decimal

    @property
    def treatment(self) -> TaxTreatment:
        return TaxTreatment(self.rate, self.category)

    @property
    def mention(self) -> str | None:
        return mention_for(self.category)

    @property
    def gross(self) -> Decimal:
        return self.taxable + self.amount


@dataclass(frozen=True)
class TaxTotals:
    taxable: Decimal
    tax: Decimal
    gross: Decimal  # taxable + tax: the document's amount, tax included


def issue_day(issued_at: datetime) -> date:
    """The day, in UTC, whose rates apply to a document issued at `issued_at`."""
    if issued_at.utcoffset() is None:
        raise ValueError("an issue instant must be timezone-aware")
    return issued_at.astimezone(UTC).date()


def rate_for(
    rules: TaxRules,
    country: str,
    region: str | None = None,
    *,
    tax_id_valid: bool = False,
    seller_country: str,
    on: date,
) -> TaxTreatment:
    """The treatment of a buyer in `country` (and `region`) on a document issued `on`.

    - A buyer with a valid tax id in a `reverse_charge` country other than the seller's: 0 %,
      `reverse_charge`.
    - Otherwise the rate in force `on` that day for the country; a rate for the buyer's region wins
      over the country-wide one. A rate of 0 is `zero`, any other `standard`.
    - A country with no rate in force: the `otherwise` rate, `outside_scope`.
    """
    if tax_id_valid and country in rules.reverse_charge and country != seller_country:
        return TaxTreatment(Decimal(0), "reverse_charge")
    found = rate_in_force(rules.rates, country, region, on)
    if found is None:
        return TaxTreatment(rules.otherwise, "outside_scope")
    return TaxTreatment(found.rate, "zero" if found.rate == 0 else "standard")


def rate_in_force(
    rates: Iterable[TaxRate], country: str, region: str | None, on: date
) -> TaxRate | None:
    """The region's rate in force `on`, else the country-wide one, else None."""
    in_force = [r for r in rates if r.country == country and r.in_force(on)]
    if region is not None:
        regional = next((r for r in in_force if r.region == region), None)
        if regional is not None:
            return regional
    return next((r for r in in_force if r.region is None), None)


def tax_breakdown(
    lines: Iterable[tuple[Decimal, TaxTreatment]], prices: TaxPrices, currency: str
) -> tuple[TaxLine, ...]:
    """A document's tax, one line per rate and category, from its (line amount, treatment) pairs.

    Line amounts are as priced: net with `exclusive` prices, tax included with `inclusive` ones.
    Each must be a whole number of minor units (lines are rounded before tax is worked out).
    """
    sums = _sum_by_treatment(lines, currency)
    return _ordered(_tax_line(t, amount, prices, currency) for t, amount in sums.items())


def tax_totals(tax_lines: Iterable[TaxLine], currency: str) -> TaxTotals:
    """The sums over a document's tax lines; zeros for a document without tax lines."""
    taxable = tax = zero(currency)
    for line in tax_lines:
        taxable += line.taxable
        tax += line.amount
    return TaxTotals(taxable=taxable, tax=tax, gross=taxable + tax)


def credit_tax(
    invoice: Sequence[TaxLine],
    credited: Iterable[tuple[Decimal, TaxTreatment]],
    prices: TaxPrices,
    currency: str,
    *,
    already_credited: Iterable[TaxLine] = (),
) -> tuple[TaxLine, ...]:
    """The tax of a credit note from the amounts it credits, each under the treatment of the
    invoice line it credits; `already_credited` are the tax lines of earlier credit notes of
    the same invoice.

    `credited` amounts are positive and as priced on the invoice (`prices` is the invoice's).
    Each treatment must be one the invoice charged. Per treatment, the tax credited so far is the
    tax of the amount credited so far, worked out as on the invoice and at most the invoice's:
    this note credits the difference that its amount makes. Crediting a whole invoice, at once or
    in parts, gives back exactly the tax it charged, never more; an amount credited beyond the
    invoice's gives back no further tax.
    """
    charged = {line.treatment: line for line in invoice}
    pairs = list(credited)
    for amount, treatment in pairs:
        if treatment not in charged:
            raise ValueError(
                f"the invoice charged no tax at {treatment.rate} % ({treatment.category})"
            )
        if amount < 0:
            raise ValueError(f"a credited amount must not be negative: {amount}")
    asked = _sum_by_treatment(pairs, currency)
    done_amount: dict[TaxTreatment, Decimal] = {}
    done_tax: dict[TaxTreatment, Decimal] = {}
    for earlier in already_credited:
        key = earlier.treatment
        as_priced = earlier.taxable if prices == "exclusive" else earlier.gross
        done_amount[key] = done_amount.get(key, Decimal(0)) + as_priced
        done_tax[key] = done_tax.get(key, Decimal(0)) + earlier.amount
    out: list[TaxLine] = []
    for treatment, amount in asked.items():
        line = charged[treatment]
        before = done_amount.get(treatment, Decimal(0))
        tax = _tax_so_far(line, before + amount, prices, currency) - _tax_so_far(
            line, before, prices, currency
        )
        left = line.amount - done_tax.get(treatment, Decimal(0))
        tax = max(min(tax, left), zero(currency))
        taxable = amount if prices == "exclusive" else amount - tax
        out.append(TaxLine(line.rate, line.category, taxable, tax))
    return _ordered(out)


def _tax_so_far(line: TaxLine, credited: Decimal, prices: TaxPrices, currency: str) -> Decimal:
    """The tax of `credited` of the invoice's `line` (as priced), the whole of it at most."""
    whole = line.taxable if prices == "exclusive" else line.gross
    if credited >= whole:
        return line.amount
    return _tax_line(line.treatment, credited, prices, currency).amount


def _tax_line(
    treatment: TaxTreatment, amount: Decimal, prices: TaxPrices, currency: str
) -> TaxLine:
    rate = Fraction(treatment.rate)
    if prices == "exclusive":
        tax = multiply(amount, rate / 100, currency)
        taxable = amount
    else:
        tax = multiply(amount, rate / (100 + rate), currency)
        taxable = amount - tax
    return TaxLine(treatment.rate, treatment.category, taxable, tax)


def _sum_by_treatment(
    lines: Iterable[tuple[Decimal, TaxTreatment]], currency: str
) -> dict[TaxTreatment, Decimal]:
    sums: dict[TaxTreatment, Decimal] = {}
    for amount, treatment in lines:
        to_minor(amount, currency)  # refuses an amount finer than the minor unit
        sums[treatment] = sums.get(treatment, Decimal(0)) + amount
    return {t: round_amount(amount, currency) for t, amount in sums.items()}


def _ordered(lines: Iterable[TaxLine]) -> tuple[TaxLine, ...]:
    return tuple(sorted(lines, key=lambda line: (CATEGORIES.index(line.category), -line.rate)))
