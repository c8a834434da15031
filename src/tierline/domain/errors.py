"""Typed refusals. Each has a stable `code` (the scenario spec's list) and a human message.

TierlineError
├── NotFound                 no_subscription, unknown account, document …
├── Invalid                  a bad field: quantity_out_of_range, unknown_edition, invalid_amount,
│                            invalid_tax_id, credit_above_what_is_left …
├── NotAllowed               transition_not_allowed, sales_managed, top_up_not_allowed,
│                            limit_reached, seat_limit_reached, invoice_uncollectible,
│                            einvoice_needs_seller, invoice_not_creditable …
├── Conflict                 already_subscribed, stale version, idempotency key reuse,
│                            invoice_already_paid, currency_in_use
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


class UnsupportedLocale(Invalid):
    """An account's locale in a language Tierline has no words for, or not a locale at all."""

    code = "unsupported_locale"


class UnsupportedCurrency(Invalid, ValueError):
    """A currency the catalog does not sell in: asked for a new account or a quote, or the
    currency of an account whose prices an older catalog version left out. A `ValueError` too:
    `Catalog.in_currency` raises it for a currency the catalog has no prices in."""

    code = "unsupported_currency"


class CurrencyInUse(Conflict):
    """A new catalog version that no longer sells in a currency some account is billed in: an
    account's currency is for life, so every later price of it must be in that currency.
    `details["currencies"]` maps each such currency to how many accounts are billed in it."""

    code = "currency_in_use"


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


class OperatorNotPermitted(NotAllowed):
    """An operator of the console whose role does not allow the action."""

    code = "operator_not_permitted"


class SignInRefused(NotAllowed):
    """A console sign-in with an unknown e-mail, a wrong password or a wrong code: which one is
    not said."""

    code = "sign_in_refused"


class TooManySignInAttempts(NotAllowed):
    """Too many failed console sign-ins for the e-mail or from the address; wait and retry."""

    code = "too_many_sign_in_attempts"


class OperatorLinkInvalid(NotAllowed):
    """A one-time password link of the console that is unknown, used or expired."""

    code = "operator_link_invalid"


class OperatorExists(Conflict):
    code = "operator_exists"


class PasswordTooShort(Invalid):
    code = "password_too_short"


class InvalidTotpCode(Invalid):
    code = "invalid_totp_code"


class InvoiceNotVoidable(NotAllowed):
    """Only an open invoice with nothing paid on it can be voided by hand; credit it instead."""

    code = "invoice_not_voidable"


class EInvoiceNeedsSeller(NotAllowed):
    """An e-invoice of a document issued without the catalog's `seller`."""

    code = "einvoice_needs_seller"


class InvoiceNotCreditable(NotAllowed):
    """A credit note for an invoice that is void or written off: only a paid or an open one is
    credited."""

    code = "invoice_not_creditable"


class NothingToCredit(Invalid):
    """A credit note with no line selected, or nothing left to credit on what was selected."""

    code = "nothing_to_credit"


class CreditAboveWhatIsLeft(Invalid):
    """A line credited for more than is left of it once earlier credit notes are counted, or a
    credit note worth more than is left of the whole invoice. `param` names the field."""

    code = "credit_above_what_is_left"


class PaymentNotRefundable(NotAllowed):
    """A refund of a payment that is not a succeeded charge of an invoice (a failed or pending
    attempt, a refund, a top-up), or whose card is no longer the account's."""

    code = "payment_not_refundable"


class RefundAboveWhatIsLeft(Invalid):
    """A refund of more than the charge took, less what was refunded of it already."""

    code = "refund_above_what_is_left"
