"""In-app messages and webhook events share one outbox, written in the same transaction.

An event stores its kind, the facts its message is written from (`payload`: edition names,
amounts as decimal strings, instants in ISO 8601, document numbers) and an English `text`.
`tierline.notify.messages` writes it in the reader's language when it is read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tierline.domain.catalog import Catalog
from tierline.store.uow import UnitOfWork


def notify(
    uow: UnitOfWork,
    account_id: str,
    at: datetime,
    kind: str,
    text: str,
    **payload: Any,
) -> None:
    uow.outbox.add(account_id, at, kind, text, payload)


def cycle_length(catalog: Catalog, code: str) -> dict[str, int]:
    """A cycle's length as payload facts: `cycle_months` or `cycle_days`."""
    cycle = catalog.cycle(code)
    if cycle is None:
        return {}
    if cycle.length.months:
        return {"cycle_months": cycle.length.months}
    return {"cycle_days": cycle.length.days}
