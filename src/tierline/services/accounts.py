"""Accounts and payment methods."""

from __future__ import annotations

from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tierline.clock import Clock
from tierline.domain.account import Account, PaymentMethod
from tierline.domain.pages import Page, PageRequest
from tierline.errors import Conflict, Invalid, NotFound
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.store.uow import UnitOfWork


@dataclass(frozen=True)
class CreateAccount:
    name: str
    id: str | None = None
    currency: str | None = None  # defaults to the catalog's
    timezone: str = "UTC"
    locale: str = "en"
    sales_managed: bool = False
    billing_email: str | None = None


@dataclass(frozen=True)
class UpdateAccount:
    account_id: str
    name: str | None = None
    timezone: str | None = None
    locale: str | None = None
    sales_managed: bool | None = None
    billing_email: str | None = None


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"Unknown timezone '{name}'.", param="timezone") from None


def create_account(cmd: CreateAccount, *, uow: UnitOfWork, clock: Clock) -> Account:
    if not cmd.name.strip():
        raise Invalid("An account needs a name.", param="name")
    _check_timezone(cmd.timezone)
    with uow:
        currency = uow.catalog.currency
        if cmd.currency is not None and cmd.currency != currency:
            raise Invalid(
                f"Accounts are billed in {currency}, the catalog's currency.", param="currency"
            )
        account_id = cmd.id or new_id("acct")
        if uow.accounts.find(account_id) is not None:
            raise Conflict(f"An account '{account_id}' exists already.", code="account_exists")
        account = Account(
            id=account_id,
            name=cmd.name,
            currency=currency,
            timezone=cmd.timezone,
            locale=cmd.locale,
            sales_managed=cmd.sales_managed,
            billing_email=cmd.billing_email,
            created_at=clock.now(),
        )
        uow.accounts.add(account)
        uow.commit()
    return account


def update_account(cmd: UpdateAccount, *, uow: UnitOfWork) -> Account:
    if cmd.timezone is not None:
        _check_timezone(cmd.timezone)
    with uow:
        account = uow.accounts.get(cmd.account_id)
        changes = {k: v for k, v in cmd.__dict__.items() if k != "account_id" and v is not None}
        account = replace(account, **changes)
        uow.accounts.save(account)
        uow.commit()
    return account


@dataclass(frozen=True)
class AddPaymentMethod:
    account_id: str
    card: str
    id: str | None = None
    primary: bool | None = None  # default: primary when the account has none
    backup: bool = False


def add_payment_method(
    cmd: AddPaymentMethod, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> PaymentMethod:
    info = gateway.tokenize(cmd.card)
    with uow:
        uow.accounts.get(cmd.account_id)
        method = PaymentMethod(
            id=cmd.id or new_id("pm"),
            account_id=cmd.account_id,
            token=info.token,
            brand=info.brand,
            last4=info.last4,
            created_at=clock.now(),
        )
        kept = keep_payment_method(uow, method, primary=cmd.primary, backup=cmd.backup)
        uow.commit()
    return kept


def keep_payment_method(
    uow: UnitOfWork, method: PaymentMethod, *, primary: bool | None, backup: bool
) -> PaymentMethod:
    """Store a new method of an account with its roles (by default, primary when the account
    has none); the caller commits."""
    existing = uow.payment_methods.for_account(method.account_id)
    if any(m.id == method.id for m in existing):
        raise Conflict(f"A payment method '{method.id}' exists already.", param="id")
    has_primary = any(m.is_primary for m in existing)
    is_primary = primary if primary is not None else not has_primary and not backup
    uow.payment_methods.add(method)
    current_primary = next((m.id for m in existing if m.is_primary), None)
    current_backup = next((m.id for m in existing if m.is_backup), None)
    uow.payment_methods.set_roles(
        method.account_id,
        primary=method.id if is_primary else current_primary,
        backup=method.id if backup else current_backup,
    )
    return replace(method, is_primary=is_primary, is_backup=backup)


def list_payment_methods(account_id: str, *, uow: UnitOfWork) -> list[PaymentMethod]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.payment_methods.for_account(account_id)


def payment_method_page(
    account_id: str, request: PageRequest, *, uow: UnitOfWork
) -> Page[PaymentMethod]:
    with uow.reading():
        uow.accounts.get(account_id)
        return uow.payment_methods.page_for(account_id, request)


@dataclass(frozen=True)
class SetPaymentRoles:
    account_id: str
    primary: str | None
    backup: str | None


def set_payment_roles(cmd: SetPaymentRoles, *, uow: UnitOfWork) -> list[PaymentMethod]:
    with uow:
        ids = {m.id for m in uow.payment_methods.for_account(cmd.account_id)}
        for field, value in (("primary", cmd.primary), ("backup", cmd.backup)):
            if value is not None and value not in ids:
                raise NotFound(f"No payment method '{value}'.", param=field)
        if cmd.primary is not None and cmd.primary == cmd.backup:
            raise Invalid("The backup method must differ from the primary.", param="backup")
        uow.payment_methods.set_roles(cmd.account_id, cmd.primary, cmd.backup)
        methods = uow.payment_methods.for_account(cmd.account_id)
        uow.commit()
    return methods


def remove_payment_method(account_id: str, method_id: str, *, uow: UnitOfWork) -> None:
    """Removing the primary promotes the backup, so renewals keep a method to charge."""
    with uow:
        methods = uow.payment_methods.for_account(account_id)
        method = next((m for m in methods if m.id == method_id), None)
        if method is None:
            raise NotFound(f"No payment method '{method_id}'.", param="payment_method")
        uow.payment_methods.remove(account_id, method_id)
        if method.is_primary:
            backup = next((m.id for m in methods if m.is_backup), None)
            uow.payment_methods.set_roles(account_id, primary=backup, backup=None)
        uow.commit()
