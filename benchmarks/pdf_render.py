"""pdf-render: the time to render one invoice PDF in a fresh process, as `tierline serve` has it.

    python -m benchmarks.pdf_render

The first render of a process pays for what is loaded once (the fonts); the figure is the mean
of the 20 renders after it, each a French invoice of 10 lines. CPU time is the figure (it does
not move with the load of other processes); wall-clock time is printed beside it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from tierline.documents import Seller, render_invoice
from tierline.domain.account import Account
from tierline.domain.documents import Invoice
from tierline.domain.lines import Line
from tierline.domain.periods import Period

_MARCH = Period(datetime(2026, 3, 5, tzinfo=UTC), datetime(2026, 4, 5, tzinfo=UTC))


@dataclass(frozen=True)
class Result:
    first_ms: float  # CPU time of the first render
    mean_ms: float  # mean CPU time of the renders after it
    wall_ms: float  # mean wall-clock time of the same renders
    renders: int


def _invoice() -> Invoice:
    lines = tuple(
        Line("subscription", f"Professional edition — seat block {i}", Decimal("125"), 1,
             Decimal("125"), _MARCH, "edition")
        for i in range(10)
    )  # fmt: skip
    return Invoice(
        id="inv_bench", account_id="acc_bench", number="INV-2026-000001",
        subscription_id="sub_bench", reason="renewal", status="open",
        issued_at=datetime(2026, 3, 5, 9, tzinfo=UTC), due_at=datetime(2026, 3, 8, 9, tzinfo=UTC),
        lines=lines, subtotal=Decimal("1250"), credits_applied=Decimal(0),
        balance_applied=Decimal(0), total=Decimal("1250"), amount_paid=Decimal(0),
    )  # fmt: skip


def measure(renders: int = 20) -> Result:
    account = Account(id="acc_bench", name="Les Amis du Vélo", currency="EUR", locale="fr")
    seller = Seller(name="Tierline Demo SAS", address=("12 rue de la Paix", "75002 Paris"))
    invoice = _invoice()
    start = time.process_time()
    render_invoice(invoice, account, seller)
    first = time.process_time() - start
    start, wall = time.process_time(), time.perf_counter()
    for _ in range(renders):
        render_invoice(invoice, account, seller)
    mean = (time.process_time() - start) / renders
    wall = (time.perf_counter() - wall) / renders
    return Result(first * 1000, mean * 1000, wall * 1000, renders)


if __name__ == "__main__":
    found = measure()
    print(
        f"pdf-render: {found.mean_ms:.1f} ms CPU per invoice (mean of {found.renders},"
        f" {found.wall_ms:.1f} ms wall); first render {found.first_ms:.1f} ms CPU"
    )
