"""Subscriptions: subscribe (an edition, or packs beside it), list, read, preview and apply
changes, cancel a scheduled change, auto-renewal. An account has any number of them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tierline.api.deps import OperatorDep, PageDep, RuntimeDep
from tierline.api.responses import error_responses, refusals
from tierline.api.schemas import (
    AutoRenewUpdate,
    ChangeCreate,
    ChangeRead,
    PreviewRead,
    PriceChangeRead,
    SubscriptionCreate,
    SubscriptionPage,
    SubscriptionRead,
)
from tierline.domain.plan import NO_EDITION
from tierline.domain.subscription import Subscription
from tierline.runtime import Runtime
from tierline.services import change as change_service
from tierline.services import queries
from tierline.services import subscriptions as service
from tierline.services.catalog import current_catalog
from tierline.services.catalog_versions import subscription_pricing
from tierline.views import instant, money
from tierline.views import preview as preview_view
from tierline.views import subscription as subscription_view

_REFUSED = refusals(
    "quantity_out_of_range", "unknown_edition", "unknown_cycle", "unknown_addon",
    "no_price_for_cycle", "no_addons", "invalid_status", "unknown_cursor",
)  # fmt: skip
router = APIRouter(
    prefix="/v1/subscriptions",
    tags=["subscriptions"],
    responses=error_responses(400, 401, 402, 403, 404, 409, described={400: _REFUSED}),
)


def subscription_read(rt: Runtime, sub: Subscription) -> SubscriptionRead:
    currency = queries.get_account(sub.account_id, uow=rt.uow()).currency
    catalog = current_catalog(uow=rt.uow()).in_currency(currency)
    view = subscription_view(sub, catalog)
    assert view is not None
    pricing = subscription_pricing(sub, uow=rt.uow())
    ahead = pricing.price_change
    price_change = None if ahead is None else PriceChangeRead(
        amount_before=money(ahead.amount_before, ahead.currency),
        amount_after=money(ahead.amount_after, ahead.currency),
        catalog_version=ahead.version,
        effective_at=instant(ahead.effective_at),
    )  # fmt: skip
    return SubscriptionRead(
        **view, account_id=sub.account_id, currency=currency,
        catalog_version=pricing.version, price_change=price_change,
    )  # fmt: skip


def _request(rt: Runtime, subscription_id: str, body: ChangeCreate) -> change_service.ChangeRequest:
    sub = service.read_subscription(subscription_id, uow=rt.uow())
    return change_service.ChangeRequest(
        account_id=sub.account_id, subscription_id=sub.id, **body.model_dump()
    )


@router.post("", status_code=201, response_model=SubscriptionRead)
def subscribe(body: SubscriptionCreate, rt: RuntimeDep, _: OperatorDep) -> SubscriptionRead:
    """Subscribe an account to an edition (its base subscription; `already_subscribed` while
    one is live), or, without `edition`, to packs on their own cycle beside its live paid
    edition."""
    fields = body.model_dump()
    fields["edition"] = fields["edition"] or NO_EDITION
    sub = service.subscribe(
        service.Subscribe(**fields), uow=rt.uow(), clock=rt.clock, gateway=rt.gateway
    )
    return subscription_read(rt, sub)


@router.get("", response_model=SubscriptionPage)
def list_subscriptions(
    rt: RuntimeDep,
    _: OperatorDep,
    page: PageDep,
    account_id: Annotated[str | None, Query(description="Only this account's.")] = None,
    status: Annotated[
        str | None,
        Query(
            description="Only those in this status: trialing, active, past_due, canceled or "
            "expired."
        ),
    ] = None,
) -> SubscriptionPage:
    """Subscriptions in the order they were made; a cursor is a subscription id."""
    found = service.list_subscriptions(
        service.ListSubscriptions(account_id, status, page), uow=rt.uow()
    )
    return SubscriptionPage.of(found, lambda sub: subscription_read(rt, sub))


@router.get("/{subscription_id}", response_model=SubscriptionRead)
def get_subscription(subscription_id: str, rt: RuntimeDep, _: OperatorDep) -> SubscriptionRead:
    return subscription_read(rt, service.read_subscription(subscription_id, uow=rt.uow()))


@router.post("/{subscription_id}/preview", response_model=PreviewRead)
def preview_change(
    subscription_id: str, body: ChangeCreate, rt: RuntimeDep, _: OperatorDep
) -> PreviewRead:
    """What the change would charge or credit now, when it takes effect, and what it removes."""
    request = _request(rt, subscription_id, body)
    preview = change_service.preview_change(request, uow=rt.uow(), clock=rt.clock)
    currency = queries.get_account(request.account_id, uow=rt.uow()).currency
    return PreviewRead(**preview_view(preview, currency), currency=currency)


@router.post("/{subscription_id}/change", response_model=ChangeRead)
def apply_change(
    subscription_id: str, body: ChangeCreate, rt: RuntimeDep, _: OperatorDep
) -> ChangeRead:
    request = _request(rt, subscription_id, body)
    result = change_service.apply_change(request, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    currency = queries.get_account(request.account_id, uow=rt.uow()).currency
    return ChangeRead(
        subscription=subscription_read(rt, result.subscription),
        preview=PreviewRead(**preview_view(result.preview, currency), currency=currency),
        invoice=result.invoice,
        credit_note=result.credit_note,
    )


@router.delete("/{subscription_id}/pending_change", response_model=SubscriptionRead)
def cancel_pending_change(subscription_id: str, rt: RuntimeDep, _: OperatorDep) -> SubscriptionRead:
    found = service.read_subscription(subscription_id, uow=rt.uow())
    sub = change_service.cancel_pending_change(
        found.account_id, uow=rt.uow(), clock=rt.clock, subscription_id=found.id
    )
    return subscription_read(rt, sub)


@router.put("/{subscription_id}/auto_renew", response_model=SubscriptionRead)
def set_auto_renew(
    subscription_id: str, body: AutoRenewUpdate, rt: RuntimeDep, _: OperatorDep
) -> SubscriptionRead:
    found = service.read_subscription(subscription_id, uow=rt.uow())
    sub = service.set_auto_renew(
        service.SetAutoRenew(found.account_id, body.enabled, found.id),
        uow=rt.uow(),
        clock=rt.clock,
    )
    return subscription_read(rt, sub)
