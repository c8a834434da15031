"""Webhook endpoints and their deliveries: one row per (outbox event, endpoint).

Deliveries are made from the outbox in sets (`enqueue`), and claimed in batches (`claim_due`):
on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so any number of dispatchers can run at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, exists, func, literal, select, update

from tierline.domain.pages import Page, PageRequest
from tierline.domain.webhooks import (
    CANCELED,
    DELIVERED,
    FAILED,
    PENDING,
    Delivery,
    DueDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tierline.errors import NotFound
from tierline.store.pages import keyset_page
from tierline.store.tables import UtcDateTime, outbox, webhook_deliveries, webhook_endpoints
from tierline.store.writer import Writer

_endpoints = webhook_endpoints
_deliveries = webhook_deliveries


class WebhookRepository:
    def __init__(self, conn: Connection, writer: Writer) -> None:
        self._conn = conn
        self._w = writer

    @property
    def _postgres(self) -> bool:
        return self._conn.dialect.name == "postgresql"

    # endpoints

    def add(self, endpoint: WebhookEndpoint) -> None:
        """Store an endpoint; it receives only events newer than the newest one now."""
        self._w.flush()
        self._conn.execute(
            _endpoints.insert().values(
                id=endpoint.id,
                url=endpoint.url,
                secret=endpoint.secret,
                event_types=list(endpoint.event_types),
                enabled=endpoint.enabled,
                created_at=endpoint.created_at,
                enqueued_through=self._newest_event_id(),
            )
        )

    def find(self, endpoint_id: str) -> WebhookEndpoint | None:
        row = self._conn.execute(select(_endpoints).where(_endpoints.c.id == endpoint_id)).first()
        return None if row is None else _endpoint(row)

    def get(self, endpoint_id: str) -> WebhookEndpoint:
        endpoint = self.find(endpoint_id)
        if endpoint is None or not endpoint.enabled:
            raise NotFound(f"No webhook endpoint '{endpoint_id}'.", code="webhook_endpoint_missing")
        return endpoint

    def list_endpoints(self, *, include_disabled: bool = False) -> list[WebhookEndpoint]:
        query = select(_endpoints).order_by(_endpoints.c.created_at, _endpoints.c.id)
        if not include_disabled:
            query = query.where(_endpoints.c.enabled.is_(True))
        return [_endpoint(row) for row in self._conn.execute(query)]

    def endpoint_page(self, request: PageRequest) -> Page[WebhookEndpoint]:
        """The endpoints not deleted, oldest first; a deleted one still marks a cursor's place."""
        found = keyset_page(
            self._conn,
            select(_endpoints).where(_endpoints.c.enabled.is_(True)),
            (_endpoints.c.created_at, _endpoints.c.id),
            request,
            cursor=lambda endpoint_id: _endpoints.c.id == endpoint_id,
        )
        return found.map(_endpoint)

    def disable(self, endpoint_id: str) -> None:
        """Send nothing more to this endpoint: what was waiting for it is canceled."""
        self._conn.execute(
            update(_endpoints).where(_endpoints.c.id == endpoint_id).values(enabled=False)
        )
        self._conn.execute(
            update(_deliveries)
            .where(_deliveries.c.endpoint_id == endpoint_id, _deliveries.c.status == PENDING)
            .values(status=CANCELED, next_attempt_at=None)
        )

    # deliveries

    def enqueue(self, due_at: datetime, *, observed_at: datetime, settle_after: timedelta) -> int:
        """Make a pending delivery, due at `due_at`, of every outbox event not yet considered for
        each enabled endpoint whose event types match; return how many were made.

        Each endpoint keeps its own high-water mark. The mark trails the newest event by
        `settle_after` (measured on the wall clock, `observed_at`), and events above it are
        looked at again on each run: a transaction that took an event id early but committed
        after a newer event was seen is still picked up. Set-based: one INSERT … SELECT per
        endpoint. An endpoint another dispatcher is working on is skipped.
        """
        self._w.flush()
        query = select(_endpoints).where(_endpoints.c.enabled.is_(True)).order_by(_endpoints.c.id)
        if self._postgres:
            query = query.with_for_update(skip_locked=True)
        endpoints = self._conn.execute(query).all()
        if not endpoints:
            return 0
        newest = self._newest_event_id()
        made = 0
        for row in endpoints:
            made += self._enqueue_for(row, due_at)
            through, scan, since = row.enqueued_through, row.scan_through, row.scan_since
            if scan is not None and observed_at - since >= settle_after:
                through, scan, since = max(through, scan), None, None
            if scan is None and newest > through:
                scan, since = newest, observed_at
            if (through, scan, since) != (row.enqueued_through, row.scan_through, row.scan_since):
                self._conn.execute(
                    update(_endpoints)
                    .where(_endpoints.c.id == row.id)
                    .values(enqueued_through=through, scan_through=scan, scan_since=since)
                )
        return made

    def _enqueue_for(self, endpoint: Any, due_at: datetime) -> int:
        already = exists().where(
            _deliveries.c.event_id == outbox.c.id, _deliveries.c.endpoint_id == endpoint.id
        )
        events = select(
            outbox.c.id,
            literal(endpoint.id),
            literal(PENDING),
            literal(0),
            literal(due_at, UtcDateTime),
        ).where(outbox.c.id > endpoint.enqueued_through, ~already)
        if endpoint.event_types:
            events = events.where(outbox.c.kind.in_(list(endpoint.event_types)))
        result = self._conn.execute(
            _deliveries.insert().from_select(
                ["event_id", "endpoint_id", "status", "attempts", "next_attempt_at"], events
            )
        )
        return max(int(result.rowcount or 0), 0)

    def claim_due(self, now: datetime, *, limit: int, lease_until: datetime) -> list[DueDelivery]:
        """Take up to `limit` pending deliveries due by `now` and hide them from other
        dispatchers until `lease_until`: if this one dies, they fall due again then."""
        query = (
            select(
                _deliveries.c.event_id,
                _deliveries.c.endpoint_id,
                _deliveries.c.attempts,
                _endpoints.c.url,
                _endpoints.c.secret,
                outbox.c.account_id,
                outbox.c.at,
                outbox.c.kind,
                outbox.c.payload,
            )
            .select_from(
                _deliveries.join(outbox, outbox.c.id == _deliveries.c.event_id).join(
                    _endpoints, _endpoints.c.id == _deliveries.c.endpoint_id
                )
            )
            .where(
                _deliveries.c.status == PENDING,
                _deliveries.c.next_attempt_at <= now,
                _endpoints.c.enabled.is_(True),
            )
            .order_by(_deliveries.c.next_attempt_at, _deliveries.c.event_id)
            .limit(limit)
        )
        if self._postgres:
            query = query.with_for_update(of=_deliveries, skip_locked=True)
        rows = self._conn.execute(query).all()
        if not rows:
            return []
        self._conn.execute(
            update(_deliveries)
            .where(
                _deliveries.c.event_id == bindparam("k_event"),
                _deliveries.c.endpoint_id == bindparam("k_endpoint"),
            )
            .values(next_attempt_at=lease_until),
            [{"k_event": r.event_id, "k_endpoint": r.endpoint_id} for r in rows],
        )
        return [
            DueDelivery(
                event=WebhookEvent(
                    id=r.event_id,
                    account_id=r.account_id,
                    at=r.at,
                    kind=r.kind,
                    payload=dict(r.payload or {}),
                ),
                endpoint_id=r.endpoint_id,
                url=r.url,
                secret=r.secret,
                attempts=r.attempts,
            )
            for r in rows
        ]

    def record_attempt(
        self,
        event_id: int,
        endpoint_id: str,
        *,
        at: datetime,
        status_code: int | None,
        error: str | None,
        delivered: bool,
        retry_at: datetime | None,
    ) -> None:
        """Count one attempt: delivered, to be tried again at `retry_at`, or failed for good
        when there is no `retry_at`. A delivery no longer pending is left as it is."""
        status = DELIVERED if delivered else (PENDING if retry_at is not None else FAILED)
        self._conn.execute(
            update(_deliveries)
            .where(
                _deliveries.c.event_id == event_id,
                _deliveries.c.endpoint_id == endpoint_id,
                _deliveries.c.status == PENDING,
            )
            .values(
                status=status,
                attempts=_deliveries.c.attempts + 1,
                next_attempt_at=None if delivered else retry_at,
                last_status_code=status_code,
                last_error=error,
                delivered_at=at if delivered else None,
            )
        )

    def deliveries(
        self, *, endpoint_id: str | None = None, event_ids: Sequence[int] | None = None
    ) -> list[Delivery]:
        query = select(_deliveries).order_by(_deliveries.c.event_id, _deliveries.c.endpoint_id)
        if endpoint_id is not None:
            query = query.where(_deliveries.c.endpoint_id == endpoint_id)
        if event_ids is not None:
            query = query.where(_deliveries.c.event_id.in_(list(event_ids)))
        return [
            Delivery(
                event_id=r.event_id,
                endpoint_id=r.endpoint_id,
                status=r.status,
                attempts=r.attempts,
                next_attempt_at=r.next_attempt_at,
                last_status_code=r.last_status_code,
                last_error=r.last_error,
                delivered_at=r.delivered_at,
            )
            for r in self._conn.execute(query)
        ]

    def _newest_event_id(self) -> int:
        return int(self._conn.execute(select(func.coalesce(func.max(outbox.c.id), 0))).scalar_one())


def _endpoint(row: Any) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=row.id,
        url=row.url,
        secret=row.secret,
        event_types=tuple(row.event_types or ()),
        enabled=bool(row.enabled),
        created_at=row.created_at,
    )
