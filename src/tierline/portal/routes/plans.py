"""Plans, subscribing, and every change (plan, seats, packs, cycle): preview first, then pay."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from tierline.domain.plan import NO_EDITION, QUANTITY_CEILING
from tierline.errors import Invalid, NotFound, QuantityOutOfRange, TierlineError
from tierline.portal import facts
from tierline.portal.rendering import (
    BASE,
    PortalRoute,
    error_text,
    redirect,
    render,
    runtime_of,
    show_for,
)
from tierline.portal.session import AdminDep, ViewerDep
from tierline.services import queries
from tierline.services.accounts import list_payment_methods
from tierline.services.balance import get_balance
from tierline.services.catalog import quote_price
from tierline.services.change import ChangeRequest, apply_change, preview_change
from tierline.services.subscriptions import Subscribe, subscribe

router = APIRouter(route_class=PortalRoute)
ADDON = facts.ADDON_PARAM


def _int(value: str | None, param: str) -> int | None:
    """A count as a form sends it: ASCII digits only (no sign, spaces, `_` or other scripts)."""
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()):
        raise Invalid("This is not a whole number.", param=param)
    if len(value.lstrip("0")) > len(str(QUANTITY_CEILING)):  # and maybe more than int() reads
        raise QuantityOutOfRange(f"A quantity is at most {QUANTITY_CEILING}.", param=param)
    return int(value)


def change_request(account_id: str, params: list[tuple[str, str]]) -> ChangeRequest:
    """A change from the query string: edition, cycle, quantity and `addon.<code>` counts."""
    values = dict(params)
    addons = {
        key.removeprefix(ADDON): _int(value, key) or 0
        for key, value in params
        if key.startswith(ADDON)
    }
    return ChangeRequest(
        account_id=account_id,
        edition=values.get("edition") or None,
        cycle=values.get("cycle") or None,
        quantity=_int(values.get("quantity"), "quantity"),
        addons=addons,
        subscription_id=values.get("subscription") or None,
    )


@router.get("/plans")
def plans(
    request: Request, viewer: ViewerDep, cycle: str | None = None, quantity: str | None = None
) -> Response:
    """Every edition priced for the chosen cycle and quantity; Total = Price × Quantity.

    Without a quantity asked for, a subscriber sees its own; an account with no subscription
    sees each edition at its own default quantity, the quantity box left empty."""
    rt = runtime_of(request)
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    sub = facts.current_subscription(viewer.account_id, uow=rt.uow())
    live = sub if sub is not None and sub.is_live else None
    if cycle is None or catalog.cycle(cycle) is None:
        cycle = live.plan.cycle if live else catalog.cycles[0].code
    wanted = _int(quantity, "quantity")
    if wanted is None and live is not None:
        wanted = live.plan.quantity
    rows = facts.plan_rows(catalog, cycle, wanted, sub, uow=rt.uow())
    return render(
        request, viewer, "plans.html", active="plans", catalog=catalog, cycle=cycle,
        quantity=wanted, rows=rows, live=live,
    )  # fmt: skip


@router.get("/subscribe")
def subscribe_preview(
    request: Request, viewer: ViewerDep, edition: str, cycle: str, quantity: int
) -> Response:
    """Review a first subscription (or a new one after the last ended) before paying."""
    rt = runtime_of(request)
    sub = facts.current_subscription(viewer.account_id, uow=rt.uow())
    query = urlencode({"edition": edition, "cycle": cycle, "quantity": quantity})
    if sub is not None and sub.is_live:
        return redirect(request, f"/change?{query}")
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    found = catalog.edition(edition)
    if found is None:
        raise NotFound(f"No edition '{edition}'.")
    quote = quote_price(edition, cycle, quantity, uow=rt.uow(), currency=catalog.currency)
    methods = list_payment_methods(viewer.account_id, uow=rt.uow())
    return render(
        request, viewer, "subscribe.html", active="plans", catalog=catalog, edition=found,
        cycle_name=facts.cycle_name(catalog, cycle), quote=quote, query=query,
        primary=next((m for m in methods if m.is_primary), None),
    )  # fmt: skip


@router.post("/subscribe")
def subscribe_now(request: Request, viewer: AdminDep, change: Annotated[str, Form()]) -> Response:
    rt = runtime_of(request)
    values = dict(parse_qsl(change))
    cmd = Subscribe(
        account_id=viewer.account_id,
        edition=values.get("edition", ""),
        cycle=values.get("cycle", ""),
        quantity=_int(values.get("quantity"), "quantity"),
    )
    show = show_for(queries.get_account(viewer.account_id, uow=rt.uow()))
    try:
        sub = subscribe(cmd, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    except TierlineError as error:
        return redirect(request, f"/subscribe?{change}", error=error_text(show, error))
    done = (
        show.words.gettext("Your trial has started.")
        if sub.status == "trialing"
        else show.words.gettext("Your subscription is active.")
    )
    return redirect(request, "", done=done)


@router.get("/change")
def change_preview(request: Request, viewer: ViewerDep) -> Response:
    """What the change charges or credits now, when it takes effect, and what it removes."""
    rt = runtime_of(request)
    params = list(request.query_params.multi_items())
    query = urlencode(params)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    sub = facts.one_subscription(
        viewer.account_id, dict(params).get("subscription") or None, uow=rt.uow()
    )
    if sub is None or not sub.is_live:
        values = dict(params)
        if values.get("edition") and values.get("cycle") and values.get("quantity"):
            return redirect(request, f"/subscribe?{query}")
        raise NotFound("The account has no active subscription.")
    cmd = change_request(viewer.account_id, params)
    dropped = [
        addon
        for addon in facts.packs_not_taken(catalog, sub.plan, cmd.edition)
        if cmd.addons.get(addon.code) != 0
    ]
    if dropped:  # the edition takes none of these packs: the change removes them, and says so
        extra = [(ADDON + addon.code, "0") for addon in dropped]
        return RedirectResponse(f"{BASE}/change?{urlencode(params + extra)}", status_code=303)
    removed = [
        addon
        for addon in catalog.addons
        if cmd.addons.get(addon.code) == 0 and sub.plan.addons.get(addon.code, 0) > 0
    ]
    context: dict[str, Any] = {"catalog": catalog, "sub": sub, "query": query, "removed": removed}
    try:
        preview = preview_change(cmd, uow=rt.uow(), clock=rt.clock)
    except NotFound:
        raise
    except TierlineError as error:
        refusal = error_text(show_for(account, catalog), error)
        status = 400 if isinstance(error, Invalid) else 403
        return render(request, viewer, "preview.html", active="plans", account=account,
                      status=status, refusal=refusal, **context)  # fmt: skip
    target = cmd.target(sub.plan)
    count = show_for(account, catalog).fmt.count
    methods = list_payment_methods(viewer.account_id, uow=rt.uow())
    return render(
        request, viewer, "preview.html", active="plans", account=account, preview=preview,
        before=facts.plan_name(catalog, sub.plan, count),
        after=facts.plan_name(catalog, target, count),
        primary=next((m for m in methods if m.is_primary), None),
        backup=next((m for m in methods if m.is_backup), None),
        balance=get_balance(viewer.account_id, uow=rt.uow()),
        refusal=None, **context,
    )  # fmt: skip


@router.post("/change")
def change_now(request: Request, viewer: AdminDep, change: Annotated[str, Form()]) -> Response:
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    show = show_for(account)
    cmd = change_request(viewer.account_id, parse_qsl(change))
    try:
        result = apply_change(cmd, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    except TierlineError as error:
        return redirect(request, f"/change?{change}", error=error_text(show, error))
    if result.preview.scheduled:
        done = show.words.gettext(
            "Your change is scheduled for %(date)s.", date=show.date(result.preview.effective_at)
        )
    else:
        done = show.words.gettext("Your subscription was updated; the change is effective now.")
        if result.invoice:
            done += " " + show.words.gettext("Invoice %(number)s", number=result.invoice)
    return redirect(request, "", done=done)


@router.get("/expand")
def expand(request: Request, viewer: ViewerDep) -> Response:
    """Set the number of seats (or whatever the catalog's unit is), then preview."""
    rt = runtime_of(request)
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    sub = facts.current_subscription(viewer.account_id, uow=rt.uow())
    edition = catalog.edition(sub.plan.edition) if sub else None
    return render(
        request, viewer, "expand.html", active="home", catalog=catalog, sub=sub,
        edition=edition, no_packs=facts.no_packs(catalog, sub),
    )  # fmt: skip


@router.get("/packs")
def packs(request: Request, viewer: ViewerDep) -> Response:
    """The add-on packs this edition takes, with the number held; each has its own Expand."""
    rt = runtime_of(request)
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    sub = facts.current_subscription(viewer.account_id, uow=rt.uow())
    offers = facts.pack_offers(catalog, sub.plan) if sub is not None and sub.is_live else []
    return render(
        request, viewer, "packs.html", active="home", catalog=catalog, sub=sub, offers=offers,
        no_packs=facts.no_packs(catalog, sub),
        cycle_name=facts.cycle_name(catalog, sub.plan.cycle) if sub else "",
        own_cycles={o.addon.code: facts.own_cycles(catalog, o.addon, sub.plan)
                    for o in offers} if sub else {},
    )  # fmt: skip


def _own_packs(params: list[tuple[str, str]]) -> tuple[str, dict[str, int]]:
    """The cycle and `addon.<code>` counts of packs bought on their own subscription."""
    addons = {
        key.removeprefix(ADDON): _int(value, key) or 0
        for key, value in params
        if key.startswith(ADDON)
    }
    return dict(params).get("cycle", ""), {code: n for code, n in addons.items() if n}


@router.get("/packs/subscribe")
def packs_review(request: Request, viewer: ViewerDep) -> Response:
    """Review packs bought on a cycle of their own (another than the edition's): a second
    subscription, with its own period and renewals, paid now."""
    rt = runtime_of(request)
    params = list(request.query_params.multi_items())
    cycle, addons = _own_packs(params)
    catalog = facts.catalog_for(viewer.account_id, uow=rt.uow())
    total = facts.packs_total(catalog, cycle, addons) if addons else None
    if total is None:
        return redirect(request, "/packs")
    methods = list_payment_methods(viewer.account_id, uow=rt.uow())
    packs = [(catalog.addon(code), count) for code, count in addons.items()]
    return render(
        request, viewer, "subscribe_packs.html", active="home", catalog=catalog, packs=packs,
        cycle_name=facts.cycle_name(catalog, cycle), total=total, query=urlencode(params),
        primary=next((m for m in methods if m.is_primary), None),
    )  # fmt: skip


@router.post("/packs/subscribe")
def packs_subscribe(request: Request, viewer: AdminDep, change: Annotated[str, Form()]) -> Response:
    rt = runtime_of(request)
    cycle, addons = _own_packs(parse_qsl(change))
    cmd = Subscribe(account_id=viewer.account_id, edition=NO_EDITION, cycle=cycle, addons=addons)
    show = show_for(queries.get_account(viewer.account_id, uow=rt.uow()))
    try:
        subscribe(cmd, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    except TierlineError as error:
        return redirect(request, f"/packs/subscribe?{change}", error=error_text(show, error))
    return redirect(request, "", done=show.words.gettext("Your subscription is active."))
