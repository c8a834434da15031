"""The payment gateway protocol: what Tierline asks of a payment provider.

Every charge and refund carries an idempotency key, the id of the payment attempt that Tierline
committed before calling. Asking again with the same key never moves money twice: it returns what
the first call did. An answer that was lost (a crash, a timeout) is asked for with `retrieve`,
never sent again under another key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol, runtime_checkable

from tierline.domain.values import quick_init

ChargeStatus = Literal["succeeded", "failed", "processing", "requires_action"]
MovementKind = Literal["charge", "refund"]


@quick_init
@dataclass(frozen=True)
class ChargeRequest:
    """One movement of money, as sent to the provider. `idempotency_key` is the attempt's id;
    `customer` is the provider's customer of the account, where the provider keeps one."""

    idempotency_key: str
    kind: MovementKind
    token: str
    amount: Decimal
    currency: str
    account_id: str
    payment_method: str
    invoice: str | None = None
    customer: str | None = None


@quick_init
@dataclass(frozen=True)
class ChargeResult:
    status: ChargeStatus
    reference: str
    failure_code: str | None = None
    failure_message: str | None = None


class GatewayTimeout(Exception):
    """The gateway did not answer: the movement may or may not have happened."""


@dataclass(frozen=True)
class CardInfo:
    token: str
    brand: str
    last4: str


class Gateway(Protocol):
    def tokenize(self, card_number: str) -> CardInfo: ...

    def charge(self, request: ChargeRequest) -> ChargeResult:
        """Move the money (a charge or a refund). Raises `GatewayTimeout` when no answer came."""
        ...

    def retrieve(self, idempotency_key: str) -> ChargeResult | None:
        """What the provider did with this key; None when it never received it."""
        ...


@runtime_checkable
class ChargesInBulk(Protocol):
    """A gateway that takes many movements in one call, as a provider's bulk API does: each
    answer as `charge` would give it, None where the answer was lost (ask by its key)."""

    def charge_all(self, requests: Sequence[ChargeRequest]) -> list[ChargeResult | None]: ...

    @property
    def answers_at_once(self) -> bool:
        """True when the provider answers with no wait of its own (an in-process ledger): its
        pace need not be learnt, and a busy machine cannot make it look slow."""
        ...
