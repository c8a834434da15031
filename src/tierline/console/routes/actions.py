"""Actions on behalf of an account: each form posts with the session's CSRF token, the role is
checked, and where money moves a preview page comes first, with a Confirm button."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from tierline.catalog.words import read_in
from tierline.console.rendering import ConsoleRoute, language_for, page, redirect
from tierline.console.session import PostingDep, SessionDep, needs, runtime_of
from tierline.errors import Invalid, NotFound
from tierline.services import on_behalf
from tierline.services.account_search import account_overview
from tierline.services.catalog import current_catalog
from tierline.services.invoice_void import VoidInvoice, void_invoice

router = APIRouter(route_class=ConsoleRoute)

_Account = "/accounts/{account_id}"


def _back(account_id: str) -> str:
    return f"/accounts/{account_id}"


def _count(text: str, param: str) -> int | None:
    text = text.strip()
    if text and not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise Invalid("The quantity is a whole number.", param=param)
    return int(text) if text else None


def _change(
    account_id: str,
    edition: str,
    cycle: str,
    quantity: str,
    packs: Sequence[str] = (),
    counts: Sequence[str] = (),
) -> on_behalf.ChangeOnBehalf:
    """The change of the form: `pack` names each add-on and `pack_count` its new count, in the
    same order (a pack left out keeps its count)."""
    if len(packs) != len(counts):
        raise Invalid("Give a count for each pack.", param="pack_count")
    addons = {
        code: _count(text, f"addons.{code}") or 0 for code, text in zip(packs, counts, strict=True)
    }
    return on_behalf.ChangeOnBehalf(
        account_id, edition or None, cycle or None, _count(quantity, "quantity"), addons
    )


@router.get(_Account + "/change")
def change_preview(
    request: Request,
    session: SessionDep,
    account_id: str,
    edition: str = "",
    cycle: str = "",
    quantity: str = "",
    pack: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies it)
    pack_count: Annotated[list[str], Query()] = [],  # noqa: B006
) -> Response:
    """What the change does and charges now, before it is confirmed."""
    needs(session, "change_subscription")
    rt = runtime_of(request)
    cmd = _change(account_id, edition, cycle, quantity, pack, pack_count)
    preview = on_behalf.preview_change_for(session.actor, cmd, uow=rt.uow(), clock=rt.clock)
    found = account_overview(account_id, uow=rt.uow())
    catalog = read_in(current_catalog(uow=rt.uow()), language_for(request))
    return page(
        request, session, "change_preview.html", active="accounts", a=found.account,
        preview=preview, cmd=cmd, names={e.code: e.name for e in catalog.editions},
    )  # fmt: skip


@router.post(_Account + "/change")
def change(
    request: Request,
    session: PostingDep,
    account_id: str,
    edition: Annotated[str, Form()] = "",
    cycle: Annotated[str, Form()] = "",
    quantity: Annotated[str, Form()] = "",
    pack: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies it)
    pack_count: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    needs(session, "change_subscription")
    rt = runtime_of(request)
    cmd = _change(account_id, edition, cycle, quantity, pack, pack_count)
    result = on_behalf.change_for(
        session.actor, cmd, uow=rt.uow(),
        clock=rt.clock, gateway=rt.gateway,
    )  # fmt: skip
    done = "change_scheduled" if result.preview.scheduled else "change_applied"
    return redirect(_back(account_id), done=done)


@router.post(_Account + "/cancel-change")
def cancel_change(request: Request, session: PostingDep, account_id: str) -> Response:
    needs(session, "change_subscription")
    rt = runtime_of(request)
    on_behalf.cancel_change_for(session.actor, account_id, uow=rt.uow(), clock=rt.clock)
    return redirect(_back(account_id), done="change_canceled")


@router.post(_Account + "/auto-renew")
def auto_renew(
    request: Request, session: PostingDep, account_id: str, enabled: Annotated[str, Form()]
) -> Response:
    needs(session, "change_subscription")
    rt = runtime_of(request)
    on = enabled == "1"
    on_behalf.set_auto_renew_for(session.actor, account_id, on, uow=rt.uow(), clock=rt.clock)
    return redirect(_back(account_id), done="auto_renew_on" if on else "auto_renew_off")


@router.post(_Account + "/sales-managed")
def sales_managed(
    request: Request, session: PostingDep, account_id: str, enabled: Annotated[str, Form()]
) -> Response:
    needs(session, "set_sales_managed")
    rt = runtime_of(request)
    on = enabled == "1"
    on_behalf.set_sales_managed_for(session.actor, account_id, on, uow=rt.uow(), clock=rt.clock)
    return redirect(_back(account_id), done="sales_managed_on" if on else "sales_managed_off")


@router.post(_Account + "/portal-link")
def portal_link(
    request: Request,
    session: PostingDep,
    account_id: str,
    role: Annotated[str, Form()] = "admin",
) -> Response:
    """The link is shown once, on this page; only its hash is stored."""
    needs(session, "create_portal_link")
    rt = runtime_of(request)
    made = on_behalf.portal_link_for(session.actor, account_id, role, uow=rt.uow(), clock=rt.clock)
    link = f"{request.base_url}portal/login/{made.token}"
    return page(request, session, "portal_link.html", active="accounts", link=link, made=made,
                account_id=account_id)  # fmt: skip


@router.get(_Account + "/invoices/{number}/retry")
def retry_preview(request: Request, session: SessionDep, account_id: str, number: str) -> Response:
    needs(session, "retry_payment")
    rt = runtime_of(request)
    found = account_overview(account_id, uow=rt.uow())
    invoice = next((i for i in found.invoices if i.number == number), None)
    if invoice is None:
        raise NotFound(f"No invoice '{number}' on this account.")
    return page(request, session, "retry_preview.html", active="accounts", a=found.account,
                invoice=invoice, methods=found.methods)  # fmt: skip


@router.post(_Account + "/invoices/{number}/retry")
def retry(request: Request, session: PostingDep, account_id: str, number: str) -> Response:
    needs(session, "retry_payment")
    rt = runtime_of(request)
    on_behalf.retry_payment_for(
        session.actor, account_id, number, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway
    )
    return redirect(_back(account_id), done="payment_retried")


@router.get(_Account + "/balance-adjustment")
def adjustment_preview(
    request: Request, session: SessionDep, account_id: str, amount: str = "", reason: str = ""
) -> Response:
    needs(session, "adjust_balance")
    rt = runtime_of(request)
    cmd = on_behalf.AdjustBalance(account_id, amount, reason)
    decided = on_behalf.preview_balance_adjustment(session.actor, cmd, uow=rt.uow())
    found = account_overview(account_id, uow=rt.uow())
    return page(request, session, "adjustment_preview.html", active="accounts", a=found.account,
                cmd=cmd, decided=decided)  # fmt: skip


@router.post(_Account + "/balance-adjustment")
def adjustment(
    request: Request,
    session: PostingDep,
    account_id: str,
    amount: Annotated[str, Form()],
    reason: Annotated[str, Form()],
) -> Response:
    needs(session, "adjust_balance")
    rt = runtime_of(request)
    on_behalf.adjust_balance(
        session.actor, on_behalf.AdjustBalance(account_id, amount, reason), uow=rt.uow(),
        clock=rt.clock,
    )  # fmt: skip
    return redirect(_back(account_id), done="balance_adjusted")


@router.get(_Account + "/invoices/{number}/void")
def void_preview(request: Request, session: SessionDep, account_id: str, number: str) -> Response:
    """What voiding forgives, and a reason to give, before it is confirmed."""
    needs(session, "void_invoice")
    rt = runtime_of(request)
    found = account_overview(account_id, uow=rt.uow())
    invoice = next((i for i in found.invoices if i.number == number), None)
    if invoice is None:
        raise NotFound(f"No invoice '{number}' on this account.")
    return page(request, session, "void_preview.html", active="accounts", a=found.account,
                invoice=invoice)  # fmt: skip


@router.post(_Account + "/invoices/{number}/void")
def void(
    request: Request,
    session: PostingDep,
    account_id: str,
    number: str,
    reason: Annotated[str, Form()] = "",
) -> Response:
    needs(session, "void_invoice")
    rt = runtime_of(request)
    void_invoice(session.actor, VoidInvoice(account_id, number, reason), uow=rt.uow(),
                 clock=rt.clock)  # fmt: skip
    return redirect(_back(account_id), done="invoice_voided")
