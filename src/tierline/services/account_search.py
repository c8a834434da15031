"""Accounts for the console: a search, and everything one account's page shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tierline.domain.account import Account, PaymentMethod
from tierline.domain.documents import CreditNote, Invoice, Payment, Receipt
from tierline.domain.journal import BalanceTransaction
from tierline.domain.subscription import Subscription
from tierline.errors import Invalid
from tierline.store.account_search import AccountHit
from tierline.store.uow import UnitOfWork

STATUSES = ("trialing", "active", "past_due", "canceled", "expired", "none")


@dataclass(frozen=True)
class AccountQuery:
    """`text` is a name, an id, an e-mail (or part of one), or a document number."""

    text: str = ""
    status: str = ""
    edition: str = ""
    currency: str = ""
    dunning: bool = False
    limit: int = 50


def search_accounts(query: AccountQuery, *, uow: UnitOfWork) -> list[AccountHit]:
    if query.status and query.status not in STATUSES:
        raise Invalid(f"The status is one of {', '.join(STATUSES)}.", param="status")
    if not 1 <= query.limit <= 500:
        raise Invalid("limit is between 1 and 500.", param="limit")
    with uow.reading():
        return uow.account_search.find(
            text=query.text.strip() or None, status=query.status or None,
            edition=query.edition or None, currency=query.currency or None,
            dunning=query.dunning, limit=query.limit,
        )  # fmt: skip


@dataclass(frozen=True)
class AccountOverview:
    """What the console shows of one account."""

    account: Account
    subscriptions: list[Subscription]
    invoices: list[Invoice]
    credit_notes: list[CreditNote]
    receipts: list[Receipt]
    payments: list[Payment]
    methods: list[PaymentMethod]
    balance: Decimal
    movements: list[BalanceTransaction]
    messages: list[dict[str, Any]]


def account_overview(account_id: str, *, uow: UnitOfWork) -> AccountOverview:
    """Newest first everywhere; an unknown account is not found."""
    with uow.reading():
        account = uow.accounts.get(account_id)
        return AccountOverview(
            account=account,
            subscriptions=uow.subscriptions.all_for(account_id),
            invoices=sorted(uow.documents.invoices_for(account_id), key=lambda i: i.issued_at,
                            reverse=True),
            credit_notes=sorted(uow.documents.credit_notes_for(account_id),
                                key=lambda n: n.issued_at, reverse=True),
            receipts=sorted(uow.documents.receipts_for(account_id), key=lambda r: r.issued_at,
                            reverse=True),
            payments=sorted(uow.payments.for_account(account_id), key=lambda p: p.at,
                            reverse=True),
            methods=uow.payment_methods.for_account(account_id),
            balance=uow.journal.balance(account_id),
            movements=list(reversed(uow.journal.balance_transactions(account_id))),
            messages=sorted(uow.outbox.for_account(account_id), key=lambda m: m["at"],
                            reverse=True),
        )  # fmt: skip
