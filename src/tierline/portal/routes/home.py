"""Signing in with a one-time link, the Home page, messages, signing out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from tierline.documents.formatting import Formatter
from tierline.domain.usage import SEATS
from tierline.errors import NotFound, TierlineError
from tierline.notify.messages import message_text
from tierline.portal import facts
from tierline.portal.rendering import (
    BASE,
    PortalRoute,
    error_text,
    render,
    runtime_of,
    show_for,
)
from tierline.portal.session import (
    PortalProblem,
    PostingViewerDep,
    ViewerDep,
    config_of,
)
from tierline.services import queries
from tierline.services.balance import get_balance
from tierline.services.catalog import current_catalog, quote_price
from tierline.services.portal_sessions import (
    LinkExpired,
    LinkUsed,
    redeem_portal_session,
    sign_out,
)
from tierline.services.subscriptions import account_subscriptions, next_payment_at

router = APIRouter(route_class=PortalRoute)


@router.get("/login/{token}", name="portal_login")
def login(token: str, request: Request) -> Response:
    """Open a one-time link: set the session cookie and go Home."""
    rt = runtime_of(request)
    try:
        grant = redeem_portal_session(token, uow=rt.uow(), clock=rt.clock)
    except LinkExpired:
        raise PortalProblem("link_expired", 410) from None
    except LinkUsed:
        raise PortalProblem("link_used", 410) from None
    except NotFound:
        raise PortalProblem("signed_out", 404) from None
    response = RedirectResponse(BASE, status_code=303)
    config_of(request).sign_in(response, grant.session_id, grant.account_id, grant.role)
    return response


@router.post("/logout")
def logout(request: Request, viewer: PostingViewerDep) -> Response:
    """Revoke the session, so that a copy of the cookie opens nothing, and drop the cookie."""
    rt = runtime_of(request)
    sign_out(viewer.session_id, uow=rt.uow(), clock=rt.clock)
    response = RedirectResponse(BASE + "/signed-out", status_code=303)
    config_of(request).sign_out(response)
    return response


@router.get("/signed-out")
def signed_out(request: Request) -> Response:
    raise PortalProblem("signed_out", 200)


@router.get("")
def home(request: Request, viewer: ViewerDep) -> Response:
    """Edition, status, cycle, seats used / bought, price, next payment, balance, the "Use"
    section (used / limit), and a notice for each limit with nothing left, offering what the
    entitlement check suggests (Expand, a pack, an upgrade)."""
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    sub = facts.current_subscription(account.id, uow=rt.uow())
    context: dict[str, Any] = {
        "sub": sub,
        "catalog": catalog,
        "balance": get_balance(account.id, uow=rt.uow()),
        "no_packs": facts.no_packs(catalog, sub),
    }
    if sub is not None:
        usage = facts.usage_of(account.id, sub, uow=rt.uow())
        subs = account_subscriptions(account.id, uow=rt.uow())
        count = show_for(account, catalog).fmt.count
        context.update(
            subscriptions=[(s, facts.plan_name(catalog, s.plan, count),
                            next_payment_at(s, catalog)) for s in subs],
            held=facts.held_plan(subs, sub),
        )  # fmt: skip
        context.update(
            edition=catalog.edition(sub.plan.edition),
            cycle_name=facts.cycle_name(catalog, sub.plan.cycle),
            quote=(quote := facts.try_quote(sub.plan.edition, sub.plan.cycle,
                                            sub.plan.quantity, uow=rt.uow(),
                                            currency=catalog.currency,
                                            version=sub.catalog_version)),
            price=facts.price_parts(catalog, sub.plan, quote) if quote else None,
            next_payment=next_payment_at(sub, catalog),
            seats=usage.get(SEATS),
            reached=facts.limits_reached(account.id, usage, uow=rt.uow()),
            use_rows=facts.use_rows(catalog, context["held"], usage) if sub.is_live else [],
            pending_name=(facts.plan_name(catalog, sub.pending.target, count)
                          if sub.pending else None),
            ends_at=facts.service_ends_at(sub, catalog, account.timezone),
        )  # fmt: skip
    return render(request, viewer, "home.html", active="home", account=account, **context)


@router.get("/quote")
def quote(request: Request, viewer: ViewerDep, edition: str, cycle: str, quantity: int) -> Response:
    """Price and Total for the Plans page as the user types (JSON, formatted for the account)."""
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    show = show_for(account)
    try:  # in the account's currency, as everything it buys
        found = quote_price(edition, cycle, quantity, uow=rt.uow(), currency=account.currency)
    except TierlineError as error:  # a refused quantity or cycle: say so where the total goes
        refusal = {"code": error.code, "param": error.param, "message": error_text(show, error)}
        return JSONResponse({"ok": False, **refusal})
    price = None if found.unit_amount is None else show.money(found.unit_amount)
    return JSONResponse({"ok": True, "price": price, "total": show.money(found.total)})


@router.get("/messages")
def messages(request: Request, viewer: ViewerDep) -> Response:
    """The account's messages, newest first, in its language: in the reverse of the order they
    were written (the outbox's sequence), never by time alone, which ties within a transaction."""
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    catalog = current_catalog(uow=rt.uow())
    reader = Formatter.for_account(account, catalog.units())
    found = [
        {**m, "text": message_text(m["kind"], m["payload"], m["text"], reader, catalog)}
        for m in queries.list_messages(viewer.account_id, uow=rt.uow())
    ]
    found.reverse()
    return render(request, viewer, "messages.html", active="messages", account=account,
                  messages=found)  # fmt: skip
