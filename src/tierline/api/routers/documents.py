"""Invoices, credit notes, receipts, payments and in-app messages."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

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
from tierline.documents.formatting import Formatter
from tierline.notify.messages import message_text
from tierline.services import queries
from tierline.services.catalog import current_catalog
from tierline.services.payments import PayInvoice, pay_open_invoice
from tierline.views import credit_note, instant, invoice, payment, receipt

router = APIRouter(tags=["documents"], responses=error_responses(400, 401, 404))


def _currency(rt: RuntimeDep) -> str:
    return current_catalog(uow=rt.uow()).currency


@router.get("/v1/accounts/{account_id}/invoices", response_model=InvoicePage)
def list_invoices(
    account_id: str,
    rt: RuntimeDep,
    _: OperatorDep,
    page: PageDep,
    status: Literal["open", "paid", "uncollectible", "void"] | None = None,
) -> InvoicePage:
    """Oldest first. `status=open` lists the active bills; `status=paid` the paid ones."""
    currency = _currency(rt)
    found = queries.invoice_page(account_id, page, uow=rt.uow(), status=status)
    return InvoicePage.of(
        found, lambda doc: InvoiceRead(**invoice(doc, currency), currency=currency)
    )


@router.get("/v1/invoices/{number}", response_model=InvoiceRead)
def get_invoice(number: str, rt: RuntimeDep, _: OperatorDep) -> InvoiceRead:
    currency = _currency(rt)
    return InvoiceRead(
        **invoice(queries.get_invoice(number, uow=rt.uow()), currency), currency=currency
    )


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
    currency = _currency(rt)
    return InvoicePaymentRead(
        invoice=InvoiceRead(**invoice(paid.invoice, currency), currency=currency),
        receipt=ReceiptRead(**receipt(paid.receipt, currency), currency=currency),
    )


@router.get("/v1/accounts/{account_id}/credit_notes", response_model=CreditNotePage)
def list_credit_notes(
    account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep
) -> CreditNotePage:
    """Oldest first."""
    currency = _currency(rt)
    found = queries.credit_note_page(account_id, page, uow=rt.uow())
    return CreditNotePage.of(
        found, lambda doc: CreditNoteRead(**credit_note(doc, currency), currency=currency)
    )


@router.get("/v1/accounts/{account_id}/receipts", response_model=ReceiptPage)
def list_receipts(account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep) -> ReceiptPage:
    """Oldest first."""
    currency = _currency(rt)
    found = queries.receipt_page(account_id, page, uow=rt.uow())
    return ReceiptPage.of(
        found, lambda doc: ReceiptRead(**receipt(doc, currency), currency=currency)
    )


@router.get("/v1/accounts/{account_id}/payments", response_model=PaymentPage)
def list_payments(account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep) -> PaymentPage:
    """Card payments and refunds, oldest first."""
    currency = _currency(rt)
    found = queries.payment_page(account_id, page, uow=rt.uow())
    return PaymentPage.of(
        found, lambda p: PaymentRead(**payment(p, currency), id=p.id, currency=currency)
    )


@router.get("/v1/accounts/{account_id}/messages", response_model=MessagePage)
def list_messages(account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep) -> MessagePage:
    """The account's in-app messages, oldest first, e.g. the one confirming a license; `text`
    is in the account's language."""
    found = queries.message_page(account_id, page, uow=rt.uow())
    reader = Formatter.for_account(
        queries.get_account(account_id, uow=rt.uow()), current_catalog(uow=rt.uow()).units()
    )
    return MessagePage.of(
        found,
        lambda m: MessageRead(
            id=m["id"], at=instant(m["at"]), kind=m["kind"], payload=m["payload"],
            text=message_text(m["kind"], m["payload"], m["text"], reader),
        ),
    )  # fmt: skip
