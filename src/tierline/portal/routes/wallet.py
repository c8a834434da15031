"""Payment methods (add, remove, primary and backup) and the balance (recharge, reviewed before
the card is charged; transactions)."""

from __future__ import annotations

from typing import Annotated

from babel.numbers import get_decimal_symbol
from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from tierline.errors import NotFound, TierlineError
from tierline.portal import facts
from tierline.portal.rendering import (
    PortalRoute,
    Show,
    error_text,
    redirect,
    render,
    runtime_of,
    show_for,
)
from tierline.portal.session import AdminDep, ViewerDep
from tierline.services import accounts, queries
from tierline.services.balance import TopUp, get_balance, review_top_up, top_up
from tierline.services.catalog import current_catalog

router = APIRouter(route_class=PortalRoute)


@router.get("/payment-methods")
def payment_methods(request: Request, viewer: ViewerDep) -> Response:
    methods = accounts.list_payment_methods(viewer.account_id, uow=runtime_of(request).uow())
    return render(
        request, viewer, "payment_methods.html", active="payment_methods", methods=methods
    )


def _after(
    request: Request, viewer: AdminDep, action: str, error: TierlineError | None
) -> Response:
    account = queries.get_account(viewer.account_id, uow=runtime_of(request).uow())
    show = show_for(account)
    if error is not None:
        return redirect(request, "/payment-methods", error=error_text(show, error))
    return redirect(request, "/payment-methods", done=show.say.problem(action))


@router.post("/payment-methods")
def add_method(
    request: Request,
    viewer: AdminDep,
    card: Annotated[str, Form()],
    use_as: Annotated[str, Form()] = "primary",
) -> Response:
    rt = runtime_of(request)
    cmd = accounts.AddPaymentMethod(
        viewer.account_id, card.replace(" ", "").replace("-", ""),
        primary=True if use_as == "primary" else None if use_as == "other" else False,
        backup=use_as == "backup",
    )  # fmt: skip
    try:
        accounts.add_payment_method(cmd, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    except TierlineError as error:
        return _after(request, viewer, "", error)
    return _after(request, viewer, "done_card_added", None)


@router.post("/payment-methods/{method_id}/remove")
def remove_method(method_id: str, request: Request, viewer: AdminDep) -> Response:
    try:
        accounts.remove_payment_method(viewer.account_id, method_id, uow=runtime_of(request).uow())
    except TierlineError as error:
        return _after(request, viewer, "", error)
    return _after(request, viewer, "done_card_removed", None)


@router.post("/payment-methods/{method_id}/role")
def set_role(
    method_id: str, request: Request, viewer: AdminDep, role: Annotated[str, Form()]
) -> Response:
    """Make a method the primary or the backup; the other role stays where it was."""
    uow = runtime_of(request).uow
    methods = accounts.list_payment_methods(viewer.account_id, uow=uow())
    if not any(m.id == method_id for m in methods):
        raise NotFound(f"No payment method '{method_id}'.")
    primary = next((m.id for m in methods if m.is_primary), None)
    backup = next((m.id for m in methods if m.is_backup), None)
    if role == "primary":
        primary, backup = method_id, (None if backup == method_id else backup)
    else:
        backup, primary = method_id, (None if primary == method_id else primary)
    try:
        accounts.set_payment_roles(
            accounts.SetPaymentRoles(viewer.account_id, primary, backup), uow=uow()
        )
    except TierlineError as error:
        return _after(request, viewer, "", error)
    return _after(request, viewer, "done_roles", None)


@router.get("/balance")
def balance(request: Request, viewer: ViewerDep) -> Response:
    """The balance, a Recharge form (not on the free edition) and the balance transactions."""
    uow = runtime_of(request).uow
    currency = queries.get_account(viewer.account_id, uow=uow()).currency
    catalog = current_catalog(uow=uow()).in_currency(currency)  # the top-up bounds in it
    sub = facts.current_subscription(viewer.account_id, uow=uow())
    edition = catalog.edition(sub.plan.edition) if sub is not None and sub.is_live else None
    transactions = queries.balance_transactions(viewer.account_id, uow=uow())
    return render(
        request, viewer, "balance.html", active="balance", catalog=catalog,
        balance=get_balance(viewer.account_id, uow=uow()),
        free=edition is None or edition.free,
        methods=accounts.list_payment_methods(viewer.account_id, uow=uow()),
        transactions=sorted(transactions, key=lambda t: t.at, reverse=True),
        references=facts.transaction_references(
            transactions, queries.list_receipts(viewer.account_id, uow=uow())
        ),
    )  # fmt: skip


def _typed(amount: str, show: Show) -> str:
    """An amount as typed in the account's language: its decimal comma (French `12,50`) is
    read as the point; anything else is left for the service to accept or refuse."""
    if get_decimal_symbol(show.fmt.locale) == "," and amount.count(",") == 1 and "." not in amount:
        return amount.replace(",", ".")
    return amount


@router.get("/balance/recharge")
def recharge_review(
    request: Request, viewer: ViewerDep, amount: str = "", payment_method: str = ""
) -> Response:
    """Before any charge: the amount, the card it is charged to, and a Confirm button."""
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    show = show_for(account)
    cmd = TopUp(viewer.account_id, _typed(amount, show), payment_method or None)
    try:
        review = review_top_up(cmd, uow=rt.uow())
    except TierlineError as error:
        return redirect(request, "/balance", error=error_text(show, error))
    return render(
        request, viewer, "recharge.html", active="balance", account=account, review=review,
        payment_method=payment_method, balance=get_balance(viewer.account_id, uow=rt.uow()),
    )  # fmt: skip


@router.post("/balance/recharge")
def recharge(
    request: Request,
    viewer: AdminDep,
    amount: Annotated[str, Form()],
    payment_method: Annotated[str, Form()] = "",
) -> Response:
    rt = runtime_of(request)
    account = queries.get_account(viewer.account_id, uow=rt.uow())
    show = show_for(account)
    cmd = TopUp(viewer.account_id, _typed(amount, show), payment_method or None)
    try:
        new_balance = top_up(cmd, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    except TierlineError as error:
        return redirect(request, "/balance", error=error_text(show, error))
    return redirect(
        request,
        "/balance",
        done=show.words.gettext(
            "Your balance was recharged; it is now %(amount)s.", amount=show.money(new_balance)
        ),
    )
