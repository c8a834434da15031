"""Invoices, credit notes, receipts, payments and in-app messages."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from tierline.api.deps import OperatorDep, RuntimeDep
from tierline.api.responses import error_responses
from tierline.api.schemas import (
    CreditNoteRead,
    InvoiceRead,
    MessageRead,
    PaymentRead,
    ReceiptRead,
)
from tierline.services import queries
from tierline.services.catalog import current_catalog
from tierline.views import credit_note, instant, invoice, payment, receipt

router = APIRouter(tags=["documents"], responses=error_responses(400, 401, 404))


def _currency(rt: RuntimeDep) -> str:
    return current_catalog(uow=rt.uow()).currency


@router.get("/v1/accounts/{account_id}/invoices", response_model=list[InvoiceRead])
def list_invoices(
    account_id: str,
    rt: RuntimeDep,
    _: OperatorDep,
    status: Literal["open", "paid", "uncollectible"] | None = None,
) -> list[InvoiceRead]:
    """`status=open` lists the active bills; `status=paid` the paid ones."""
    currency = _currency(rt)
    found = queries.list_invoices(account_id, uow=rt.uow(), status=status)
    return [InvoiceRead(**invoice(doc, currency), currency=currency) for doc in found]


@router.get("/v1/invoices/{number}", response_model=InvoiceRead)
def get_invoice(number: str, rt: RuntimeDep, _: OperatorDep) -> InvoiceRead:
    currency = _currency(rt)
    return InvoiceRead(
        **invoice(queries.get_invoice(number, uow=rt.uow()), currency), currency=currency
    )


@router.get("/v1/accounts/{account_id}/credit_notes", response_model=list[CreditNoteRead])
def list_credit_notes(account_id: str, rt: RuntimeDep, _: OperatorDep) -> list[CreditNoteRead]:
    currency = _currency(rt)
    found = queries.list_credit_notes(account_id, uow=rt.uow())
    return [CreditNoteRead(**credit_note(doc, currency), currency=currency) for doc in found]


@router.get("/v1/accounts/{account_id}/receipts", response_model=list[ReceiptRead])
def list_receipts(account_id: str, rt: RuntimeDep, _: OperatorDep) -> list[ReceiptRead]:
    currency = _currency(rt)
    found = queries.list_receipts(account_id, uow=rt.uow())
    return [ReceiptRead(**receipt(doc, currency), currency=currency) for doc in found]


@router.get("/v1/accounts/{account_id}/payments", response_model=list[PaymentRead])
def list_payments(account_id: str, rt: RuntimeDep, _: OperatorDep) -> list[PaymentRead]:
    currency = _currency(rt)
    found = queries.list_payments(account_id, uow=rt.uow())
    return [PaymentRead(**payment(p, currency), currency=currency) for p in found]


@router.get("/v1/accounts/{account_id}/messages", response_model=list[MessageRead])
def list_messages(account_id: str, rt: RuntimeDep, _: OperatorDep) -> list[MessageRead]:
    """The account's in-app messages, e.g. the one confirming a license."""
    return [
        MessageRead(at=instant(m["at"]), kind=m["kind"], text=m["text"], payload=m["payload"])
        for m in queries.list_messages(account_id, uow=rt.uow())
    ]
