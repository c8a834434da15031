"""Billing history: active and paid bills, credit notes, receipts, each as a PDF."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tierline.documents import render_credit_note, render_invoice, render_receipt
from tierline.errors import NotFound
from tierline.portal.rendering import PortalRoute, render, runtime_of
from tierline.portal.session import ViewerDep, config_of
from tierline.services import queries

router = APIRouter(route_class=PortalRoute)


@router.get("/billing")
def billing(request: Request, viewer: ViewerDep) -> Response:
    uow = runtime_of(request).uow
    invoices = queries.list_invoices(viewer.account_id, uow=uow())
    newest_first = sorted(invoices, key=lambda i: i.issued_at, reverse=True)
    return render(
        request, viewer, "billing.html", active="billing",
        open_invoices=[i for i in newest_first if i.status != "paid"],
        paid_invoices=[i for i in newest_first if i.status == "paid"],
        credit_notes=sorted(queries.list_credit_notes(viewer.account_id, uow=uow()),
                            key=lambda n: n.issued_at, reverse=True),
        receipts=sorted(queries.list_receipts(viewer.account_id, uow=uow()),
                        key=lambda r: r.issued_at, reverse=True),
    )  # fmt: skip


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
    return _pdf(render_invoice(invoice, account, config_of(request).seller), number)


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
    return _pdf(render_credit_note(note, account, config_of(request).seller), number)


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
    return _pdf(render_receipt(receipt, account, config_of(request).seller), number)
