"""Invoices, credit notes, receipts, payments and in-app messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from tierline.api.deps import OperatorDep, PageDep, RuntimeDep
from tierline.api.responses import error_responses
from tierline.api.schemas import (
    CreditNotePage,
    CreditNoteRead,
    InvoicePage,
    InvoicePaymentCreate,
    InvoicePaymentRead,
    InvoiceRead,
    MessagePage,
    MessageRead,
    PaymentPage,
    PaymentRead,
    ReceiptPage,
    ReceiptRead,
)
from tierline.documents import Seller, cii_xml, einvoice_of
from tierline.documents.formatting import Formatter
from tierline.domain.documents import CreditNote, Invoice, Receipt
from tierline.notify.messages import message_text
from tierline.services import queries
from tierline.services.catalog import current_catalog
from tierline.services.payments import PayInvoice, pay_open_invoice
from tierline.views import (
    credit_note,
    instant,
    invoice,
    money,
    parties,
    payment,
    receipt,
    taxes,
)

router = APIRouter(tags=["documents"], responses=error_responses(400, 401, 404))


def _currency(rt: RuntimeDep, account_id: str) -> str:
    """The account's currency, which every one of its documents is in."""
    return queries.get_account(account_id, uow=rt.uow()).currency


def _tax_and_parties(doc: Invoice | CreditNote, currency: str) -> dict[str, Any]:
    figures = taxes(doc, currency)
    for shown, line in zip(figures["tax"], doc.tax, strict=True):
        shown["mention"] = line.mention
    return {**figures, "parties": parties(doc.parties)}


def invoice_read(doc: Invoice, currency: str) -> InvoiceRead:
    return InvoiceRead(**invoice(doc, currency), **_tax_and_parties(doc, currency),
                       currency=currency)  # fmt: skip


def credit_note_read(doc: CreditNote, currency: str) -> CreditNoteRead:
    return CreditNoteRead(**credit_note(doc, currency), **_tax_and_parties(doc, currency),
                          currency=currency)  # fmt: skip


def receipt_read(doc: Receipt, currency: str, paid: Invoice | None) -> ReceiptRead:
    """A receipt with the tax figures of the invoice it pays (`paid`), as that invoice has
    them; a top-up's receipt has none."""
    figures: dict[str, Any] = {"tax": [], "tax_total": money(Decimal(0), currency), "gross": None}
    if paid is not None:
        figures = _tax_and_parties(paid, currency)
    figures["parties"] = parties(doc.parties)
    return ReceiptRead(**receipt(doc, currency), **figures, currency=currency)


@router.get("/v1/accounts/{account_id}/invoices", response_model=InvoicePage)
def list_invoices(
    account_id: str,
    rt: RuntimeDep,
    _: OperatorDep,
    page: PageDep,
    status: Literal["open", "paid", "uncollectible", "void"] | None = None,
) -> InvoicePage:
    """Oldest first. `status=open` lists the active bills; `status=paid` the paid ones."""
    currency = _currency(rt, account_id)
    found = queries.invoice_page(account_id, page, uow=rt.uow(), status=status)
    return InvoicePage.of(found, lambda doc: invoice_read(doc, currency))


@router.get("/v1/invoices/{number}", response_model=InvoiceRead)
def get_invoice(number: str, rt: RuntimeDep, _: OperatorDep) -> InvoiceRead:
    found = queries.get_invoice(number, uow=rt.uow())
    return invoice_read(found, _currency(rt, found.account_id))


@router.post(
    "/v1/invoices/{number}/pay",
    response_model=InvoicePaymentRead,
    responses=error_responses(402, 403, 409),
)
def pay_invoice(
    number: str, rt: RuntimeDep, _: OperatorDep, body: InvoicePaymentCreate | None = None
) -> InvoicePaymentRead:
    """Pay an open invoice now ("Pay now"): the payment method given, or the primary then the
    backup. A declined card is a 402 with the card's message (the attempt is kept); a paid
    invoice is a 409 (invoice_already_paid); one written off is a 403 (invoice_uncollectible)."""
    found = queries.get_invoice(number, uow=rt.uow())
    cmd = PayInvoice(found.account_id, number, body.payment_method if body else None)
    paid = pay_open_invoice(cmd, uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    currency = _currency(rt, found.account_id)
    return InvoicePaymentRead(
        invoice=invoice_read(paid.invoice, currency),
        receipt=receipt_read(paid.receipt, currency, paid.invoice),
    )


_EINVOICE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {}, "application/xml": {}},
        "description": "Factur-X (EN 16931 profile): the PDF with its CII XML embedded as "
        "`factur-x.xml`; with `format=xml`, the CII XML alone.",
    },
    **error_responses(
        403,
        described={
            403: "einvoice_needs_seller: the document was issued without a seller "
            "(the catalog has no `seller`)."
        },
    ),
}
EInvoiceFormat = Literal["pdf", "xml"]


def _seller(request: Request) -> Seller:
    """The seller printed when the document names none (no catalog `seller`): the portal's."""
    config = getattr(request.app.state, "portal", None)
    return config.seller if config is not None else Seller(name="")


def _einvoice(
    doc: Invoice | CreditNote, request: Request, rt: RuntimeDep, as_format: EInvoiceFormat
) -> Response:
    catalog = current_catalog(uow=rt.uow())
    account = queries.get_account(doc.account_id, uow=rt.uow())
    if as_format == "xml":
        body = cii_xml(doc, account, currency=account.currency, units=catalog.units(),
                       catalog=catalog)  # fmt: skip
        return Response(body, media_type="application/xml", headers={
            "Content-Disposition": f'attachment; filename="{doc.number}.xml"'})  # fmt: skip
    body = einvoice_of(doc, account, _seller(request), currency=account.currency,
                       units=catalog.units(), catalog=catalog)  # fmt: skip
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{doc.number}.pdf"'})  # fmt: skip


@router.get("/v1/invoices/{number}/einvoice", response_class=Response, responses=_EINVOICE)
def invoice_einvoice(
    number: str,
    request: Request,
    rt: RuntimeDep,
    _: OperatorDep,
    format: Annotated[EInvoiceFormat, Query()] = "pdf",
) -> Response:
    """The invoice as an EN 16931 e-invoice (Factur-X), checked against the standard's schema."""
    return _einvoice(queries.get_invoice(number, uow=rt.uow()), request, rt, format)


@router.get("/v1/credit_notes/{number}/einvoice", response_class=Response, responses=_EINVOICE)
def credit_note_einvoice(
    number: str,
    request: Request,
    rt: RuntimeDep,
    _: OperatorDep,
    format: Annotated[EInvoiceFormat, Query()] = "pdf",
) -> Response:
    """The credit note as an EN 16931 e-invoice (Factur-X, type 381, naming the invoice it
    credits)."""
    return _einvoice(queries.get_credit_note(number, uow=rt.uow()), request, rt, format)


@router.get("/v1/accounts/{account_id}/credit_notes", response_model=CreditNotePage)
def list_credit_notes(
    account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep
) -> CreditNotePage:
    """Oldest first."""
    currency = _currency(rt, account_id)
    found = queries.credit_note_page(account_id, page, uow=rt.uow())
    return CreditNotePage.of(found, lambda doc: credit_note_read(doc, currency))


@router.get("/v1/accounts/{account_id}/receipts", response_model=ReceiptPage)
def list_receipts(account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep) -> ReceiptPage:
    """Oldest first."""
    currency = _currency(rt, account_id)
    found = queries.receipt_page(account_id, page, uow=rt.uow())
    paid = queries.invoices_paid_by(found.items, uow=rt.uow())
    return ReceiptPage.of(
        found,
        lambda doc: receipt_read(doc, currency, paid.get(doc.invoice_number or "")),
    )


@router.get("/v1/accounts/{account_id}/payments", response_model=PaymentPage)
def list_payments(account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep) -> PaymentPage:
    """Card payments and refunds, oldest first."""
    currency = _currency(rt, account_id)
    found = queries.payment_page(account_id, page, uow=rt.uow())
    return PaymentPage.of(
        found, lambda p: PaymentRead(**payment(p, currency), id=p.id, currency=currency)
    )


@router.get("/v1/accounts/{account_id}/messages", response_model=MessagePage)
def list_messages(account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep) -> MessagePage:
    """The account's in-app messages, oldest first, e.g. the one confirming a license; `text`
    is in the account's language."""
    found = queries.message_page(account_id, page, uow=rt.uow())
    catalog = current_catalog(uow=rt.uow())
    reader = Formatter.for_account(queries.get_account(account_id, uow=rt.uow()), catalog.units())
    return MessagePage.of(
        found,
        lambda m: MessageRead(
            id=m["id"], at=instant(m["at"]), kind=m["kind"], payload=m["payload"],
            text=message_text(m["kind"], m["payload"], m["text"], reader, catalog),
        ),
    )  # fmt: skip
