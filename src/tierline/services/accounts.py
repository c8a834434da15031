"""Accounts and payment methods."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tierline.clock import Clock
from tierline.domain.account import Account, PaymentMethod, billing_currency
from tierline.domain.countries import is_country_code
from tierline.domain.pages import Page, PageRequest
from tierline.domain.values import replace
from tierline.errors import Conflict, Invalid, InvalidTaxId, NotFound, UnsupportedLocale
from tierline.i18n import LANGUAGES, is_supported
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.store.uow import UnitOfWork
from tierline.taxids import EU_MEMBER_STATES, TaxIdRegistry, parse_tax_id


@dataclass(frozen=True)
class CreateAccount:
    name: str
    id: str | None = None
    currency: str | None = None  # defaults to the catalog's
    timezone: str = "UTC"
    locale: str = "en"
    sales_managed: bool = False
    billing_email: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    region: str | None = None
    address: Sequence[str] = ()
    tax_id: str | None = None  # checked for `country`; stored in its compact form


@dataclass(frozen=True)
class UpdateAccount:
    """Fields left None stay as they are; an empty `region` or `tax_id` (or `address` [])
    removes it."""

    account_id: str
    name: str | None = None
    timezone: str | None = None
    locale: str | None = None
    sales_managed: bool | None = None
    billing_email: str | None = None
    country: str | None = None
    region: str | None = None
    address: Sequence[str] | None = None
    tax_id: str | None = None


_ADDRESS_LINES = 6
_ADDRESS_LINE_LENGTH = 200


def billing_details(
    account: Account,
    *,
    country: str | None,
    region: str | None,
    address: Sequence[str],
    tax_id: str | None,
    registry: TaxIdRegistry | None = None,
) -> Account:
    """The account with these billing details, checked: a country is an ISO 3166-1 code, a tax
    id is valid for the account's country (format and check digits, python-stdnum) and, when a
    `registry` is given (VIES), not known to it as unregistered. Raises `InvalidTaxId` naming
    `tax_id`, or `Invalid` naming the field."""
    country = (country or "").strip().upper() or None
    if country is not None and not is_country_code(country):
        raise Invalid(
            f"'{country}' is not an ISO 3166-1 alpha-2 country code.",
            code="invalid_country", param="country",
        )  # fmt: skip
    region = (region or "").strip().upper() or None
    if region is not None and (len(region) > 16 or not region.replace("-", "").isalnum()):
        raise Invalid(f"'{region}' is not a region code.", param="region")
    lines = tuple(line.strip() for line in address if line and line.strip())
    if len(lines) > _ADDRESS_LINES or any(len(line) > _ADDRESS_LINE_LENGTH for line in lines):
        raise Invalid(
            f"An address has at most {_ADDRESS_LINES} lines of {_ADDRESS_LINE_LENGTH} characters.",
            param="address",
        )
    number = (tax_id or "").strip() or None
    if number is not None:
        if country is None:
            raise Invalid("A tax id is read for a country: give the account's country.",
                          param="country")  # fmt: skip
        parsed = parse_tax_id(number, country)
        if registry is not None and parsed.checked and country in EU_MEMBER_STATES:
            confirmation = registry.confirm(parsed)
            if confirmation.registered is False:  # None: the registry could not answer
                raise InvalidTaxId(
                    f"'{parsed.number}' is not a registered VAT number.",
                    param="tax_id", details={"tax_id": parsed.number, "country": country},
                )  # fmt: skip
        number = parsed.number
    return replace(account, country=country, region=region, address=lines, tax_id=number)


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name no file may have
        raise Invalid(f"Unknown timezone '{name[:64]}'.", param="timezone") from None


def _check_locale(tag: str) -> None:
    """A locale Babel knows, in a language Tierline has words for (`fr`, `fr-CA`, `vi_VN`)."""
    if not is_supported(tag):
        raise UnsupportedLocale(
            f"Tierline has no words for the locale '{tag}'; use one of "
            f"{', '.join(LANGUAGES)}, with a region if wanted (fr-CA).",
            param="locale",
            details={"locale": tag, "supported": list(LANGUAGES)},
        )


def create_account(
    cmd: CreateAccount,
    *,
    uow: UnitOfWork,
    clock: Clock,
    registry: TaxIdRegistry | None = None,
) -> Account:
    if not cmd.name.strip():
        raise Invalid("An account needs a name.", param="name")
    _check_timezone(cmd.timezone)
    _check_locale(cmd.locale)
    with uow:
        currency = billing_currency(uow.catalog, cmd.currency)  # fixed for life
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
        account = billing_details(
            account, country=cmd.country, region=cmd.region, address=cmd.address,
            tax_id=cmd.tax_id, registry=registry,
        )  # fmt: skip
        uow.accounts.add(account)
        uow.commit()
    return account


_DETAILS = ("country", "region", "address", "tax_id")


def update_account(
    cmd: UpdateAccount, *, uow: UnitOfWork, registry: TaxIdRegistry | None = None
) -> Account:
    if cmd.timezone is not None:
        _check_timezone(cmd.timezone)
    if cmd.locale is not None:
        _check_locale(cmd.locale)
    if cmd.name is not None and not cmd.name.strip():
        raise Invalid("An account needs a name.", param="name")
    with uow:
        account = uow.accounts.get(cmd.account_id)
        changes: dict[str, Any] = {
            k: v
            for k, v in cmd.__dict__.items()
            if k != "account_id" and k not in _DETAILS and v is not None
        }
        account = replace(account, **changes)
        if any(getattr(cmd, k) is not None for k in _DETAILS):
            account = billing_details(
                account,
                country=account.country if cmd.country is None else cmd.country,
                region=account.region if cmd.region is None else cmd.region,
                address=account.address if cmd.address is None else cmd.address,
                tax_id=account.tax_id if cmd.tax_id is None else cmd.tax_id,
                registry=registry,
            )
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
