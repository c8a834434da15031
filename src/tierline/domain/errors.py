"""Typed refusals. Each has a stable `code` (the scenario spec's list) and a human message.

TierlineError
├── NotFound                 no_subscription, unknown account, document …
├── Invalid                  a bad field: quantity_out_of_range, unknown_edition, invalid_amount,
│                            invalid_tax_id …
├── NotAllowed               transition_not_allowed, sales_managed, top_up_not_allowed,
│                            limit_reached, seat_limit_reached, invoice_uncollectible …
├── Conflict                 already_subscribed, stale version, idempotency key reuse,
│                            invoice_already_paid
└── PaymentFailed            payment_failed, no_payment_method, insufficient_balance
"""

from __future__ import annotations

from collections.abc import Mapping


class TierlineError(Exception):
    """`message` is the engine's English; `details` holds the facts it states (names, numbers,
    decimal strings) so that a reader's language can state them too."""

    code = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.param = param
        self.details: Mapping[str, object] = details or {}


class NotFound(TierlineError):
    code = "not_found"


class Invalid(TierlineError):
    code = "invalid_request"


class NotAllowed(TierlineError):
    code = "not_allowed"


class Conflict(TierlineError):
    code = "conflict"


class PaymentFailed(TierlineError):
    code = "payment_failed"


class TransitionNotAllowed(NotAllowed):
    code = "transition_not_allowed"


class SalesManaged(NotAllowed):
    code = "sales_managed"


class NotAvailableOnEdition(NotAllowed):
    code = "not_available_on_edition"


class TopUpNotAllowed(NotAllowed):
    code = "top_up_not_allowed"


class RawCardRefused(NotAllowed):
    """A card number typed into Tierline, with a provider that collects cards on its own page."""

    code = "raw_card_refused"


class HostedSetupUnavailable(NotAllowed):
    """Adding a method on the provider's page, with a gateway that has no such page."""

    code = "hosted_setup_unavailable"


class InvalidSignature(Invalid):
    """A provider's event whose signature does not verify."""

    code = "invalid_signature"


class LimitReached(NotAllowed):
    """A member (or anything counted) beyond a limit of the plan; `limit` is None when unlimited."""

    code = "limit_reached"

    def __init__(
        self, message: str, *, name: str, used: int, limit: int | None, param: str | None = None
    ) -> None:
        super().__init__(message, param=param)
        self.name = name
        self.used = used
        self.limit = limit


class SeatLimitReached(LimitReached):
    """A member beyond the seats bought."""

    code = "seat_limit_reached"


class QuantityOutOfRange(Invalid):
    code = "quantity_out_of_range"


class InvalidTaxId(Invalid):
    """A VAT or tax number that is not one of its country (format or check digits)."""

    code = "invalid_tax_id"


class InsufficientBalance(PaymentFailed):
    code = "insufficient_balance"


class NoPaymentMethod(PaymentFailed):
    code = "no_payment_method"


class StaleVersion(Conflict):
    code = "stale_version"


class PaymentInProgress(Conflict):
    """A purchase or a payment of the account waits for its outcome; nothing else is charged
    for it meanwhile."""

    code = "payment_in_progress"


class PaymentPending(Conflict):
    """The provider has not said yet whether the payment went through (direct debit,
    authentication, or no answer); its outcome is recorded when it comes."""

    code = "payment_pending"


class InvoiceAlreadyPaid(Conflict):
    """Paying an invoice that is paid already."""

    code = "invoice_already_paid"


class InvoiceVoid(NotAllowed):
    """Paying an invoice voided because its purchase could not be paid: it is not owed."""

    code = "invoice_void"


class PurchasePaidBack(Conflict):
    """The purchase was paid but the subscription changed meanwhile, so it could not be
    carried out; a credit note paid the money back."""

    code = "purchase_paid_back"


class InvoiceUncollectible(NotAllowed):
    """Paying an invoice written off as uncollectible (its subscription was cancelled)."""

    code = "invoice_uncollectible"
