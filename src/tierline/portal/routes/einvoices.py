"""E-invoices of the signed-in account: an invoice or a credit note as Factur-X (the PDF with
its EN 16931 XML embedded), for accounting software that reads them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tierline.documents import einvoice_of
from tierline.domain.documents import CreditNote, Invoice
from tierline.portal.rendering import PortalRoute, runtime_of
from tierline.portal.session import ViewerDep, config_of
from tierline.services import queries
from tierline.services.catalog import current_catalog

router = APIRouter(route_class=PortalRoute)


def _einvoice(request: Request, doc: Invoice | CreditNote, account_id: str) -> Response:
    uow = runtime_of(request).uow
    account = queries.get_account(account_id, uow=uow())
    catalog = current_catalog(uow=uow())
    body = einvoice_of(doc, account, config_of(request).seller, currency=account.currency,
                       units=catalog.units(), catalog=catalog)  # fmt: skip
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{doc.number}-factur-x.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/invoices/{number}/einvoice.pdf")
def invoice_einvoice(number: str, request: Request, viewer: ViewerDep) -> Response:
    """An invoice of this account; another account's is not found (404)."""
    uow = runtime_of(request).uow
    invoice = queries.get_invoice(number, uow=uow(), account_id=viewer.account_id)
    return _einvoice(request, invoice, viewer.account_id)


@router.get("/credit-notes/{number}/einvoice.pdf")
def credit_note_einvoice(number: str, request: Request, viewer: ViewerDep) -> Response:
    uow = runtime_of(request).uow
    note = queries.get_credit_note(number, uow=uow(), account_id=viewer.account_id)
    return _einvoice(request, note, viewer.account_id)
