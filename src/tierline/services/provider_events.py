"""A payment provider's webhook events: verified by the provider's signature, processed once
each (an event that comes again is acknowledged and changes nothing), and recorded through the
same services as the collector's answers. Events may come in any order: an outcome is recorded
only while the attempt has no final one, so a late "processing" after "succeeded" changes
nothing."""

from __future__ import annotations

from dataclasses import dataclass

from tierline.clock import Clock
from tierline.payments import Gateway
from tierline.services.collection import collect, record_outcome
from tierline.services.payment_setup import FinishSetup, finish_payment_setup, hosted
from tierline.store.uow import UnitOfWork


@dataclass(frozen=True)
class EventReceived:
    id: str
    kind: str
    duplicate: bool  # processed before: nothing was done this time
    attempt: str | None = None  # the payment attempt it was about


def receive_provider_event(
    payload: bytes, signature: str, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> EventReceived:
    """Process one event; `InvalidSignature` (and nothing recorded) unless it verifies. A
    failure recorded here commits the backup attempt, which is then sent."""
    event = hosted(gateway).event(payload, signature)
    if event.setup_id is not None:  # storing a method is idempotent by itself
        finish_payment_setup(FinishSetup(event.setup_id), uow=uow, clock=clock, gateway=gateway)
    now = clock.now()
    collect_for: str | None = None
    with uow:
        if not uow.payments.first_sight_of_event(event.provider, event.id, event.kind, now):
            return EventReceived(event.id, event.kind, duplicate=True, attempt=event.attempt)
        if event.attempt is not None and event.result is not None:
            try:
                attempt = uow.payments.get(event.attempt)
            except LookupError:
                attempt = None  # not one of Tierline's
            if attempt is not None:
                record_outcome(uow, attempt, event.result, now)
                if event.result.status == "failed":
                    collect_for = attempt.account_id
        uow.commit()
    if collect_for is not None:
        collect(uow=uow, clock=clock, gateway=gateway, account_id=collect_for, concurrency=1)
    return EventReceived(event.id, event.kind, duplicate=False, attempt=event.attempt)
