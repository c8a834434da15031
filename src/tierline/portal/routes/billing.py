"""Billing history: active and paid bills ("Pay now" on an open one), credit notes, receipts,
each as a PDF."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from tierline.documents import render_credit_note, render_invoice, render_receipt
from tierline.errors import NotFound, TierlineError
from tierline.portal.rendering import (
    PortalRoute,
    error_text,
    redirect,
    render,
    runtime_of,
    show_for,
)
from tierline.portal.session import AdminDep, ViewerDep, config_of
from tierline.services import queries
from tierline.services.accounts import list_payment_methods
from tierline.services.catalog import current_catalog
from tierline.services.payments import PayInvoice, pay_open_invoice
from tierline.services.subscriptions import subscription_on_documents

router = APIRouter(route_class=PortalRoute)


@router.get("/billing")
def billing(request: Request, viewer: ViewerDep) -> Response:
    uow = runtime_of(request).uow
    invoices = queries.list_invoices(viewer.account_id, uow=uow())
    newest_first = sorted(invoices, key=lambda i: i.issued_at, reverse=True)
    return render(
        request, viewer, "billing.html", active="billing",
        open_invoices=[i for i in newest_first if i.status in ("open", "uncollectible")],
        paid_invoices=[i for i in newest_first if i.status in ("paid", "void")],
        credit_notes=sorted(queries.list_credit_notes(viewer.account_id, uow=uow()),
                            key=lambda n: n.issued_at, reverse=True),
        receipts=sorted(queries.list_receipts(viewer.account_id, uow=uow()),
                        key=lambda r: r.issued_at, reverse=True),
        methods=list_payment_methods(viewer.account_id, uow=uow()),
    )  # fmt: skip


@router.post("/invoices/{number}/pay")
def pay_now(
    number: str,
    request: Request,
    viewer: AdminDep,
    payment_method: Annotated[str, Form()] = "",
) -> Response:
    """Pay an open bill with the card chosen (or the primary, then the backup)."""
    rt = runtime_of(request)
    show = show_for(queries.get_account(viewer.account_id, uow=rt.uow()))
    cmd = PayInvoice(viewer.account_id, number, payment_method or None)
    try:
        paid = pay_open_invoice(cmd, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    except NotFound:
        raise
    except TierlineError as error:
        return redirect(request, "/billing", error=error_text(show, error))
    done = show.words.gettext(
        "Invoice %(number)s is paid. Receipt %(receipt)s is in your billing history.",
        number=number,
        receipt=paid.receipt.number,
    )
    return redirect(request, "/billing", done=done)


def _pdf(body: bytes, number: str) -> Response:
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{number}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/invoices/{number}.pdf")
def invoice_pdf(number: str, request: Request, viewer: ViewerDep) -> Response:
    """An invoice of this account; another account's is not found (404)."""
    uow = runtime_of(request).uow
    invoice = queries.get_invoice(number, uow=uow(), account_id=viewer.account_id)
    account = queries.get_account(viewer.account_id, uow=uow())
    catalog = current_catalog(uow=uow())
    named = subscription_on_documents(account.id, invoice.number, uow=uow())
    pdf = render_invoice(invoice, account, config_of(request).seller, units=catalog.units(),
                         catalog=catalog, subscription=named)  # fmt: skip
    return _pdf(pdf, number)


@router.get("/credit-notes/{number}.pdf")
def credit_note_pdf(number: str, request: Request, viewer: ViewerDep) -> Response:
    uow = runtime_of(request).uow
    note = next(
        (n for n in queries.list_credit_notes(viewer.account_id, uow=uow()) if n.number == number),
        None,
    )
    if note is None:
        raise NotFound(f"No credit note '{number}'.")
    account = queries.get_account(viewer.account_id, uow=uow())
    catalog = current_catalog(uow=uow())
    named = subscription_on_documents(account.id, note.invoice_number, uow=uow())
    pdf = render_credit_note(note, account, config_of(request).seller, units=catalog.units(),
                             catalog=catalog, subscription=named)  # fmt: skip
    return _pdf(pdf, number)


@router.get("/receipts/{number}.pdf")
def receipt_pdf(number: str, request: Request, viewer: ViewerDep) -> Response:
    uow = runtime_of(request).uow
    receipt = next(
        (r for r in queries.list_receipts(viewer.account_id, uow=uow()) if r.number == number),
        None,
    )
    if receipt is None:
        raise NotFound(f"No receipt '{number}'.")
    account = queries.get_account(viewer.account_id, uow=uow())
    catalog = current_catalog(uow=uow())
    methods = queries.methods_of_receipts(viewer.account_id, [receipt], uow=uow())
    method = methods.get(receipt.payment_method or "")
    paid = queries.invoices_paid_by([receipt], uow=uow()).get(receipt.invoice_number or "")
    pdf = render_receipt(receipt, account, config_of(request).seller, units=catalog.units(),
                         catalog=catalog,
                         method=method, invoice=paid, taxed=catalog.tax is not None)  # fmt: skip
    return _pdf(pdf, number)
