"""An account's subscription: subscribe, read, preview and apply changes, auto-renewal."""

from __future__ import annotations

from fastapi import APIRouter

from tierline.api.deps import OperatorDep, RuntimeDep
from tierline.api.responses import error_responses
from tierline.api.schemas import (
    AutoRenewUpdate,
    ChangeCreate,
    ChangeRead,
    PreviewRead,
    SubscriptionCreate,
    SubscriptionRead,
)
from tierline.domain.subscription import Subscription
from tierline.runtime import Runtime
from tierline.services import change as change_service
from tierline.services import subscriptions as service
from tierline.services.catalog import current_catalog
from tierline.views import preview as preview_view
from tierline.views import subscription as subscription_view

router = APIRouter(
    prefix="/v1/accounts/{account_id}/subscription",
    tags=["subscriptions"],
    responses=error_responses(400, 401, 402, 403, 404, 409),
)


def subscription_read(rt: Runtime, sub: Subscription) -> SubscriptionRead:
    catalog = current_catalog(uow=rt.uow())
    view = subscription_view(sub, catalog)
    assert view is not None
    return SubscriptionRead(**view, currency=catalog.currency)


def _request(account_id: str, body: ChangeCreate) -> change_service.ChangeRequest:
    return change_service.ChangeRequest(account_id=account_id, **body.model_dump())


@router.post("", status_code=201, response_model=SubscriptionRead)
def subscribe(
    account_id: str, body: SubscriptionCreate, rt: RuntimeDep, _: OperatorDep
) -> SubscriptionRead:
    sub = service.subscribe(
        service.Subscribe(account_id=account_id, **body.model_dump()),
        uow=rt.uow(),
        clock=rt.clock,
        gateway=rt.gateway,
    )
    return subscription_read(rt, sub)


@router.get("", response_model=SubscriptionRead)
def get_subscription(account_id: str, rt: RuntimeDep, _: OperatorDep) -> SubscriptionRead:
    return subscription_read(rt, service.get_subscription(account_id, uow=rt.uow()))


@router.post("/preview", response_model=PreviewRead)
def preview_change(
    account_id: str, body: ChangeCreate, rt: RuntimeDep, _: OperatorDep
) -> PreviewRead:
    """What the change would charge or credit now, when it takes effect, and what it removes."""
    preview = change_service.preview_change(
        _request(account_id, body), uow=rt.uow(), clock=rt.clock
    )
    currency = current_catalog(uow=rt.uow()).currency
    return PreviewRead(**preview_view(preview, currency), currency=currency)


@router.post("/change", response_model=ChangeRead)
def apply_change(account_id: str, body: ChangeCreate, rt: RuntimeDep, _: OperatorDep) -> ChangeRead:
    result = change_service.apply_change(
        _request(account_id, body), uow=rt.uow(), clock=rt.clock, gateway=rt.gateway
    )
    currency = current_catalog(uow=rt.uow()).currency
    return ChangeRead(
        subscription=subscription_read(rt, result.subscription),
        preview=PreviewRead(**preview_view(result.preview, currency), currency=currency),
        invoice=result.invoice,
        credit_note=result.credit_note,
    )


@router.delete("/pending_change", response_model=SubscriptionRead)
def cancel_pending_change(account_id: str, rt: RuntimeDep, _: OperatorDep) -> SubscriptionRead:
    sub = change_service.cancel_pending_change(account_id, uow=rt.uow(), clock=rt.clock)
    return subscription_read(rt, sub)


@router.put("/auto_renew", response_model=SubscriptionRead)
def set_auto_renew(
    account_id: str, body: AutoRenewUpdate, rt: RuntimeDep, _: OperatorDep
) -> SubscriptionRead:
    sub = service.set_auto_renew(
        service.SetAutoRenew(account_id, body.enabled), uow=rt.uow(), clock=rt.clock
    )
    return subscription_read(rt, sub)
