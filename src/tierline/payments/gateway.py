"""The payment gateway protocol and the built-in sandbox gateway with test cards.

Every charge carries an idempotency key: asking again with the same key never charges twice,
it returns what the first attempt did. That is what makes a timeout safe to retry.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

ChargeStatus = Literal["succeeded", "failed"]


@dataclass(frozen=True)
class ChargeResult:
    status: ChargeStatus
    reference: str
    failure_code: str | None = None
    failure_message: str | None = None


class GatewayTimeout(Exception):
    """The gateway did not answer: the charge may or may not have happened."""


@dataclass(frozen=True)
class CardInfo:
    token: str
    brand: str
    last4: str


class Gateway(Protocol):
    def tokenize(self, card_number: str) -> CardInfo: ...

    def charge(
        self, token: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> ChargeResult: ...

    def refund(
        self, token: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> ChargeResult: ...


DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
TIMES_OUT = "4000000000000119"
_BRANDS = {"4": "visa", "5": "mastercard", "3": "amex"}


class SandboxGateway:
    """A real implementation of the protocol that moves no money.

    4242424242424242 and 5555555555554444 succeed; 4000000000000002 is declined;
    4000000000009995 is declined for insufficient funds; 4000000000000119 captures the charge
    but the first answer for each idempotency key is lost (a timeout); a retry with the same key
    gets the recorded answer. Any card can be made to decline from a moment on (`decline`).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results: dict[str, ChargeResult] = {}
        self._declined: set[str] = set()
        self.captured: list[tuple[str, Decimal, str]] = []  # (token, amount, key)
        self.refunded: list[tuple[str, Decimal, str]] = []

    def tokenize(self, card_number: str) -> CardInfo:
        digits = card_number.replace(" ", "")
        if not digits.isdigit() or not 12 <= len(digits) <= 19 or not _luhn(digits):
            from tierline.errors import Invalid

            raise Invalid("That card number is not valid.", code="invalid_card", param="card")
        return CardInfo(
            token=f"tok_{digits}", brand=_BRANDS.get(digits[0], "card"), last4=digits[-4:]
        )

    def decline(self, token: str) -> None:
        with self._lock:
            self._declined.add(token)

    def charge(
        self, token: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> ChargeResult:
        with self._lock:
            if idempotency_key in self._results:
                return self._results[idempotency_key]
            number = token.removeprefix("tok_")
            if token in self._declined or number == DECLINED:
                result = ChargeResult(
                    "failed", idempotency_key, "card_declined", "The card was declined."
                )
            elif number == INSUFFICIENT_FUNDS:
                result = ChargeResult(
                    "failed",
                    idempotency_key,
                    "insufficient_funds",
                    "The card has insufficient funds.",
                )
            else:
                result = ChargeResult("succeeded", idempotency_key)
                self.captured.append((token, amount, idempotency_key))
            self._results[idempotency_key] = result
            if number == TIMES_OUT:
                raise GatewayTimeout(f"no answer for {idempotency_key}")
            return result

    def refund(
        self, token: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> ChargeResult:
        with self._lock:
            if idempotency_key not in self._results:
                self.refunded.append((token, amount, idempotency_key))
                self._results[idempotency_key] = ChargeResult("succeeded", idempotency_key)
            return self._results[idempotency_key]


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0
