"""The prepaid balance: top-ups by card, metered usage paid from it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tierline.clock import Clock
from tierline.domain import journal
from tierline.domain.account import charge_order
from tierline.domain.money import currency_exponent, round_amount
from tierline.errors import (
    InsufficientBalance,
    Invalid,
    NoPaymentMethod,
    NotFound,
    PaymentPending,
    TopUpNotAllowed,
)
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.services.attempts import new_attempt
from tierline.services.collection import collect
from tierline.services.payments import refuse
from tierline.services.subscriptions import refuse_if_sales_managed
from tierline.store.uow import UnitOfWork


def parse_amount(text: str | Decimal, currency: str, *, param: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(text))
    except InvalidOperation:
        raise Invalid(f"'{text}' is not an amount.", code="invalid_amount", param=param) from None
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


def top_up(cmd: TopUp, *, uow: UnitOfWork, clock: Clock, gateway: Gateway) -> Decimal:
    """Charge a card and add the amount to the balance once the charge succeeded (the primary
    method, then the backup, unless a method is named). Returns the new balance."""
    now = clock.now()
    with uow:
        catalog = uow.catalog
        account = uow.accounts.get(cmd.account_id)
        amount = parse_amount(cmd.amount, catalog.currency)
        refuse_if_sales_managed(account)
        sub = uow.subscriptions.current_for(account.id)
        edition = catalog.edition(sub.plan.edition) if sub and sub.is_live else None
        if edition is None or edition.free:
            raise TopUpNotAllowed("The free edition does not support recharging the balance.")
        rules = catalog.balance
        if amount < rules.top_up_min or (rules.top_up_max and amount > rules.top_up_max):
            upper = f" and at most {rules.top_up_max}" if rules.top_up_max else ""
            raise Invalid(
                f"A top-up is at least {rules.top_up_min}{upper} {catalog.currency}.",
                code="invalid_amount", param="amount",
                details={"min": str(rules.top_up_min),
                         "max": str(rules.top_up_max) if rules.top_up_max else None},
            )  # fmt: skip
        methods = uow.payment_methods.for_account(account.id)
        if cmd.payment_method is not None:
            chosen = [m for m in methods if m.id == cmd.payment_method]
            if not chosen:
                raise NotFound(f"No payment method '{cmd.payment_method}'.", param="payment_method")
        else:
            chosen = charge_order(methods)
        if not chosen:
            raise NoPaymentMethod("Add a payment method first.", param="payment_method")
        reference = new_id("topup")
        new_attempt(
            uow, account.id, chosen[0], amount, now, reason="top_up", reference=reference,
            fallback=cmd.payment_method is None,
        )  # fmt: skip
        uow.commit()
    collect(uow=uow, clock=clock, gateway=gateway, account_id=account.id, concurrency=1)
    with uow.reading():
        moves = [p for p in uow.payments.for_account(account.id) if p.reference == reference]
        balance = uow.journal.balance(account.id)
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
        catalog = uow.catalog
        account = uow.accounts.get(cmd.account_id)
        meter = catalog.meter(cmd.meter)
        if meter is None:
            raise Invalid(
                f"No meter '{cmd.meter}'.", code="unknown_meter", param="meter",
                details={"code": cmd.meter},
            )  # fmt: skip
        if cmd.quantity <= 0:
            raise Invalid("Usage quantity must be positive.", param="quantity")
        fee = round_amount(meter.unit_price * cmd.quantity, catalog.currency)
        balance = uow.journal.balance(account.id)
        if fee > balance:
            raise InsufficientBalance(
                f"{cmd.quantity} {meter.name} cost {fee} {catalog.currency}; "
                f"the balance is {balance} {catalog.currency}. Recharge first.",
                param="quantity",
            )
        usage_id = new_id("use")
        uow.usage.add(usage_id, account.id, meter.code, cmd.quantity, fee, now)
        uow.journal.add(account.id, journal.usage_fee(fee, now, usage_id))
        uow.commit()
    return fee


def get_balance(account_id: str, *, uow: UnitOfWork) -> Decimal:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.journal.balance(account_id)
