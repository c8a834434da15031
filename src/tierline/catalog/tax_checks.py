"""Rules about the catalog's `seller` and `tax` that look across fields, on a valid shape."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tierline.catalog.errors import CatalogIssue
from tierline.catalog.schema import CatalogModel, SellerModel, TaxModel, TaxRateModel
from tierline.taxids import is_valid_tax_id


def check_seller_and_tax(model: CatalogModel) -> list[CatalogIssue]:
    """Every problem of the seller and the tax rules, in file order."""
    issues: list[CatalogIssue] = []
    seller, tax = model.seller, model.tax
    if seller is not None:
        issues += _seller(seller)
    if tax is not None:
        if seller is None:
            issues.append(CatalogIssue("seller", "is required when tax is given"))
        elif tax.reverse_charge and seller.tax_id is None:
            issues.append(
                CatalogIssue("seller.tax_id", "is required when tax.reverse_charge lists countries")
            )
        issues += _tax(tax)
    return issues


def _seller(seller: SellerModel) -> list[CatalogIssue]:
    if seller.tax_id is None or is_valid_tax_id(seller.tax_id, seller.country):
        return []
    return [
        CatalogIssue(
            "seller.tax_id",
            f"'{seller.tax_id}' is not a valid tax id for {seller.country}"
            " (format or check digits)",
        )
    ]


def _tax(tax: TaxModel) -> list[CatalogIssue]:
    issues: list[CatalogIssue] = []
    for i, rate in enumerate(tax.rates):
        if rate.from_ is not None and rate.until is not None and rate.until <= rate.from_:
            issues.append(
                CatalogIssue(f"tax.rates[{i}].until", f"must be after from ({rate.from_})")
            )
    issues += _overlaps(tax.rates)
    first: dict[str, int] = {}
    for i, country in enumerate(tax.reverse_charge):
        if country in first:
            issues.append(
                CatalogIssue(
                    f"tax.reverse_charge[{i}]",
                    f"duplicate country (already tax.reverse_charge[{first[country]}])",
                )
            )
        first.setdefault(country, i)
    return issues


def _overlaps(rates: Sequence[TaxRateModel]) -> list[CatalogIssue]:
    """Two rates of one country and region may not be in force on the same day."""
    issues: list[CatalogIssue] = []
    for j, later in enumerate(rates):
        for i in range(j):
            earlier = rates[i]
            same_place = (earlier.country, earlier.region) == (later.country, later.region)
            if same_place and _meet(earlier, later):
                place = later.country + (f"-{later.region}" if later.region else "")
                issues.append(
                    CatalogIssue(
                        f"tax.rates[{j}]", f"dates overlap tax.rates[{i}], both rates of {place}"
                    )
                )
                break
    return issues


def _meet(a: TaxRateModel, b: TaxRateModel) -> bool:
    """Whether [from, until) ranges share a day; a missing end is open."""
    return _before(a.from_, b.until) and _before(b.from_, a.until)


def _before(start: date | None, end: date | None) -> bool:
    return start is None or end is None or start < end
