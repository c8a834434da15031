"""What happens when a purchase made now cannot be paid: nothing of it is kept but the attempt."""

from __future__ import annotations

from datetime import datetime

from tierline.errors import NoPaymentMethod, PaymentFailed
from tierline.services.invoicing import Collection
from tierline.services.messages import notify
from tierline.store.uow import UnitOfWork


def paid_or_refuse(uow: UnitOfWork, result: Collection, now: datetime) -> None:
    """Roll the purchase back when its payment failed, keep the failed attempts, and refuse."""
    if result.paid:
        return
    invoice = result.invoice
    uow.rollback()
    for attempt in result.attempts:
        uow.payments.add(attempt)
    notify(
        uow, invoice.account_id, now, "payment.failed",
        f"Payment of {invoice.amount_due} {uow.catalog.currency} failed: {result.failure_message}",
        code=result.failure_code,
    )  # fmt: skip
    uow.commit()
    if result.failure_code == "no_payment_method":
        raise NoPaymentMethod("Add a payment method first.", param="payment_method")
    raise PaymentFailed(f"The payment failed: {result.failure_message}", param="payment_method")
