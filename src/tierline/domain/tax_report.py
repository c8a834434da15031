"""The tax report an accountant files a VAT return from: taxable amounts and tax per country,
rate and category over a period, invoices minus credit notes.

    rows = tax_report(entries)   # entries: every taxed document of the period, one per tax line

A document counts in the period of its issue date (UTC), in the country of its buyer as it was
issued; a credit note subtracts what it credits, whenever the invoice was issued. Void invoices
are left out (they were never a supply). Rows are ordered by country, then category, then rate,
highest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from tierline.domain.tax import CATEGORIES, TaxCategory

DocumentKind = Literal["invoice", "credit_note"]


@dataclass(frozen=True)
class TaxEntry:
    """One tax line of one document, as the report reads it."""

    kind: DocumentKind
    number: str
    country: str  # the buyer's, as the document was issued ("" when it named none)
    rate: Decimal
    category: TaxCategory
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True)
class TaxReportRow:
    country: str
    rate: Decimal
    category: TaxCategory
    taxable: Decimal  # invoices minus credit notes
    tax: Decimal
    invoices: int  # documents of each kind counted in the row
    credit_notes: int


def tax_report(entries: Iterable[TaxEntry]) -> tuple[TaxReportRow, ...]:
    sums: dict[tuple[str, Decimal, TaxCategory], list[Decimal]] = {}
    counts: dict[tuple[str, Decimal, TaxCategory], tuple[set[str], set[str]]] = {}
    for entry in entries:
        key = (entry.country, entry.rate, entry.category)
        sign = 1 if entry.kind == "invoice" else -1
        taxable, tax = sums.get(key, [Decimal(0), Decimal(0)])
        sums[key] = [taxable + sign * entry.taxable, tax + sign * entry.tax]
        invoices, notes = counts.setdefault(key, (set(), set()))
        (invoices if entry.kind == "invoice" else notes).add(entry.number)
    rows = [
        TaxReportRow(*key, taxable, tax, len(counts[key][0]), len(counts[key][1]))
        for key, (taxable, tax) in sums.items()
    ]
    return tuple(sorted(rows, key=lambda r: (r.country, CATEGORIES.index(r.category), -r.rate)))


def totals(rows: Iterable[TaxReportRow]) -> tuple[Decimal, Decimal]:
    """The taxable amount and the tax over all rows."""
    taxable = tax = Decimal(0)
    for row in rows:
        taxable += row.taxable
        tax += row.tax
    return taxable, tax
