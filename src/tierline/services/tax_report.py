"""The tax report (`GET /v1/reports/tax`, `tierline report tax`): taxable amounts and tax per
country, rate and category over a period of issue dates; the figures are
`tierline.domain.tax_report`'s."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from tierline.domain.account import billing_currency
from tierline.domain.money import round_amount
from tierline.domain.tax_report import TaxReportRow, tax_report, totals
from tierline.errors import Invalid
from tierline.store.uow import UnitOfWork

MAX_DAYS = 3660  # ten years: a period longer than that is a typo


@dataclass(frozen=True)
class TaxReport:
    start: date  # first issue day counted (UTC)
    end: date  # last issue day counted, inclusive
    currency: str
    rows: tuple[TaxReportRow, ...]

    @property
    def taxable(self) -> Decimal:
        return totals(self.rows)[0]

    @property
    def tax(self) -> Decimal:
        return totals(self.rows)[1]


def tax_report_for(
    start: date, end: date, *, uow: UnitOfWork, currency: str | None = None
) -> TaxReport:
    """Documents issued from `start` to `end`, both days included (UTC), to the accounts billed
    in `currency` (one of the catalog's; default the catalog's own): a report sums one
    currency."""
    if end < start:
        raise Invalid("The period ends before it starts.", param="to")
    if (end - start).days > MAX_DAYS:
        raise Invalid(f"A tax report covers at most {MAX_DAYS} days.", param="to")
    since = datetime.combine(start, time(), tzinfo=UTC)
    until = datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC)
    with uow.reading():
        code = billing_currency(uow.catalog, currency)
        several = len(uow.catalog.billing_currencies()) > 1
        entries = uow.documents.tax_entries(since, until, code if several else None)
    return TaxReport(start, end, code, tax_report(entries))


CSV_COLUMNS = ("country", "rate", "category", "taxable", "tax", "invoices", "credit_notes",
               "currency")  # fmt: skip


def as_csv(report: TaxReport) -> str:
    """One row per country, rate and category, amounts as decimal strings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        writer.writerow(
            [
                row.country,
                format(row.rate.normalize(), "f"),
                row.category,
                row.taxable,
                row.tax,
                row.invoices,
                row.credit_notes,
                report.currency,
            ]
        )
    return out.getvalue()


def as_json(report: TaxReport) -> dict[str, object]:
    """The report as the API returns it: amounts as decimal strings in the currency."""
    currency = report.currency

    def amount(value: Decimal) -> str:
        return str(round_amount(value, currency))

    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "currency": currency,
        "rows": [
            {
                "country": row.country,
                "rate": format(row.rate.normalize(), "f"),
                "category": row.category,
                "taxable": amount(row.taxable),
                "tax": amount(row.tax),
                "invoices": row.invoices,
                "credit_notes": row.credit_notes,
            }
            for row in report.rows
        ],
        "taxable": amount(report.taxable),
        "tax": amount(report.tax),
    }
