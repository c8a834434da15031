"""Document lines and the items a subscription has paid for in its current period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from tierline.domain.periods import Period

LineKind = Literal[
    "subscription", "addon", "proration_charge", "proration_credit", "usage", "refund"
]


@dataclass(frozen=True)
class Line:
    kind: LineKind
    description: str
    amount: Decimal
    quantity: int | None = None
    unit_amount: Decimal | None = None
    period: Period | None = None
    item: str | None = None  # "edition" or "addon:<code>"


@dataclass(frozen=True)
class Charge:
    """One item of the plan as paid for the current period.

    `amount` covers [paid_from, period end); a credit for unused time is a share of it, so it can
    never exceed what was paid. `list_amount` is the full-cycle price it was sold at.
    """

    item: str
    code: str
    quantity: int
    unit_amount: Decimal | None
    list_amount: Decimal
    amount: Decimal
    paid_from: datetime
    invoice: str | None = None


def total(lines: tuple[Line, ...] | list[Line]) -> Decimal:
    return sum((line.amount for line in lines), Decimal(0))
