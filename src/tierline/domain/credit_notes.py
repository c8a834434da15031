"""Credit notes for part of an invoice, and refunds of a payment: what is left to credit on each
line of an invoice, the lines an operator's selection credits, and the lines that document a
refund of an amount.

    left = creditable_lines(invoice, earlier)         # each line: charged, credited, left
    chosen = credit_selection(invoice, left, {0: None, 2: Decimal("5.00")})
    gross = credited_gross(invoice, [c.line for c in chosen], earlier, "EUR")  # tax included
    lines = lines_for_gross(invoice, left, earlier, Decimal("12.00"), "EUR")

- Only the lines that charged something (a positive amount) are credited; a line is never
  credited for more than its amount, counting the credit notes issued for the invoice before.
- Earlier credit lines are matched to the invoice's lines by item and period first (a partial
  credit note and a whole-invoice pay-back copy them), then by item in the invoice's order (a
  credit for unused time covers a part of the period).
- A credit line takes the rate and category of the invoice line it credits (`Line.tax`), so its
  tax is the invoice's, never more than the invoice charged (`document_tax.credit_note_tax`).
- A credit note is never worth more than what is left of the invoice's gross.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tierline.domain.document_tax import credit_note_tax
from tierline.domain.documents import CreditNote, Invoice, document_gross
from tierline.domain.errors import (
    CreditAboveWhatIsLeft,
    InvoiceNotCreditable,
    NothingToCredit,
)
from tierline.domain.lines import Line, total
from tierline.domain.money import quantum
from tierline.domain.tax import TaxLine
from tierline.domain.values import replace

CREDITABLE_STATUSES = ("paid", "open")


@dataclass(frozen=True)
class CreditableLine:
    """One line of an invoice: its position on it, what it charged, what earlier credit notes
    took back of it, and what is left to credit."""

    position: int
    line: Line
    credited: Decimal
    left: Decimal


def require_creditable(invoice: Invoice) -> None:
    if invoice.status not in CREDITABLE_STATUSES:
        raise InvoiceNotCreditable(
            f"Invoice {invoice.number} is {invoice.status}; only a paid or an open invoice is "
            "credited.",
            param="invoice",
            details={"invoice": invoice.number, "status": invoice.status},
        )


def earlier_notes(invoice: Invoice, notes: Sequence[CreditNote]) -> list[CreditNote]:
    """The credit notes issued for this invoice before."""
    return [n for n in notes if n.invoice_number == invoice.number]


def creditable_lines(invoice: Invoice, earlier: Sequence[CreditNote]) -> tuple[CreditableLine, ...]:
    """Every line of the invoice that charged something, with what is left of it to credit."""
    charging = [(i, line) for i, line in enumerate(invoice.lines) if line.amount > 0]
    credited = {i: Decimal(0) for i, _ in charging}
    unmatched: list[Line] = []
    for note in earlier:
        for line in note.lines:
            if line.amount <= 0:
                continue
            exact = [
                i
                for i, charged in charging
                if charged.item == line.item and charged.period == line.period
                and credited[i] < charged.amount
            ]  # fmt: skip
            rest = _take(exact, line, charging, credited)
            if rest > 0:
                unmatched.append(replace(line, amount=rest))
    for line in unmatched:
        same_item = [i for i, charged in charging if charged.item == line.item]
        rest = _take(same_item, line, charging, credited)
        if rest > 0:  # an item the invoice does not name: the lines in order
            _take([i for i, _ in charging], replace(line, amount=rest), charging, credited)
    return tuple(
        CreditableLine(i, line, credited[i], line.amount - credited[i]) for i, line in charging
    )


def _take(
    positions: list[int],
    line: Line,
    charging: list[tuple[int, Line]],
    credited: dict[int, Decimal],
) -> Decimal:
    """Count `line` against the given invoice lines in order; return what none of them holds."""
    amounts = dict(charging)
    rest = line.amount
    for i in positions:
        room = amounts[i].amount - credited[i]
        taken = min(room, rest)
        if taken > 0:
            credited[i] += taken
            rest -= taken
        if rest == 0:
            break
    return rest


@dataclass(frozen=True)
class Credited:
    """A line of a credit note and the position of the invoice line it credits."""

    position: int
    line: Line


def _credit_line(source: CreditableLine, amount: Decimal) -> Line:
    """A credit of `amount` of an invoice line: its item, period, wording and tax treatment;
    quantity and unit price only when the whole line is credited."""
    whole = amount == source.line.amount
    return replace(
        source.line,
        amount=amount,
        quantity=source.line.quantity if whole else None,
        unit_amount=source.line.unit_amount if whole else None,
    )


def credit_selection(
    invoice: Invoice,
    creditable: Sequence[CreditableLine],
    asked: Mapping[int, Decimal | None],
) -> tuple[Credited, ...]:
    """The (positive) lines of a credit note for the asked lines of the invoice, by position:
    None credits all that is left of the line, an amount that much of it."""
    require_creditable(invoice)
    by_position = {c.position: c for c in creditable}
    lines: list[Credited] = []
    for position, amount in sorted(asked.items()):
        field = f"lines[{position}].amount"
        found = by_position.get(position)
        if found is None:
            raise NothingToCredit(
                f"Line {position + 1} of {invoice.number} charged nothing to credit.",
                param=f"lines[{position}]",
            )
        wanted = found.left if amount is None else amount
        if amount is not None and amount > found.left:
            raise CreditAboveWhatIsLeft(
                f"Line {position + 1} of {invoice.number} has {found.left} left to credit "
                f"(it charged {found.line.amount}, {found.credited} was credited before).",
                param=field,
                details={"left": str(found.left), "asked": str(amount)},
            )
        if wanted > 0:
            lines.append(Credited(position, _credit_line(found, wanted)))
    if not lines:
        raise NothingToCredit(
            f"Choose at least one line of {invoice.number} with something left to credit.",
            param="lines",
        )
    return tuple(lines)


def _earlier_tax(earlier: Sequence[CreditNote]) -> list[TaxLine]:
    return [t for note in earlier for t in note.tax]


def credited_gross(
    invoice: Invoice, lines: Sequence[Line], earlier: Sequence[CreditNote], currency: str
) -> Decimal:
    """What a credit note of these (positive) lines of the invoice credits, tax included: the
    figure `services.taxing.tax_credit_note` gives it."""
    if not invoice.tax:
        return total(list(lines))
    prices = invoice.tax_prices or "exclusive"
    tax = credit_note_tax(
        lines, invoice.tax, prices, currency, already_credited=_earlier_tax(earlier)
    )
    return document_gross(total(list(lines)), tax, prices)


def left_of_invoice(invoice: Invoice, earlier: Sequence[CreditNote]) -> Decimal:
    """What is left of the invoice's gross once its earlier credit notes are counted."""
    return max(invoice.gross - sum((n.total for n in earlier), Decimal(0)), Decimal(0))


def check_within_invoice(
    invoice: Invoice, gross: Decimal, earlier: Sequence[CreditNote], *, param: str = "lines"
) -> None:
    left = left_of_invoice(invoice, earlier)
    if gross > left:
        raise CreditAboveWhatIsLeft(
            f"{invoice.number} has {left} left to credit, tax included; this credit note would "
            f"credit {gross}.",
            param=param,
            details={"left": str(left), "asked": str(gross)},
        )


def lines_for_gross(
    invoice: Invoice,
    creditable: Sequence[CreditableLine],
    earlier: Sequence[CreditNote],
    gross: Decimal,
    currency: str,
) -> tuple[Line, ...]:
    """The lines of a credit note worth `gross` (tax included), taken from the invoice's lines in
    order, each up to what is left of it. Where tax rounding cannot reach `gross` to the minor
    unit, the lines are worth the nearest amount below it."""
    unit = quantum(currency)
    chosen: list[Line] = []
    for found in creditable:
        if found.left <= 0:
            continue
        whole = [*chosen, _credit_line(found, found.left)]
        reached = credited_gross(invoice, whole, earlier, currency)
        if reached <= gross:
            chosen = whole
            if reached == gross:
                break
            continue
        low, high = 0, int(found.left / unit)  # minor units of this line, low always fits
        while low < high:
            middle = (low + high + 1) // 2
            trial = [*chosen, _credit_line(found, middle * unit)]
            if credited_gross(invoice, trial, earlier, currency) <= gross:
                low = middle
            else:
                high = middle - 1
        if low > 0:
            chosen.append(_credit_line(found, low * unit))
        break
    if not chosen:
        raise CreditAboveWhatIsLeft(
            f"Nothing of {invoice.number} is left to credit for {gross}.", param="amount"
        )
    return tuple(chosen)
