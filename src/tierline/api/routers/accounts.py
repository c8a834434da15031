"""Accounts and their payment methods."""

from __future__ import annotations

from fastapi import APIRouter, Response

from tierline.api.deps import OperatorDep, PageDep, RuntimeDep
from tierline.api.responses import error_responses, refusals
from tierline.api.schemas import (
    AccountCreate,
    AccountPage,
    AccountRead,
    AccountUpdate,
    PaymentMethodCreate,
    PaymentMethodPage,
    PaymentMethodRead,
    PaymentMethodSetupCreate,
    PaymentMethodSetupRead,
    PaymentRolesUpdate,
)
from tierline.domain.account import Account, PaymentMethod
from tierline.services import accounts as service
from tierline.services import queries
from tierline.services.payment_setup import StartSetup, start_payment_setup
from tierline.views import instant

_DETAILS_REFUSED = {
    400: refusals("invalid_tax_id", "invalid_country", "unsupported_locale")
    + " `invalid_tax_id`: the tax id is not one of the account's country (format or check "
    "digits); `param` is `tax_id`. `unsupported_locale`: the locale is not one Tierline has "
    "words for (en, fr, it, vi, with a region if wanted: fr-CA); `param` is `locale`."
}
_CREATE_REFUSED = {
    400: refusals("invalid_tax_id", "invalid_country", "unsupported_locale", "unsupported_currency")
    + " `invalid_tax_id`: the tax id is not one of the account's country (format or check "
    "digits); `param` is `tax_id`. `unsupported_locale`: the locale is not one Tierline has "
    "words for (en, fr, it, vi, with a region if wanted: fr-CA); `param` is `locale`. "
    "`unsupported_currency`: the currency is not one of the catalog's `currencies`; `param` "
    "is `currency`."
}

router = APIRouter(
    prefix="/v1/accounts", tags=["accounts"], responses=error_responses(400, 401, 404, 409)
)


def account_read(account: Account) -> AccountRead:
    return AccountRead(
        id=account.id,
        name=account.name,
        currency=account.currency,
        timezone=account.timezone,
        locale=account.locale,
        sales_managed=account.sales_managed,
        billing_email=account.billing_email,
        created_at=instant(account.created_at),
        country=account.country,
        region=account.region,
        address=list(account.address),
        tax_id=account.tax_id,
    )


def method_read(method: PaymentMethod) -> PaymentMethodRead:
    return PaymentMethodRead(
        id=method.id,
        brand=method.brand,
        last4=method.last4,
        is_primary=method.is_primary,
        is_backup=method.is_backup,
        expiry=method.expiry,
        bank=method.bank,
        mandate_reference=method.mandate_reference,
    )


@router.post(
    "",
    status_code=201,
    response_model=AccountRead,
    responses=error_responses(400, described=_CREATE_REFUSED),
)
def create_account(body: AccountCreate, rt: RuntimeDep, _: OperatorDep) -> AccountRead:
    account = service.create_account(
        service.CreateAccount(**body.model_dump()), uow=rt.uow(), clock=rt.clock
    )
    return account_read(account)


@router.get("", response_model=AccountPage)
def list_accounts(rt: RuntimeDep, _: OperatorDep, page: PageDep) -> AccountPage:
    """Accounts in id order."""
    return AccountPage.of(queries.account_page(page, uow=rt.uow()), account_read)


@router.get("/{account_id}", response_model=AccountRead)
def get_account(account_id: str, rt: RuntimeDep, _: OperatorDep) -> AccountRead:
    return account_read(queries.get_account(account_id, uow=rt.uow()))


@router.patch(
    "/{account_id}",
    response_model=AccountRead,
    responses=error_responses(400, described=_DETAILS_REFUSED),
)
def update_account(
    account_id: str, body: AccountUpdate, rt: RuntimeDep, _: OperatorDep
) -> AccountRead:
    cmd = service.UpdateAccount(account_id=account_id, **body.model_dump(exclude_unset=True))
    return account_read(service.update_account(cmd, uow=rt.uow()))


@router.post("/{account_id}/payment_methods", status_code=201, response_model=PaymentMethodRead)
def add_payment_method(
    account_id: str, body: PaymentMethodCreate, rt: RuntimeDep, _: OperatorDep
) -> PaymentMethodRead:
    method = service.add_payment_method(
        service.AddPaymentMethod(account_id=account_id, **body.model_dump()),
        uow=rt.uow(),
        clock=rt.clock,
        gateway=rt.gateway,
    )
    return method_read(method)


@router.post(
    "/{account_id}/payment_methods/setup", status_code=201, response_model=PaymentMethodSetupRead
)
def set_up_payment_method(
    account_id: str, body: PaymentMethodSetupCreate, rt: RuntimeDep, _: OperatorDep
) -> PaymentMethodSetupRead:
    """Start adding a card or a SEPA Direct Debit mandate on the provider's elements (Stripe);
    the card number or IBAN never reaches Tierline. Refused (403 `hosted_setup_unavailable`)
    with the sandbox gateway, which takes test card numbers on `POST …/payment_methods`."""
    setup = start_payment_setup(
        StartSetup(account_id, body.type, body.use_as), uow=rt.uow(), gateway=rt.gateway
    )
    return PaymentMethodSetupRead(
        id=setup.id, type=setup.method_type, client_secret=setup.client_secret,
        publishable_key=setup.publishable_key,
    )  # fmt: skip


@router.get("/{account_id}/payment_methods", response_model=PaymentMethodPage)
def list_payment_methods(
    account_id: str, rt: RuntimeDep, _: OperatorDep, page: PageDep
) -> PaymentMethodPage:
    """The account's payment methods, oldest first."""
    found = service.payment_method_page(account_id, page, uow=rt.uow())
    return PaymentMethodPage.of(found, method_read)


@router.put("/{account_id}/payment_methods/roles", response_model=list[PaymentMethodRead])
def set_payment_roles(
    account_id: str, body: PaymentRolesUpdate, rt: RuntimeDep, _: OperatorDep
) -> list[PaymentMethodRead]:
    methods = service.set_payment_roles(
        service.SetPaymentRoles(account_id, body.primary, body.backup), uow=rt.uow()
    )
    return [method_read(m) for m in methods]


@router.delete("/{account_id}/payment_methods/{method_id}", status_code=204)
def remove_payment_method(
    account_id: str, method_id: str, rt: RuntimeDep, _: OperatorDep
) -> Response:
    service.remove_payment_method(account_id, method_id, uow=rt.uow())
    return Response(status_code=204)
