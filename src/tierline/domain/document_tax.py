"""Tax on a document: which treatment each line gets, and the document's tax lines.

    treatment = buyer_treatment(catalog, account, on=issue_day(now))
    lines = with_treatment(lines, treatment, credited={"edition": old_treatment})
    tax = invoice_tax(lines, catalog.tax.prices, "EUR")

- A line that charges takes the buyer's treatment on the issue day.
- A line that credits unused time (negative on an invoice, or on a credit note) takes the
  treatment of the invoice line that charged that item: a credit gives back the tax at the rate
  it was charged at, even after the rates changed.
- An account with no country is taxed as a buyer in the seller's country.
- A prepaid top-up is not taxed when it is bought: it is money kept for later, and what it will
  pay for (its rate, even whether it is taxed) is not known yet. The usage it pays is taxed when
  it is used, like any other supply (the EU's rule for multi-purpose vouchers, directive
  2016/1065).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

from tierline.domain.account import Account
from tierline.domain.catalog import Catalog, TaxPrices
from tierline.domain.lines import Line
from tierline.domain.money import currency_exponent
from tierline.domain.tax import (
    CATEGORIES,
    TaxLine,
    TaxTreatment,
    credit_tax,
    rate_for,
    tax_breakdown,
)
from tierline.domain.values import replace

_CREDITS = ("proration_credit", "refund")


def buyer_treatment(catalog: Catalog, account: Account, *, on: date) -> TaxTreatment | None:
    """The account's rate and category on a day; None when the catalog has no `tax`.

    An account's `tax_id` was checked when it was stored, so having one is having a valid one.
    """
    rules = catalog.tax
    if rules is None:
        return None
    seller_country = catalog.seller.country if catalog.seller else ""
    country = account.country or seller_country
    region = account.region if account.country else None
    return rate_for(
        rules, country, region, tax_id_valid=bool(account.tax_id),
        seller_country=seller_country, on=on,
    )  # fmt: skip


def is_credit(line: Line) -> bool:
    """A line that gives back money for time paid before."""
    return line.kind in _CREDITS and line.amount < 0


def with_treatment(
    lines: Iterable[Line],
    treatment: TaxTreatment | None,
    *,
    credited: Mapping[str, TaxTreatment] | None = None,
) -> tuple[Line, ...]:
    """Lines with their tax treatment: a credit line the treatment its item was charged at
    (`credited`, by item), any other line `treatment`. A line that has one keeps it."""
    if treatment is None:
        return tuple(lines)
    known = credited or {}
    out = []
    for line in lines:
        if line.tax is None:
            chosen = known.get(line.item or "", treatment) if is_credit(line) else treatment
            line = replace(line, tax=chosen)
        out.append(line)
    return tuple(out)


def invoice_tax(lines: Iterable[Line], prices: TaxPrices, currency: str) -> tuple[TaxLine, ...]:
    """An invoice's tax, once per rate and category, from its lines' treatments; lines with no
    treatment are not taxed."""
    pairs = [(line.amount, line.tax) for line in lines if line.tax is not None]
    if not pairs:
        return ()
    return tax_breakdown(pairs, prices, currency)


def treatments_by_item(lines: Iterable[Line]) -> dict[str, TaxTreatment]:
    """What each item was charged at on an invoice: the treatment of its charging line."""
    found: dict[str, TaxTreatment] = {}
    for line in lines:
        if line.item and line.tax is not None and line.amount > 0:
            found[line.item] = line.tax
    return found


def credit_note_tax(
    lines: Sequence[Line],
    invoice_tax_lines: Sequence[TaxLine],
    prices: TaxPrices,
    currency: str,
    *,
    already_credited: Iterable[TaxLine] = (),
) -> tuple[TaxLine, ...]:
    """A credit note's tax: its (positive) lines credited at the treatments they carry, which
    are the credited invoice's; never more tax than that invoice charged."""
    charged = {line.treatment for line in invoice_tax_lines}
    sums: dict[TaxTreatment, Decimal] = {}
    for line in lines:
        if line.tax is not None and line.tax in charged:
            sums[line.tax] = sums.get(line.tax, Decimal(0)) + line.amount
    credited = [(amount, t) for t, amount in sums.items() if amount >= 0]
    # A treatment credited negative (paying back a whole invoice that itself credited unused
    # time at an older rate) gives back that negative tax, worked out the same way.
    negative = [(amount, t) for t, amount in sums.items() if amount < 0]
    out: list[TaxLine] = []
    if credited:
        out += credit_tax(
            invoice_tax_lines, credited, prices, currency, already_credited=already_credited
        )
    if negative:
        out += tax_breakdown(negative, prices, currency)
    return merge_tax(out)


def merge_tax(lines: Iterable[TaxLine]) -> tuple[TaxLine, ...]:
    """Tax lines of the same rate and category summed into one."""
    sums: dict[TaxTreatment, tuple[Decimal, Decimal]] = {}
    for line in lines:
        taxable, amount = sums.get(line.treatment, (Decimal(0), Decimal(0)))
        sums[line.treatment] = (taxable + line.taxable, amount + line.amount)
    merged = [TaxLine(t.rate, t.category, taxable, amount) for t, (taxable, amount) in sums.items()]
    return tuple(sorted(merged, key=lambda x: (CATEGORIES.index(x.category), -x.rate)))


def net_amounts(
    lines: Sequence[Line], tax: Sequence[TaxLine], prices: TaxPrices | None, currency: str
) -> tuple[Decimal, ...]:
    """Each line's amount without tax, as an e-invoice states it (EN 16931 BT-131), so that
    each rate's net amounts add up to its taxable amount (BR-S-08).

    With `exclusive` prices (or no tax) a line's amount is already net. With `inclusive` ones,
    the tax of a rate is shared among its lines in proportion to their amounts (`_shared`), so
    no line's share is more than its exact part rounded up: a line's net is never more than
    its amount.
    """
    if prices != "inclusive":
        return tuple(line.amount for line in lines)
    shares: dict[int, Decimal] = {}
    for rate in tax:
        members = [i for i, line in enumerate(lines) if line.tax == rate.treatment]
        parts = [lines[i].amount for i in members]
        shares.update(zip(members, _shared(rate.amount, parts, rate.gross, currency), strict=True))
    return tuple(line.amount - shares.get(i, Decimal(0)) for i, line in enumerate(lines))


def _shared(
    total: Decimal, parts: Sequence[Decimal], whole: Decimal, currency: str
) -> list[Decimal]:
    """`total` shared in proportion to `parts` (which add up to `whole`), by largest remainder:
    each share is its exact part rounded down to the currency's minor unit, and the units left
    go one each to the shares rounded down most (the first of equals first). The shares add up
    to `total`. Parts that add up to nothing leave it all to the first."""
    if not parts:
        return []
    exponent = currency_exponent(currency)
    units = int(total.scaleb(exponent))
    if whole == 0:
        counted = [units] + [0] * (len(parts) - 1)
    else:
        exact = [
            Fraction(part) * Fraction(total) / Fraction(whole) * 10**exponent for part in parts
        ]
        counted = [math.floor(e) for e in exact]
        cut = sorted(range(len(parts)), key=lambda k: (counted[k] - exact[k], k))
        left = units - sum(counted)
        for k in cut[: max(0, min(left, len(parts)))]:
            counted[k] += 1
        counted[-1] += units - sum(counted)  # parts that do not add up to `whole`
    return [Decimal(n).scaleb(-exponent) for n in counted]
