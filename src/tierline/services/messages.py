"""In-app messages and webhook events share one outbox, written in the same transaction.

An event (`tierline.domain.events`) is stored as its kind and its facts (edition names, amounts
as decimal strings, instants in ISO 8601, document numbers), never as words:
`tierline.notify.messages` writes it in the reader's language when it is read.
"""

from __future__ import annotations

from datetime import datetime

from tierline.domain.events import Event
from tierline.store.uow import UnitOfWork


def notify(uow: UnitOfWork, account_id: str, at: datetime, event: Event) -> None:
    uow.outbox.add(account_id, at, event.kind, event.facts())
