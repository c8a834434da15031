"""In-app messages and webhook events share one outbox, written in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
