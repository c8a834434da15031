"""The prepaid balance: top-ups by card, metered usage paid from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tierline.clock import Clock
from tierline.domain import journal
from tierline.domain.money import currency_exponent, round_amount
from tierline.domain.top_up import TopUpReview, decide_top_up
from tierline.errors import (
    InsufficientBalance,
    Invalid,
    PaymentPending,
)
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.services.attempts import new_attempt
from tierline.services.collection import collect
from tierline.services.payments import refuse
from tierline.services.taxing import tax_usage
from tierline.store.uow import UnitOfWork

# How an amount is written: ASCII digits, then an optional point and decimals ("50", "50.00").
_AMOUNT = re.compile(r"[0-9]+(\.[0-9]+)?")


def parse_amount(text: str | Decimal, currency: str, *, param: str = "amount") -> Decimal:
    """An amount from a person or a program. A sign, an exponent (`1e3`), digit separators
    (`1,000.00`, `1_0.00`), spaces around it and digits of other scripts (`١٠`) are refused,
    never read as some other amount."""
    if isinstance(text, Decimal):
        amount = text
    elif isinstance(text, str) and _AMOUNT.fullmatch(text):
        amount = Decimal(text)
    else:
        raise Invalid(
            "An amount is written with digits and an optional decimal point, such as 50.00.",
            code="invalid_amount", param=param,
        )  # fmt: skip
    if not amount.is_finite() or amount <= 0:
        raise Invalid("The amount must be positive.", code="invalid_amount", param=param)
    if amount.adjusted() >= 15:  # beyond what rounding and 64-bit minor units can hold
        raise Invalid("The amount is too large.", code="invalid_amount", param=param)
    if amount != round_amount(amount, currency):
        raise Invalid(
            f"{currency} amounts have at most {currency_exponent(currency)} decimals.",
            code="invalid_amount",
            param=param,
        )
    return round_amount(amount, currency)


@dataclass(frozen=True)
class TopUp:
    account_id: str
    amount: str | Decimal
    payment_method: str | None = None


def _decide(uow: UnitOfWork, cmd: TopUp) -> TopUpReview:
    account = uow.accounts.get(cmd.account_id)
    amount = parse_amount(cmd.amount, account.currency)
    return decide_top_up(
        uow.catalog.in_currency(account.currency), account,
        uow.subscriptions.current_for(account.id),
        uow.payment_methods.for_account(account.id), amount, cmd.payment_method,
    )  # fmt: skip


def review_top_up(cmd: TopUp, *, uow: UnitOfWork) -> TopUpReview:
    """What `top_up` would charge, and to which method, refused as it would be; nothing is
    charged or stored."""
    with uow.reading():
        return _decide(uow, cmd)


def top_up(cmd: TopUp, *, uow: UnitOfWork, clock: Clock, gateway: Gateway) -> Decimal:
    """Charge a card and add the amount to the balance once the charge succeeded (the primary
    method, then the backup, unless a method is named). Returns the new balance."""
    now = clock.now()
    with uow:
        review = _decide(uow, cmd)
        reference = new_id("topup")
        new_attempt(
            uow, cmd.account_id, review.method, review.amount, now, reason="top_up",
            reference=reference, fallback=cmd.payment_method is None,
        )  # fmt: skip
        uow.commit()
    collect(uow=uow, clock=clock, gateway=gateway, account_id=cmd.account_id, concurrency=1)
    with uow.reading():
        moves = [p for p in uow.payments.for_account(cmd.account_id) if p.reference == reference]
        balance = uow.journal.balance(cmd.account_id)
    if any(p.status == "succeeded" for p in moves):
        return balance
    if any(p.in_flight for p in moves):
        raise PaymentPending(
            "The top-up is not settled yet; the balance is recharged when the provider answers.",
            param="payment_method",
        )
    refuse(moves[-1])


@dataclass(frozen=True)
class RecordUsage:
    account_id: str
    meter: str
    quantity: int


def record_usage(cmd: RecordUsage, *, uow: UnitOfWork, clock: Clock) -> Decimal:
    """Pay metered usage (SMS, e-mail) from the balance. Returns the fee charged."""
    now = clock.now()
    with uow:
        account = uow.accounts.get(cmd.account_id)
        catalog = uow.catalog.in_currency(account.currency)
        meter = catalog.meter(cmd.meter)
        if meter is None:
            raise Invalid(
                f"No meter '{cmd.meter}'.", code="unknown_meter", param="meter",
                details={"code": cmd.meter},
            )  # fmt: skip
        if cmd.quantity <= 0:
            raise Invalid("Usage quantity must be positive.", param="quantity")
        fee = round_amount(meter.unit_price * cmd.quantity, catalog.currency)
        gross, tax = tax_usage(uow, account, fee, now)  # taxed when used, not when topped up
        uow.journal.hold_balances()
        balance = uow.journal.balance(account.id)
        if gross > balance:
            raise InsufficientBalance(
                f"{cmd.quantity} {meter.name} cost {gross} {catalog.currency}; "
                f"the balance is {balance} {catalog.currency}. Recharge first.",
                param="quantity",
            )
        usage_id = new_id("use")
        uow.usage.add(usage_id, account.id, meter.code, cmd.quantity, fee, now)
        uow.journal.add(account.id, journal.usage_fee(gross, now, usage_id, tax))
        uow.commit()
    return fee


def get_balance(account_id: str, *, uow: UnitOfWork) -> Decimal:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.journal.balance(account_id)
