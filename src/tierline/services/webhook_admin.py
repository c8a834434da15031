"""Webhooks from the console: the endpoints, recent deliveries with their status and attempts,
and a delivery sent again (the dispatcher sends it on its next pass)."""

from __future__ import annotations

from dataclasses import dataclass

from tierline.clock import Clock
from tierline.domain.webhooks import WebhookEndpoint
from tierline.errors import NotFound
from tierline.services.audit import Actor, write_entry
from tierline.services.operator_users import require
from tierline.store.uow import UnitOfWork
from tierline.store.webhook_log import DeliveryRow


@dataclass(frozen=True)
class WebhookOverview:
    endpoints: list[WebhookEndpoint]
    deliveries: list[DeliveryRow]


def webhook_overview(
    *, uow: UnitOfWork, account_id: str | None = None, limit: int = 200
) -> WebhookOverview:
    with uow.reading():
        return WebhookOverview(
            uow.webhooks.list_endpoints(include_disabled=True),
            uow.webhook_log.recent(limit=limit, account_id=account_id),
        )


def replay_delivery(
    actor: Actor, event_id: int, endpoint_id: str, *, uow: UnitOfWork, clock: Clock
) -> None:
    require(actor, "replay_webhook")
    now = clock.now()
    with uow:
        found = uow.webhook_log.find(event_id, endpoint_id)
        if found is None or not uow.webhook_log.replay(event_id, endpoint_id, now):
            raise NotFound(f"No delivery of event {event_id} to {endpoint_id}.",
                           code="unknown_delivery")  # fmt: skip
        write_entry(
            uow, actor, now, "webhook.replay", account_id=found.account_id,
            subject=f"{event_id}:{endpoint_id}",
            before={"status": found.status, "attempts": found.attempts},
            after={"status": "pending"},
        )  # fmt: skip
        uow.commit()
