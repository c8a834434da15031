"""Manage a subscription (the base one, or `?id=` one of the account's others): auto-renewal
off ("Unsubscribe", confirmed first) and on, scheduled changes, and for packs on their own
subscription, how many are held."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from tierline.errors import TierlineError
from tierline.portal import facts
from tierline.portal.rendering import (
    PortalRoute,
    error_text,
    redirect,
    render,
    runtime_of,
    show_for,
)
from tierline.portal.session import AdminDep, ViewerDep
from tierline.services import queries
from tierline.services.catalog import current_catalog
from tierline.services.change import cancel_pending_change
from tierline.services.subscriptions import (
    SetAutoRenew,
    next_payment_at,
    set_auto_renew,
)

router = APIRouter(route_class=PortalRoute)


def _page(sub_id: str | None) -> str:
    """The manage page of a subscription; the base one's has no `id`."""
    return "/subscription" if sub_id is None else f"/subscription?{urlencode({'id': sub_id})}"


@router.get("/subscription")
def manage(request: Request, viewer: ViewerDep, id: str | None = None) -> Response:
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    sub = facts.one_subscription(account.id, id, uow=rt.uow())
    context: dict[str, Any] = {"sub": sub, "catalog": catalog, "sub_id": id}
    count = show_for(account, catalog).fmt.count
    if sub is not None:
        edition = catalog.edition(sub.plan.edition)
        context.update(
            plan=facts.plan_name(catalog, sub.plan, count),
            free=bool(edition and edition.free),
            next_payment=next_payment_at(sub, catalog),
            ends_at=facts.service_ends_at(sub, catalog, account.timezone),
            pending_name=(facts.plan_name(catalog, sub.pending.target, count)
                          if sub.pending else None),
            cycles=[c for c in catalog.cycles if edition is None or edition.free
                    or edition.explicit_price(c.code) is not None],
            no_packs=facts.no_packs(catalog, sub),
        )  # fmt: skip
        if sub.plan.addons_only:  # packs on their own: the cycles all of them are sold on
            context.update(
                cycles=[c for c in catalog.cycles
                        if facts.packs_total(catalog, c.code, sub.plan.addons) is not None],
                packs=[(catalog.addon(code), count) for code, count in sub.plan.addons.items()
                       if catalog.addon(code) is not None],
            )  # fmt: skip
    return render(request, viewer, "manage.html", active="subscription", account=account, **context)


@router.get("/subscription/unsubscribe")
def unsubscribe_review(request: Request, viewer: ViewerDep, id: str | None = None) -> Response:
    """Before automatic renewal is turned off: until when the service lasts, and a Confirm
    button."""
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    sub = facts.one_subscription(account.id, id, uow=rt.uow())
    if sub is None or not sub.is_live or not sub.auto_renew:
        return redirect(request, _page(id))
    ends_at = facts.service_ends_at(sub, current_catalog(uow=rt.uow()), account.timezone)
    return render(
        request, viewer, "unsubscribe.html", active="subscription", account=account,
        ends_at=ends_at, sub_id=id,
    )  # fmt: skip


@router.post("/subscription/auto-renew")
def auto_renew(
    request: Request,
    viewer: AdminDep,
    enabled: Annotated[str, Form()],
    subscription: Annotated[str | None, Form()] = None,
) -> Response:
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    show = show_for(account)
    on = enabled == "1"
    page = _page(subscription)
    try:
        sub = set_auto_renew(
            SetAutoRenew(viewer.account_id, on, subscription), uow=rt.uow(), clock=rt.clock
        )
    except TierlineError as error:
        return redirect(request, page, error=error_text(show, error))
    if on:
        return redirect(request, page, done=show.words.gettext("Automatic renewal is on again."))
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    ends = show.date(facts.service_ends_at(sub, catalog, account.timezone))
    return redirect(
        request,
        page,
        done=show.words.gettext(
            "Automatic renewal is off: the service ends on %(date)s.", date=ends
        ),
    )


@router.post("/subscription/cancel-change")
def cancel_change(
    request: Request, viewer: AdminDep, subscription: Annotated[str | None, Form()] = None
) -> Response:
    rt = runtime_of(request)
    show = show_for(queries.get_account(viewer.account_id, uow=rt.uow()))
    page = _page(subscription)
    try:
        cancel_pending_change(
            viewer.account_id, uow=rt.uow(), clock=rt.clock, subscription_id=subscription
        )
    except TierlineError as error:
        return redirect(request, page, error=error_text(show, error))
    return redirect(
        request,
        page,
        done=show.words.gettext("The scheduled change was cancelled; your plan stays as it is."),
    )
