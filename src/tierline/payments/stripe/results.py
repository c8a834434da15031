"""Stripe's objects, read as Tierline's: a PaymentIntent or a Refund as a `ChargeResult`, a
PaymentMethod as a `SavedMethod`, a SetupIntent as a `SetupOutcome`, an event as a
`ProviderEvent`. Plain functions on the objects' JSON (dicts), no calls to Stripe."""

from __future__ import annotations

from typing import Any, cast

from tierline.payments.gateway import ChargeResult
from tierline.payments.hosted import ProviderEvent, SavedMethod, SetupOutcome, SetupStatus, UseAs

PROVIDER = "stripe"
ATTEMPT = "tierline_attempt"  # metadata: the attempt's id, which is its idempotency key
ACCOUNT = "tierline_account"  # metadata: the account a customer or a setup belongs to
INVOICE = "invoice"  # metadata: the invoice number a payment pays
USE_AS = "tierline_use_as"  # metadata: the role a method set up takes

# Declines that ask for the customer: the payment is completed on session, in the portal.
_NEEDS_CUSTOMER = {"authentication_required"}
_SETUP_STATUS: dict[str, SetupStatus] = {
    "succeeded": "succeeded",
    "processing": "processing",
    "canceled": "failed",
}

Json = dict[str, Any]


def metadata(obj: Json) -> dict[str, str]:
    return cast(dict[str, str], obj.get("metadata") or {})


def intent_result(intent: Json) -> ChargeResult:
    """What a PaymentIntent says of its payment."""
    status = intent.get("status")
    reference = str(intent.get("id") or "")
    error = intent.get("last_payment_error") or {}
    if status == "succeeded":
        return ChargeResult("succeeded", reference)
    if status in ("processing", "requires_capture"):
        return ChargeResult("processing", reference)
    if status == "requires_action":
        return ChargeResult("requires_action", reference)
    if status == "canceled":
        code = intent.get("cancellation_reason") or "canceled"
        return ChargeResult("failed", reference, code, "The payment was canceled.")
    return declined(error, reference)


def declined(error: Json, reference: str) -> ChargeResult:
    """A payment error: the decline code and message, or the customer asked to authenticate."""
    code = error.get("decline_code") or error.get("code") or "payment_failed"
    message = error.get("message") or "The payment failed."
    if code in _NEEDS_CUSTOMER:
        return ChargeResult("requires_action", reference, code, message)
    return ChargeResult("failed", reference, code, message)


def refund_result(refund: Json) -> ChargeResult:
    status = refund.get("status")
    reference = str(refund.get("id") or "")
    if status == "succeeded":
        return ChargeResult("succeeded", reference)
    if status in ("pending", "requires_action"):
        return ChargeResult("processing", reference)
    code = refund.get("failure_reason") or "refund_failed"
    return ChargeResult("failed", reference, code, "The refund failed.")


def saved_method(method: Json, mandate_reference: str | None = None) -> SavedMethod:
    if method.get("type") == "sepa_debit":
        debit = method.get("sepa_debit") or {}
        return SavedMethod(
            token=method["id"],
            brand="sepa_debit",
            last4=debit.get("last4") or "",
            bank=debit.get("bank_code"),
            mandate_reference=mandate_reference,
        )
    card = method.get("card") or {}
    month, year = card.get("exp_month"), card.get("exp_year")
    return SavedMethod(
        token=method["id"],
        brand=card.get("brand") or "card",
        last4=card.get("last4") or "",
        expiry=f"{int(year):04d}-{int(month):02d}" if month and year else None,
    )


def setup_outcome(setup: Json, mandate_reference: str | None = None) -> SetupOutcome:
    """A SetupIntent whose `payment_method` is expanded."""
    status = _SETUP_STATUS.get(setup.get("status") or "", "pending")
    method = setup.get("payment_method")
    use_as = metadata(setup).get(USE_AS)
    return SetupOutcome(
        id=setup["id"],
        status=status,
        account_id=metadata(setup).get(ACCOUNT),
        use_as=cast(UseAs, use_as if use_as in ("primary", "backup", "other") else "other"),
        method=(
            saved_method(method, mandate_reference)
            if status == "succeeded" and isinstance(method, dict)
            else None
        ),
    )


def provider_event(event: Json) -> ProviderEvent:
    kind = str(event.get("type") or "")
    obj: Json = (event.get("data") or {}).get("object") or {}
    event_id = str(event["id"])
    attempt = metadata(obj).get(ATTEMPT)
    if kind.startswith("payment_intent.") and attempt:
        return ProviderEvent(PROVIDER, event_id, kind, attempt, intent_result(obj))
    if kind.startswith(("refund.", "charge.refund.")) and attempt:
        return ProviderEvent(PROVIDER, event_id, kind, attempt, refund_result(obj))
    if kind.startswith("setup_intent.") and metadata(obj).get(ACCOUNT):
        return ProviderEvent(PROVIDER, event_id, kind, setup_id=str(obj["id"]))
    return ProviderEvent(PROVIDER, event_id, kind)
