"""Accounts (customer organisations) and their payment methods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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


def charge_order(methods: list[PaymentMethod] | tuple[PaymentMethod, ...]) -> list[PaymentMethod]:
    """The primary method first, then the backup; others are never charged unasked."""
    primary = [m for m in methods if m.is_primary]
    backup = [m for m in methods if m.is_backup and not m.is_primary]
    return primary + backup
