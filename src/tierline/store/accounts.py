"""Accounts and their payment methods."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, update

from tierline.domain.account import Account, PaymentMethod
from tierline.domain.pages import Page, PageRequest
from tierline.errors import NotFound
from tierline.store.pages import keyset_page
from tierline.store.rows import named_rows
from tierline.store.sets import one_of
from tierline.store.tables import accounts, payment_methods
from tierline.store.writer import Writer


def _account(row: Any) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        currency=row.currency,
        timezone=row.timezone,
        locale=row.locale,
        sales_managed=row.sales_managed,
        billing_email=row.billing_email,
        created_at=row.created_at,
        provider_customer_id=row.provider_customer_id,
        country=row.country,
        region=row.region,
        address=tuple(row.address or ()),
        tax_id=row.tax_id,
    )


def _row(account: Account) -> dict[str, Any]:
    row = dict(account.__dict__)
    row["address"] = list(account.address) or None
    return row


class AccountRepository:
    def __init__(self, conn: Connection, writer: Writer) -> None:
        self._conn = conn
        self._w = writer
        self._known: dict[str, Account] = {}
        self._currencies: dict[str, str] = {}  # an account's currency never changes

    def add(self, account: Account) -> None:
        self._w.insert(accounts, [_row(account)])
        self._known[account.id] = account

    def preload(self, account_ids: list[str]) -> None:
        self._w.flush()
        query = select(accounts).where(one_of(self._conn, accounts.c.id, account_ids))
        self._known.update((row.id, _account(row)) for row in named_rows(self._conn.execute(query)))

    def find(self, account_id: str) -> Account | None:
        if account_id in self._known:
            return self._known[account_id]
        self._w.flush()
        row = self._conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
        return None if row is None else _account(row)

    def get(self, account_id: str) -> Account:
        account = self.find(account_id)
        if account is None:
            raise NotFound(f"No account '{account_id}'.", code="unknown_account", param="account")
        return account

    def save(self, account: Account) -> None:
        values = {k: v for k, v in _row(account).items() if k not in ("id", "created_at")}
        self._w.update(accounts, {"id": account.id}, values)
        self._known[account.id] = account

    def set_provider_customer(self, account_id: str, customer_id: str) -> str:
        """Keep the provider's customer of an account unless it has one already; the one kept."""
        self._w.flush()
        self._conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id, accounts.c.provider_customer_id.is_(None))
            .values(provider_customer_id=customer_id)
        )
        self._known.pop(account_id, None)
        return self.get(account_id).provider_customer_id or customer_id

    def currency_of(self, account_id: str) -> str:
        """The currency the account is billed in: from the accounts read so far, else read."""
        known = self._known.get(account_id)
        if known is not None:
            return known.currency
        if account_id not in self._currencies:
            self._w.flush()
            query = select(accounts.c.currency).where(accounts.c.id == account_id)
            found = self._conn.execute(query).scalar_one_or_none()
            if found is None:
                raise NotFound(
                    f"No account '{account_id}'.", code="unknown_account", param="account"
                )
            self._currencies[account_id] = found
        return self._currencies[account_id]

    def charge_details(self, account_ids: list[str]) -> dict[str, tuple[str, str | None]]:
        """The currency and the provider's customer (None without one) of each account, read
        at once for the charges of a batch."""
        self._w.flush()
        query = select(accounts.c.id, accounts.c.currency, accounts.c.provider_customer_id).where(
            one_of(self._conn, accounts.c.id, account_ids)
        )
        found = {
            row.id: (row.currency, row.provider_customer_id)
            for row in named_rows(self._conn.execute(query))
        }
        self._currencies.update((a, currency) for a, (currency, _) in found.items())
        return found

    def billed_in(self) -> dict[str, int]:
        """How many accounts are billed in each currency."""
        self._w.flush()
        query = select(accounts.c.currency, func.count()).group_by(accounts.c.currency)
        return {str(code): int(count) for code, count in self._conn.execute(query)}

    def page(self, request: PageRequest) -> Page[Account]:
        """Accounts in id order."""
        self._w.flush()
        found = keyset_page(
            self._conn,
            select(accounts),
            (accounts.c.id,),
            request,
            cursor=lambda name: accounts.c.id == name,
        )
        return found.map(_account)


def _method(row: Any) -> PaymentMethod:
    return PaymentMethod(
        id=row.id,
        account_id=row.account_id,
        token=row.token,
        brand=row.brand,
        last4=row.last4,
        is_primary=row.is_primary,
        is_backup=row.is_backup,
        created_at=row.created_at,
        bank=row.bank,
        expiry=row.expiry,
        mandate_reference=row.mandate_reference,
    )


class PaymentMethodRepository:
    def __init__(self, conn: Connection, writer: Writer) -> None:
        self._conn = conn
        self._w = writer
        self._known: dict[str, list[PaymentMethod]] = {}

    def add(self, method: PaymentMethod) -> None:
        self._w.flush()
        self._known.pop(method.account_id, None)
        self._conn.execute(payment_methods.insert().values(**method.__dict__))

    def preload(self, account_ids: list[str]) -> None:
        self._w.flush()
        query = (
            select(payment_methods)
            .where(one_of(self._conn, payment_methods.c.account_id, account_ids))
            .order_by(payment_methods.c.created_at, payment_methods.c.id)
        )
        found: dict[str, list[PaymentMethod]] = {a: [] for a in account_ids}
        for row in named_rows(self._conn.execute(query)):
            found[row.account_id].append(_method(row))
        self._known.update(found)

    def for_account(self, account_id: str) -> list[PaymentMethod]:
        if account_id in self._known:
            return list(self._known[account_id])
        self._w.flush()
        query = (
            select(payment_methods)
            .where(payment_methods.c.account_id == account_id)
            .order_by(payment_methods.c.created_at, payment_methods.c.id)
        )
        return [_method(r) for r in self._conn.execute(query)]

    def page_for(self, account_id: str, request: PageRequest) -> Page[PaymentMethod]:
        """The account's payment methods, oldest first."""
        self._w.flush()
        mine = payment_methods.c.account_id == account_id
        found = keyset_page(
            self._conn,
            select(payment_methods).where(mine),
            (payment_methods.c.created_at, payment_methods.c.id),
            request,
            cursor=lambda name: mine & (payment_methods.c.id == name),
        )
        return found.map(_method)

    def remove(self, account_id: str, method_id: str) -> None:
        self._w.flush()
        self._known.pop(account_id, None)
        self._conn.execute(
            payment_methods.delete().where(
                payment_methods.c.account_id == account_id, payment_methods.c.id == method_id
            )
        )

    def set_roles(self, account_id: str, primary: str | None, backup: str | None) -> None:
        self._w.flush()
        self._known.pop(account_id, None)
        table = payment_methods
        mine = table.c.account_id == account_id
        self._conn.execute(update(table).where(mine).values(is_primary=table.c.id == primary))
        self._conn.execute(update(table).where(mine).values(is_backup=table.c.id == backup))
