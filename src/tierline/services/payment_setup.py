"""Adding a payment method on the provider's page: Tierline starts a setup (a Stripe
SetupIntent) for the account's customer at the provider, created on first need; the customer
confirms it in the provider's elements (a card, or an IBAN and its SEPA mandate); the method is
stored once the provider says the setup succeeded, whether the portal's return page or the
provider's webhook says it first. No card number or IBAN passes through Tierline."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from tierline.clock import Clock
from tierline.domain.account import Account, PaymentMethod
from tierline.errors import HostedSetupUnavailable, NotFound
from tierline.payments import Gateway, HostedPayments, MethodType, SetupStatus, UseAs
from tierline.services.accounts import keep_payment_method
from tierline.store.uow import UnitOfWork


def hosted(gateway: Gateway) -> HostedPayments:
    """The gateway's setup on the provider's page; refused for the sandbox, which takes card
    numbers itself."""
    if not isinstance(gateway, HostedPayments):
        raise HostedSetupUnavailable(
            "This payment gateway takes card numbers directly; it has no provider page to add "
            "a method on."
        )
    return gateway


@dataclass(frozen=True)
class StartSetup:
    account_id: str
    method_type: MethodType = "card"
    use_as: UseAs = "primary"


@dataclass(frozen=True)
class SetupToConfirm:
    """What the provider's elements need to let the customer confirm the setup."""

    id: str
    client_secret: str
    method_type: MethodType
    publishable_key: str
    script_url: str


def start_payment_setup(cmd: StartSetup, *, uow: UnitOfWork, gateway: Gateway) -> SetupToConfirm:
    provider = hosted(gateway)
    with uow.reading():
        account = uow.accounts.get(cmd.account_id)
    customer = provider_customer(account, uow=uow, provider=provider)
    started = provider.start_setup(
        customer, cmd.method_type, account_id=account.id, use_as=cmd.use_as
    )
    return SetupToConfirm(
        started.id, started.client_secret, started.method_type, provider.publishable_key,
        provider.script_url,
    )  # fmt: skip


def provider_customer(account: Account, *, uow: UnitOfWork, provider: HostedPayments) -> str:
    """The account's customer at the provider, made on first need. Two first needs at once
    make one customer at the provider (its key is the account's), and one is kept."""
    if account.provider_customer_id is not None:
        return account.provider_customer_id
    made = provider.create_customer(account.id, account.name, account.billing_email)
    with uow:
        kept = uow.accounts.set_provider_customer(account.id, made)
        uow.commit()
    return kept


@dataclass(frozen=True)
class FinishSetup:
    """A setup the provider may have confirmed; `account_id` is the account that asks (None
    for the provider's own event)."""

    setup_id: str
    account_id: str | None = None


@dataclass(frozen=True)
class SetupFinished:
    status: SetupStatus
    method: PaymentMethod | None  # the method stored, once the setup succeeded


def finish_payment_setup(
    cmd: FinishSetup, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> SetupFinished:
    """Store the method of a setup that succeeded (once: a second call finds it stored)."""
    outcome = hosted(gateway).setup_outcome(cmd.setup_id)
    if outcome.account_id is None or cmd.account_id not in (None, outcome.account_id):
        raise NotFound(f"No setup '{cmd.setup_id}'.", code="unknown_setup", param="setup_intent")
    saved = outcome.method
    if outcome.status != "succeeded" or saved is None:
        return SetupFinished(outcome.status, None)
    method = PaymentMethod(
        id=saved.token, account_id=outcome.account_id, token=saved.token, brand=saved.brand,
        last4=saved.last4, created_at=clock.now(), bank=saved.bank, expiry=saved.expiry,
        mandate_reference=saved.mandate_reference,
    )  # fmt: skip
    try:
        with uow:
            stored = _stored(uow, method)
            if stored is None:
                primary = {"primary": True, "backup": False}.get(outcome.use_as)
                stored = keep_payment_method(
                    uow, method, primary=primary, backup=outcome.use_as == "backup"
                )
                uow.commit()
    except IntegrityError:  # stored meanwhile by the other path
        with uow.reading():
            stored = _stored(uow, method)
        if stored is None:
            raise
    return SetupFinished("succeeded", stored)


def _stored(uow: UnitOfWork, method: PaymentMethod) -> PaymentMethod | None:
    return next(
        (m for m in uow.payment_methods.for_account(method.account_id) if m.id == method.id), None
    )
