"""Webhook endpoints, the events they receive and when a failed delivery is tried again.

An event is one outbox record; its message body follows the Standard Webhooks shape:
`{"type": kind, "timestamp": ISO 8601 UTC, "data": {"account_id", "text", **payload}}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tierline.domain.events import plain_text

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"  # every attempt used up
CANCELED = "canceled"  # the endpoint was deleted first


@dataclass(frozen=True)
class WebhookEndpoint:
    id: str
    url: str
    secret: str
    event_types: tuple[str, ...]  # empty: every event
    enabled: bool
    created_at: datetime

    def receives(self, kind: str) -> bool:
        return not self.event_types or kind in self.event_types


_EVENT_PREFIX = "evt_"


def event_message_id(event_id: int) -> str:
    """How an outbox event (a webhook event, an in-app message) is named outside: `evt_42`."""
    return f"{_EVENT_PREFIX}{event_id}"


def event_id_of(message_id: str) -> int | None:
    """The outbox event `event_message_id` names, or None if it names none."""
    number = message_id.removeprefix(_EVENT_PREFIX)
    if number == message_id or not (number.isascii() and number.isdigit()) or len(number) > 18:
        return None  # 18 digits at most: any larger is beyond a database integer
    return int(number)


@dataclass(frozen=True)
class WebhookEvent:
    id: int
    account_id: str
    at: datetime
    kind: str
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return plain_text(self.kind, self.payload)

    @property
    def message_id(self) -> str:
        """The `webhook-id`: the same for every attempt and every endpoint."""
        return event_message_id(self.id)

    def message(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "timestamp": self.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "data": {"account_id": self.account_id, "text": self.text, **self.payload},
        }


@dataclass(frozen=True)
class Delivery:
    """One event for one endpoint, and how its attempts went."""

    event_id: int
    endpoint_id: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None


@dataclass(frozen=True)
class DueDelivery:
    """A claimed delivery, with what it takes to send it."""

    event: WebhookEvent
    endpoint_id: str
    url: str
    secret: str
    attempts: int  # made before this one


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: `first_delay` × 2^(failures − 1), at most `max_delay`, for at most
    `max_attempts` attempts in all. The defaults retry for about 14 hours."""

    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=6)
    max_attempts: int = 12

    def __post_init__(self) -> None:
        if self.first_delay <= timedelta(0) or self.max_attempts < 1:
            raise ValueError("a retry waits some time, and there is at least one attempt")

    def next_attempt_at(self, failures: int, failed_at: datetime) -> datetime | None:
        """When to try again after `failures` failed attempts; None once they are used up."""
        if failures >= self.max_attempts:
            return None
        delay = self.first_delay * (1 << min(max(failures - 1, 0), 30))
        return failed_at + min(delay, self.max_delay)
