"""Credit notes for part of an invoice and refunds of a payment (finance and owners): a form, a
preview of what is credited and where the money goes, then *Confirm*, which posts with the
session's CSRF token.

A line is chosen with its amount field (part of it) or its *All that is left* box; the form
sends, per line, its position (`line`) and its amount (`amount`, empty when not chosen), and the
positions credited whole (`whole`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from tierline.console.rendering import ConsoleRoute, page, redirect
from tierline.console.session import PostingDep, SessionDep, needs, runtime_of
from tierline.errors import Invalid
from tierline.services.account_search import account_overview
from tierline.services.credit_notes import (
    CreditInvoice,
    RefundPayment,
    credit_invoice,
    creditable,
    preview_credit_note,
    preview_refund,
    refund_payment,
)

router = APIRouter(route_class=ConsoleRoute)

_Invoice = "/accounts/{account_id}/invoices/{number}/credit-note"
_Payment = "/accounts/{account_id}/payments/{payment_id}/refund"


def _position(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        raise Invalid("Choose lines of the invoice.", param="lines")
    return int(text)


def _selection(line: list[str], amount: list[str], whole: list[str]) -> dict[int, str | None]:
    """Position → amount text, or None for all that is left of the line."""
    if len(line) != len(amount):
        raise Invalid("Each line has one amount field.", param="lines")
    chosen: dict[int, str | None] = {}
    for position, text in zip(line, amount, strict=True):
        if text.strip():
            chosen[_position(position)] = text.strip()
    for position in whole:
        chosen[_position(position)] = None
    return chosen


@router.get(_Invoice)
def credit_form(request: Request, session: SessionDep, account_id: str, number: str) -> Response:
    """The invoice's lines with what is left to credit on each."""
    needs(session, "issue_credit")
    rt = runtime_of(request)
    invoice, lines = creditable(session.actor, account_id, number, uow=rt.uow())
    found = account_overview(account_id, uow=rt.uow())
    return page(request, session, "credit_note_form.html", active="accounts", a=found.account,
                invoice=invoice, lines=lines)  # fmt: skip


@router.get(_Invoice + "/preview")
def credit_preview(
    request: Request,
    session: SessionDep,
    account_id: str,
    number: str,
    credit_to: str = "balance",
    reason: str = "",
) -> Response:
    """What the credit note credits, tax included, and where it goes; nothing is issued yet."""
    needs(session, "issue_credit")
    rt = runtime_of(request)
    query = request.query_params
    selection = _selection(query.getlist("line"), query.getlist("amount"), query.getlist("whole"))
    cmd = CreditInvoice(account_id, number, selection, credit_to, reason)
    preview = preview_credit_note(session.actor, cmd, uow=rt.uow())
    found = account_overview(account_id, uow=rt.uow())
    return page(request, session, "credit_note_preview.html", active="accounts", a=found.account,
                preview=preview, cmd=cmd)  # fmt: skip


@router.post(_Invoice)
def credit_note(
    request: Request,
    session: PostingDep,
    account_id: str,
    number: str,
    line: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    amount: Annotated[list[str], Form()] = [],  # noqa: B006
    whole: Annotated[list[str], Form()] = [],  # noqa: B006
    credit_to: Annotated[str, Form()] = "balance",
    reason: Annotated[str, Form()] = "",
) -> Response:
    needs(session, "issue_credit")
    rt = runtime_of(request)
    cmd = CreditInvoice(account_id, number, _selection(line, amount, whole), credit_to, reason)
    credit_invoice(session.actor, cmd, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    return redirect(f"/accounts/{account_id}", done="credit_note_issued")


@router.get(_Payment)
def refund_preview(
    request: Request,
    session: SessionDep,
    account_id: str,
    payment_id: str,
    amount: str = "",
    reason: str = "",
) -> Response:
    """What is left to refund of the charge, what would be refunded (all that is left unless
    an amount is given) and the credit note that documents it."""
    needs(session, "issue_credit")
    rt = runtime_of(request)
    cmd = RefundPayment(account_id, payment_id, amount, reason)
    preview = preview_refund(session.actor, cmd, uow=rt.uow())
    found = account_overview(account_id, uow=rt.uow())
    return page(request, session, "refund_preview.html", active="accounts", a=found.account,
                preview=preview, cmd=cmd)  # fmt: skip


@router.post(_Payment)
def refund(
    request: Request,
    session: PostingDep,
    account_id: str,
    payment_id: str,
    amount: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    needs(session, "issue_credit")
    rt = runtime_of(request)
    refund_payment(
        session.actor, RefundPayment(account_id, payment_id, amount, reason), uow=rt.uow(),
        clock=rt.clock, gateway=rt.gateway,
    )  # fmt: skip
    return redirect(f"/accounts/{account_id}", done="payment_refunded")
