"""Voiding an open invoice by hand: the operator forgives what it asks. Its number stays taken,
its status becomes `void`, the journal takes back what its issue recorded, what the balance
paid of it goes back to the balance, a purchase waiting for it is never applied, and a
subscription past due because of it is active again.

An invoice with money on it already (paid in part, or paid by a credit note) is not voided:
credit it instead, so that nothing paid is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from tierline.clock import Clock
from tierline.domain import journal
from tierline.domain.documents import Invoice
from tierline.domain.values import replace
from tierline.errors import Invalid, InvoiceNotVoidable, NotFound, PaymentInProgress
from tierline.services.attempts import in_flight_for_invoice
from tierline.services.audit import Actor, write_entry
from tierline.services.collection import reactivate_if_past_due, void_purchase
from tierline.services.operator_users import require
from tierline.store.uow import UnitOfWork


@dataclass(frozen=True)
class VoidInvoice:
    account_id: str
    invoice: str
    reason: str


def void_invoice(actor: Actor, cmd: VoidInvoice, *, uow: UnitOfWork, clock: Clock) -> Invoice:
    require(actor, "void_invoice")
    if not cmd.reason.strip():
        raise Invalid("Say why the invoice is voided.", code="reason_required", param="reason")
    now = clock.now()
    with uow:
        uow.documents.lock_invoice(cmd.invoice)
        invoice = uow.documents.invoice(cmd.invoice)
        if invoice.account_id != cmd.account_id:
            raise NotFound(f"No invoice '{cmd.invoice}'.", code="unknown_invoice", param="invoice")
        if invoice.status != "open":
            raise InvoiceNotVoidable(
                f"Invoice {invoice.number} is {invoice.status}; only an open one is voided.",
                param="invoice",
            )
        if invoice.amount_paid or invoice.credits_applied:
            raise InvoiceNotVoidable(
                f"Invoice {invoice.number} is paid in part already; credit it instead.",
                param="invoice",
            )
        if in_flight_for_invoice(uow, invoice.number):
            raise PaymentInProgress(
                f"A payment of {invoice.number} is on its way; wait for its outcome.",
                param="invoice",
            )
        purchase = uow.purchases.for_invoice(invoice.number)
        if purchase is not None and purchase.state == "awaiting":
            void_purchase(uow, purchase, invoice, now)
        else:
            uow.documents.save_payment_state(replace(invoice, status="void", next_attempt_at=None))
            uow.journal.add(
                invoice.account_id,
                journal.invoice_voided(invoice.gross, now, invoice.number, invoice.tax),
            )
            if invoice.balance_applied:
                uow.journal.add(
                    invoice.account_id,
                    journal.balance_restored(invoice.balance_applied, now, invoice.number),
                )
            reactivate_if_past_due(uow, invoice)
        write_entry(
            uow, actor, now, "invoice.void", account_id=invoice.account_id,
            subject=invoice.number,
            before={"status": invoice.status, "amount_due": invoice.amount_due},
            after={"status": "void", "reason": cmd.reason.strip()},
        )  # fmt: skip
        voided = uow.documents.invoice(invoice.number)
        uow.commit()
    return voided
