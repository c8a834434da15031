"""Manage your subscription: auto-renewal off ("Unsubscribe", confirmed first) and on, scheduled
changes."""

from __future__ import annotations

from typing import Annotated, Any

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


@router.get("/subscription")
def manage(request: Request, viewer: ViewerDep) -> Response:
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    sub = facts.current_subscription(account.id, uow=rt.uow())
    context: dict[str, Any] = {"sub": sub, "catalog": catalog}
    count = show_for(account).fmt.count
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
    return render(request, viewer, "manage.html", active="subscription", account=account, **context)


@router.get("/subscription/unsubscribe")
def unsubscribe_review(request: Request, viewer: ViewerDep) -> Response:
    """Before automatic renewal is turned off: until when the service lasts, and a Confirm
    button."""
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    sub = facts.current_subscription(account.id, uow=rt.uow())
    if sub is None or not sub.is_live or not sub.auto_renew:
        return redirect(request, "/subscription")
    ends_at = facts.service_ends_at(sub, current_catalog(uow=rt.uow()), account.timezone)
    return render(
        request, viewer, "unsubscribe.html", active="subscription", account=account,
        ends_at=ends_at,
    )  # fmt: skip


@router.post("/subscription/auto-renew")
def auto_renew(request: Request, viewer: AdminDep, enabled: Annotated[str, Form()]) -> Response:
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    show = show_for(account)
    on = enabled == "1"
    try:
        sub = set_auto_renew(SetAutoRenew(viewer.account_id, on), uow=rt.uow(), clock=rt.clock)
    except TierlineError as error:
        return redirect(request, "/subscription", error=error_text(show, error))
    if on:
        return redirect(
            request, "/subscription", done=show.words.gettext("Automatic renewal is on again.")
        )
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    ends = show.date(facts.service_ends_at(sub, catalog, account.timezone))
    return redirect(
        request,
        "/subscription",
        done=show.words.gettext(
            "Automatic renewal is off: the service ends on %(date)s.", date=ends
        ),
    )


@router.post("/subscription/cancel-change")
def cancel_change(request: Request, viewer: AdminDep) -> Response:
    rt = runtime_of(request)
    show = show_for(queries.get_account(viewer.account_id, uow=rt.uow()))
    try:
        cancel_pending_change(viewer.account_id, uow=rt.uow(), clock=rt.clock)
    except TierlineError as error:
        return redirect(request, "/subscription", error=error_text(show, error))
    return redirect(
        request,
        "/subscription",
        done=show.words.gettext("The scheduled change was cancelled; your plan stays as it is."),
    )
