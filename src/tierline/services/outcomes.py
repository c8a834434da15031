"""Outcomes learnt by asking the provider: reconciliation of attempts whose outcome is not known
(no answer, a lost webhook), and a payment the customer completes in the portal.

Asking is by the attempt's key; what the provider says is recorded through the same service as
the collector's answers. An attempt the provider never received is not sent from here: the
collector sends it again under the same key (`tierline collect`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tierline.clock import Clock
from tierline.domain.documents import Payment
from tierline.errors import NotFound
from tierline.payments import ChargeResult, Gateway, GatewayTimeout, PaymentAction
from tierline.services.collection import collect, record_outcome
from tierline.services.payment_setup import hosted
from tierline.store.uow import UnitOfWork

RECONCILE_AFTER = timedelta(minutes=15)
_BATCH = 500


@dataclass(frozen=True)
class Reconciled:
    asked: int  # attempts the provider was asked about
    recorded: int  # whose new outcome was recorded
    waiting: int  # still processing or waiting for the customer
    not_received: int  # unknown to the provider, or no answer: left for the collector


def reconcile_payments(
    *,
    uow: UnitOfWork,
    clock: Clock,
    gateway: Gateway,
    older_than: timedelta = RECONCILE_AFTER,
    limit: int = _BATCH,
) -> Reconciled:
    """Ask the provider about every attempt sent, processing or waiting for authentication for
    longer than `older_than`, and record what it says; then send the backup attempts that the
    failures recorded made."""
    now = clock.now()
    with uow.reading():
        attempts = uow.payments.unsettled_since(now - older_than, limit=limit)
    recorded = waiting = not_received = 0
    failed_accounts: set[str] = set()
    for attempt in attempts:
        try:
            result = gateway.retrieve(attempt.idempotency_key)
        except GatewayTimeout:
            result = None
        if result is None:
            not_received += 1
            continue
        if result.status == attempt.status:
            waiting += 1
            continue
        _record(uow, attempt.id, result, clock)
        recorded += 1
        if result.status == "failed":
            failed_accounts.add(attempt.account_id)
        elif result.status != "succeeded":
            waiting += 1
    for account_id in sorted(failed_accounts):
        collect(uow=uow, clock=clock, gateway=gateway, account_id=account_id, concurrency=1)
    return Reconciled(len(attempts), recorded, waiting, not_received)


def _record(uow: UnitOfWork, attempt_id: str, result: ChargeResult, clock: Clock) -> None:
    with uow:
        record_outcome(uow, uow.payments.get(attempt_id), result, clock.now())
        uow.commit()


def payments_awaiting_action(account_id: str, *, uow: UnitOfWork) -> list[Payment]:
    """The account's payments waiting for the customer to authenticate them."""
    with uow.reading():
        return uow.payments.awaiting_action(account_id)


@dataclass(frozen=True)
class PaymentToComplete:
    attempt: Payment
    action: PaymentAction | None  # None: it needs the customer no more
    publishable_key: str
    script_url: str


def payment_to_complete(
    account_id: str, attempt_id: str, *, uow: UnitOfWork, gateway: Gateway
) -> PaymentToComplete:
    """What the portal's "Complete your payment" page needs for one of the account's payments."""
    provider = hosted(gateway)
    attempt = _attempt_of(uow, account_id, attempt_id)
    action = None
    if attempt.status == "requires_action" and attempt.provider_reference:
        action = provider.payment_action(attempt.provider_reference)
    return PaymentToComplete(attempt, action, provider.publishable_key, provider.script_url)


def refresh_payment(
    account_id: str, attempt_id: str, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> Payment:
    """Ask the provider where one of the account's payments stands (the customer has just
    authenticated it, say) and record it; the attempt as it is now."""
    attempt = _attempt_of(uow, account_id, attempt_id)
    if attempt.in_flight and attempt.status != "created":
        result = gateway.retrieve(attempt.idempotency_key)
        if result is not None and result.status != attempt.status:
            _record(uow, attempt.id, result, clock)
            if result.status == "failed":
                collect(uow=uow, clock=clock, gateway=gateway, account_id=account_id, concurrency=1)
    return _attempt_of(uow, account_id, attempt_id)


def _attempt_of(uow: UnitOfWork, account_id: str, attempt_id: str) -> Payment:
    with uow.reading():
        try:
            attempt = uow.payments.get(attempt_id)
        except LookupError:
            attempt = None
    if attempt is None or attempt.account_id != account_id:
        raise NotFound(f"No payment '{attempt_id}'.", code="unknown_payment", param="payment")
    return attempt
