"""The tax report over the documents of every account, on each store.

France 20 %, Germany 19 %, reverse charge in the EU (see `test_tax_on_documents`). Basic 3.00 a
seat a month.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from service_builders import MID_FEBRUARY, Billing, eur, policy
from test_tax_on_documents import SELLER, details, tax_rules

from tierline.services.tax_report import as_csv, as_json, tax_report_for


def rows(billing: Billing, start: date, end: date) -> list[tuple[str, str, str, str, str]]:
    report = tax_report_for(start, end, uow=billing.uow)
    return [(r.country, str(r.rate), r.category, str(r.taxable), str(r.tax)) for r in report.rows]


def test_tax_report_sums_per_country_rate_and_category_credit_notes_subtracted(
    billing: Billing,
) -> None:
    """Paris: 30.00 + 6.00 on Jan 31; on Feb 14 the restart credits 15.00 + 3.00 and invoices
    Pro 60.00 + 12.00. Berlin (reverse charge): 30.00 at 0 %. Munich (consumer): 30.00 +
    5.70. February alone: 60.00 − 15.00 = 45.00 taxable, 12.00 − 3.00 = 9.00 tax in France."""
    billing.install(
        seller=SELLER, tax=tax_rules(),
        policies={"upgrade": policy(proration="restart", credit_to="credit_note")},
    )  # fmt: skip
    for account, country, tax_id in (("paris", "FR", ""), ("berlin", "DE", "DE136695976"),
                                     ("munich", "DE", "")):  # fmt: skip
        billing.account(account)
        details(billing, account, country=country, tax_id=tax_id)
        billing.subscribe(edition="basic", quantity=10, trial=False, account=account)
    billing.advance(MID_FEBRUARY)
    billing.change(edition="pro", account="paris")

    assert rows(billing, date(2026, 1, 1), date(2026, 1, 31)) == [
        ("DE", "19", "standard", "30.00", "5.70"),
        ("DE", "0", "reverse_charge", "30.00", "0.00"),
        ("FR", "20", "standard", "30.00", "6.00"),
    ]
    assert rows(billing, date(2026, 2, 1), date(2026, 2, 28)) == [
        ("FR", "20", "standard", "45.00", "9.00"),
    ]
    report = tax_report_for(date(2026, 1, 1), date(2026, 2, 28), uow=billing.uow)
    assert (report.taxable, report.tax) == (eur("135.00"), eur("20.70"))
    assert as_json(report)["tax"] == "20.70"
    assert as_csv(report).splitlines()[0] == (
        "country,rate,category,taxable,tax,invoices,credit_notes,currency"
    )
    assert "FR,20,standard,75.00,15.00,2,1,EUR" in as_csv(report).splitlines()
    assert report.rows[0].taxable + report.rows[1].taxable > Decimal(0)
