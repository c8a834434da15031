"""Document lines and the items a subscription has paid for in its current period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from tierline.domain.periods import Period
from tierline.domain.tax import TaxTreatment
from tierline.domain.units import UnitForms, english_category, unit_word
from tierline.domain.values import quick_init

LineKind = Literal[
    "subscription", "addon", "proration_charge", "proration_credit", "usage", "refund"
]

# What a line says: an item of the plan ("Pro × 10 seats"), the rest of the period on one
# ("Remaining time on …"), the unused part of one ("Unused time on …"), the credit for the old
# plan on a receipt, where the part of that credit left over went, and what the balance paid.
Topic = Literal[
    "item", "remaining", "unused", "credit", "refunded_to_card", "carried_to_balance",
    "paid_from_balance",
]  # fmt: skip


@quick_init
@dataclass(frozen=True)
class Wording:
    """What a line says, in no language: `describe` puts it into words for a reader.

    `name` is the edition's or add-on's name when the line was written; `unit` what the
    quantity counts (the catalog's `quantity_unit`) for an edition, None for packs;
    `reference` the credit note a credit comes from.
    """

    topic: Topic
    name: str | None = None
    unit: str | None = None
    reference: str | None = None


@quick_init
@dataclass(frozen=True)
class Line:
    kind: LineKind
    description: str
    amount: Decimal
    quantity: int | None = None
    unit_amount: Decimal | None = None
    period: Period | None = None
    item: str | None = None  # "edition" or "addon:<code>"
    wording: Wording | None = None  # None on lines written before lines had one
    tax: TaxTreatment | None = None  # the rate and category it is taxed at; None: no tax


@dataclass(frozen=True, kw_only=True)
class LineWords:
    """A line's description templates in one language (`str.format` placeholders)."""

    item: str = "{name} × {count}"  # count: "10 seats", or the number of packs
    remaining: str = "Remaining time on {item}"
    unused: str = "Unused time on {item}"
    credit: str = "Credit for unused time"
    refund: str = "Refund for unused time"
    reference: str = "{text} ({reference})"
    refunded_to_card: str = "Refunded to the card"
    carried_to_balance: str = "Carried to the balance"
    paid_from_balance: str = "Paid from balance"


ENGLISH_LINES = LineWords()

# (quantity, unit or None for packs) → "10 seats", "2"
Count = Callable[[int, str | None], str]


def english_count(declared: UnitForms | None = None) -> Count:
    """Counts as stored on a line: digits, and the unit's English form for that number."""

    def count(quantity: int, unit: str | None) -> str:
        if unit is None:
            return str(quantity)
        return f"{quantity} {unit_word(unit, 'en', english_category(quantity), declared)}"

    return count


def describe(
    kind: LineKind,
    wording: Wording,
    quantity: int | None,
    *,
    words: LineWords = ENGLISH_LINES,
    count: Count | None = None,
) -> str:
    """A line's description: the one place a line is put into words, in any language.

    Lines are stored with their English description (`words` and `count` left out); a document
    or a page shows it in its reader's language by passing that language's `words` and `count`.
    """
    topic = wording.topic
    if topic in ("item", "remaining", "unused"):
        number = (count or english_count())(quantity or 0, wording.unit)
        item = words.item.format(name=wording.name or "", count=number)
        if topic == "item":
            return item
        return (words.remaining if topic == "remaining" else words.unused).format(item=item)
    if topic == "credit":
        text = words.refund if kind == "refund" else words.credit
        if wording.reference:
            return words.reference.format(text=text, reference=wording.reference)
        return text
    if topic == "refunded_to_card":
        return words.refunded_to_card
    if topic == "carried_to_balance":
        return words.carried_to_balance
    return words.paid_from_balance


@quick_init
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
