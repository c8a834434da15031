"""Webhook deliveries as the console lists them (newest first, with their event), and a
delivery sent again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, select, update

from tierline.domain.webhooks import PENDING
from tierline.store.tables import outbox, webhook_deliveries, webhook_endpoints


@dataclass(frozen=True)
class DeliveryRow:
    event_id: int
    endpoint_id: str
    url: str
    kind: str
    account_id: str
    event_at: datetime
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None


class WebhookLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _query(self) -> Select[Any]:
        d, o, e = webhook_deliveries.c, outbox.c, webhook_endpoints.c
        return (
            select(
                d.event_id, d.endpoint_id, e.url, o.kind, o.account_id, o.at, d.status,
                d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.delivered_at,
            )
            .join(outbox, o.id == d.event_id)
            .join(webhook_endpoints, e.id == d.endpoint_id)
        )  # fmt: skip

    def recent(self, *, limit: int = 200, account_id: str | None = None) -> list[DeliveryRow]:
        d = webhook_deliveries.c
        query = self._query().order_by(d.event_id.desc(), d.endpoint_id).limit(limit)
        if account_id is not None:
            query = query.where(outbox.c.account_id == account_id)
        return [DeliveryRow(*row) for row in self._conn.execute(query)]

    def find(self, event_id: int, endpoint_id: str) -> DeliveryRow | None:
        d = webhook_deliveries.c
        row = self._conn.execute(
            self._query().where(d.event_id == event_id, d.endpoint_id == endpoint_id)
        ).first()
        return None if row is None else DeliveryRow(*row)

    def replay(self, event_id: int, endpoint_id: str, now: datetime) -> bool:
        """Send the delivery again from now, whatever became of it; False when unknown."""
        d = webhook_deliveries.c
        result = self._conn.execute(
            update(webhook_deliveries)
            .where(d.event_id == event_id, d.endpoint_id == endpoint_id)
            .values(status=PENDING, next_attempt_at=now, last_error=None)
        )
        return result.rowcount == 1
