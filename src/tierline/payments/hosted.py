"""What a provider that collects payment methods on its own page offers beyond the gateway
protocol: a customer per account, the setup of a card or of a direct-debit mandate that the
customer confirms in the provider's elements, what a page needs to let the customer authenticate
a payment, and the provider's signed events.

Tierline never sees a card number or an IBAN here: it gets the provider's reference of the
method and what may be shown of it (brand or bank, last 4, expiry, mandate reference).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from tierline.payments.gateway import ChargeResult

MethodType = Literal["card", "sepa_debit"]
UseAs = Literal["primary", "backup", "other"]
SetupStatus = Literal["succeeded", "processing", "pending", "failed"]


@dataclass(frozen=True)
class SetupStarted:
    """A setup for the customer to confirm in the provider's elements with `client_secret`."""

    id: str
    client_secret: str
    method_type: MethodType


@dataclass(frozen=True)
class SavedMethod:
    """A method the provider keeps, as Tierline stores it."""

    token: str  # the provider's reference of the method
    brand: str  # a card's brand, or the method type for a direct debit
    last4: str
    bank: str | None = None
    expiry: str | None = None  # YYYY-MM
    mandate_reference: str | None = None


@dataclass(frozen=True)
class SetupOutcome:
    """Where a setup stands: `pending` while the customer has not confirmed it."""

    id: str
    status: SetupStatus
    account_id: str | None  # the account it was started for
    use_as: UseAs
    method: SavedMethod | None = None


@dataclass(frozen=True)
class PaymentAction:
    """What a page needs to let the customer authenticate a payment with the provider."""

    client_secret: str
    payment_method: str | None


@dataclass(frozen=True)
class ProviderEvent:
    """A verified event: about a payment attempt (`attempt` with its `result`), about a setup
    (`setup_id`), or about neither (acknowledged and otherwise ignored)."""

    provider: str
    id: str
    kind: str
    attempt: str | None = None
    result: ChargeResult | None = None
    setup_id: str | None = None


@runtime_checkable
class HostedPayments(Protocol):
    provider: str
    publishable_key: str
    script_url: str  # the provider's script for the page's elements

    def create_customer(self, account_id: str, name: str, email: str | None) -> str: ...

    def start_setup(
        self, customer: str, method_type: MethodType, *, account_id: str, use_as: UseAs
    ) -> SetupStarted: ...

    def setup_outcome(self, setup_id: str) -> SetupOutcome: ...

    def payment_action(self, reference: str) -> PaymentAction | None:
        """How the customer authenticates the payment `reference`; None when it needs nothing."""
        ...

    def event(self, payload: bytes, signature: str) -> ProviderEvent:
        """The event in `payload`; `InvalidSignature` unless `signature` verifies."""
        ...
