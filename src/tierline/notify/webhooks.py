"""Webhooks out, signed per the Standard Webhooks spec.

Every state change writes an event into the outbox in its own transaction. A dispatcher run:

1. enqueues a delivery of each new event for every enabled endpoint that wants its type
   (an endpoint gets only events created after it was registered);
2. claims the deliveries that are due, in batches, and POSTs each one, signed with the
   endpoint's secret (`webhook-id`, `webhook-timestamp`, `webhook-signature` headers);
3. marks a 2xx answer delivered, and anything else, or no answer, a failed attempt to try again
   later with exponential backoff, until the attempts are used up.

Runs are stateless: start as many dispatchers as needed against one PostgreSQL database.
Delivery is at least once; receivers drop repeats by `webhook-id`, which is the same on every
attempt. Due times follow the runtime's clock (a test clock moves them); the signature's
timestamp is the wall clock's, because receivers check it against theirs.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

import httpx
from standardwebhooks import Webhook

from tierline.clock import Clock, SystemClock
from tierline.domain.webhooks import DueDelivery, RetryPolicy

if TYPE_CHECKING:
    from tierline.runtime import Runtime

SECRET_PREFIX = "whsec_"
USER_AGENT = "Tierline-Webhooks/1"


def new_secret() -> str:
    """A signing secret in the form Standard Webhooks libraries expect: `whsec_` + base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signed_headers(secret: str, message_id: str, sent_at: datetime, body: str) -> dict[str, str]:
    signature = Webhook(secret).sign(message_id, sent_at, body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


class Sender(Protocol):
    def send(self, url: str, headers: Mapping[str, str], body: bytes) -> int:
        """POST `body` to `url`; the response's status code. Raise if there is no response."""
        ...


@dataclass(frozen=True)
class HttpxSender:
    timeout: float = 10.0

    def send(self, url: str, headers: Mapping[str, str], body: bytes) -> int:
        response = httpx.post(
            url, content=body, headers=dict(headers), timeout=self.timeout, follow_redirects=False
        )
        return response.status_code


@dataclass
class Dispatcher:
    """Delivers the outbox to webhook endpoints; see the module docstring.

    `lease` hides a claimed batch from other dispatchers while it is sent: keep it longer than
    `batch_size` × the sender's timeout. `settle_after` is how long an outbox transaction may
    take to commit and still have its events sent.
    """

    sender: Sender = field(default_factory=HttpxSender)
    wall_clock: Clock = field(default_factory=SystemClock)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    batch_size: int = 20
    lease: timedelta = timedelta(minutes=10)
    settle_after: timedelta = timedelta(minutes=10)

    def dispatch_once(self, runtime: Runtime) -> int:
        """Enqueue new events, then attempt every delivery due now; the number delivered."""
        started = runtime.clock.now()
        self.enqueue(runtime, due_at=started)
        delivered = 0
        while batch := self.claim(runtime, due_by=started):
            delivered += sum(self.deliver(runtime, due) for due in batch)
        return delivered

    def enqueue(self, runtime: Runtime, *, due_at: datetime | None = None) -> int:
        """Make deliveries of the new outbox events, due at `due_at` (now if not given)."""
        with runtime.uow() as uow:
            made = uow.webhooks.enqueue(
                runtime.clock.now() if due_at is None else due_at,
                observed_at=self.wall_clock.now(),
                settle_after=self.settle_after,
            )
            uow.commit()
        return made

    def claim(self, runtime: Runtime, *, due_by: datetime | None = None) -> list[DueDelivery]:
        """Take a batch of deliveries due by `due_by` (now if not given)."""
        now = runtime.clock.now()
        with runtime.uow() as uow:
            batch = uow.webhooks.claim_due(
                now if due_by is None else due_by,
                limit=self.batch_size,
                lease_until=now + self.lease,
            )
            uow.commit()
        return batch

    def deliver(self, runtime: Runtime, due: DueDelivery) -> bool:
        """Send one claimed delivery and record the attempt; True if the endpoint took it."""
        body = json.dumps(due.event.message(), separators=(",", ":"), ensure_ascii=False)
        sent_at = self.wall_clock.now().astimezone(UTC)
        headers = signed_headers(due.secret, due.event.message_id, sent_at, body)
        status: int | None = None
        error: str | None = None
        try:
            status = self.sender.send(due.url, headers, body.encode())
        except Exception as exc:  # any failure to get an answer is a failed attempt
            error = f"{type(exc).__name__}: {exc}"[:1000]
        delivered = status is not None and 200 <= status < 300
        now = runtime.clock.now()
        retry_at = None if delivered else self.retry.next_attempt_at(due.attempts + 1, now)
        with runtime.uow() as uow:
            uow.webhooks.record_attempt(
                due.event.id,
                due.endpoint_id,
                at=now,
                status_code=status,
                error=error,
                delivered=delivered,
                retry_at=retry_at,
            )
            uow.commit()
        return delivered


def dispatch_once(runtime: Runtime, *, sender: Sender | None = None) -> int:
    """Deliver what is due now with a default dispatcher; the number delivered."""
    dispatcher = Dispatcher() if sender is None else Dispatcher(sender=sender)
    return dispatcher.dispatch_once(runtime)
