"""Accounts (customer organisations) and their payment methods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tierline.domain.catalog import Catalog
from tierline.domain.errors import SalesManaged, UnsupportedCurrency
from tierline.domain.values import quick_init


@quick_init
@dataclass(frozen=True)
class Account:
    id: str
    name: str
    currency: str
    timezone: str = "UTC"
    locale: str = "en"
    sales_managed: bool = False
    billing_email: str | None = None
    created_at: datetime | None = None
    provider_customer_id: str | None = None  # the payment provider's customer, once made
    # Billing details, printed on documents and deciding tax (tierline.domain.tax).
    country: str | None = None  # ISO 3166-1 alpha-2
    region: str | None = None  # ISO 3166-2 subdivision without the country: "CA" for US-CA
    address: tuple[str, ...] = ()  # one printed line each
    tax_id: str | None = None  # a business's VAT or tax number, in its compact form; checked


@quick_init
@dataclass(frozen=True)
class PaymentMethod:
    id: str
    account_id: str
    token: str
    brand: str
    last4: str
    is_primary: bool = False
    is_backup: bool = False
    created_at: datetime | None = None
    bank: str | None = None  # a direct debit's bank code
    expiry: str | None = None  # a card's, as YYYY-MM
    mandate_reference: str | None = None  # a direct debit's mandate


def billing_currency(catalog: Catalog, asked: str | None) -> str:
    """The currency a new account is billed in, for life: the one asked, which must be one of
    the catalog's currencies, or without one the catalog's own."""
    if asked is None:
        return catalog.currency
    code = asked.strip().upper()
    offered = catalog.billing_currencies()
    if code not in offered:
        raise UnsupportedCurrency(
            f"Accounts are billed in {', '.join(offered)}; '{asked}' is not one of them.",
            param="currency", details={"currency": asked, "supported": list(offered)},
        )  # fmt: skip
    return code


def charge_order(methods: list[PaymentMethod] | tuple[PaymentMethod, ...]) -> list[PaymentMethod]:
    """The primary method first, then the backup; others are never charged unasked."""
    primary = [m for m in methods if m.is_primary]
    backup = [m for m in methods if m.is_backup and not m.is_primary]
    return primary + backup


def refuse_if_sales_managed(account: Account) -> None:
    """A sales-managed organisation buys offline (seed 000): nothing paid is bought here."""
    if account.sales_managed:
        raise SalesManaged(
            "Purchases for this organisation are made offline: "
            "please contact your sales consultant."
        )
