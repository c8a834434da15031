"""Reads for the reports (tierline.domain.reports): the facts, over every account, that the
figures are made from. Amounts come out as decimals of each account's currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, case, func, select

from tierline.domain.money import from_minor
from tierline.domain.reports import AccountFact, MoneyFact
from tierline.store.tables import accounts, credit_notes, invoices, payments, subscriptions

LIVE = ("trialing", "active", "past_due")


@dataclass(frozen=True)
class LiveSubscriptionRow:
    account_id: str
    currency: str
    edition: str
    cycle: str
    quantity: int
    status: str
    list_amount: Decimal


@dataclass(frozen=True)
class DunningRow:
    account_id: str
    name: str
    currency: str
    edition: str
    due: Decimal
    attempts: int
    next_attempt_at: datetime | None


class ReportReader:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def live_subscriptions(self) -> list[LiveSubscriptionRow]:
        rows = self._conn.execute(
            select(
                subscriptions.c.account_id, accounts.c.currency, subscriptions.c.edition,
                subscriptions.c.cycle, subscriptions.c.quantity, subscriptions.c.status,
                subscriptions.c.charges,
            )
            .join(accounts, accounts.c.id == subscriptions.c.account_id)
            .where(subscriptions.c.status.in_(LIVE))
        )  # fmt: skip
        return [
            LiveSubscriptionRow(
                account_id,
                currency,
                edition,
                cycle,
                quantity,
                status,
                from_minor(sum(int(c["list_amount"]) for c in charges or []), currency),
            )
            for account_id, currency, edition, cycle, quantity, status, charges in rows
        ]

    def account_histories(self) -> list[AccountFact]:
        live = func.sum(case((subscriptions.c.status.in_(LIVE), 1), else_=0))
        rows = self._conn.execute(
            select(
                subscriptions.c.account_id,
                func.min(subscriptions.c.started_at),
                live,
                func.max(subscriptions.c.ended_at),
            ).group_by(subscriptions.c.account_id)
        )
        return [
            AccountFact(account_id, first, bool(live_count), last)
            for account_id, first, live_count, last in rows
        ]

    def paid_invoices(self, since: datetime) -> list[MoneyFact]:
        rows = self._conn.execute(
            select(accounts.c.currency, invoices.c.paid_at, invoices.c.subtotal)
            .join(accounts, accounts.c.id == invoices.c.account_id)
            .where(invoices.c.status == "paid", invoices.c.paid_at >= since)
        )
        return [MoneyFact(c, at, from_minor(amount, c)) for c, at, amount in rows]

    def credit_notes(self, since: datetime) -> list[MoneyFact]:
        rows = self._conn.execute(
            select(accounts.c.currency, credit_notes.c.issued_at, credit_notes.c.total)
            .join(accounts, accounts.c.id == credit_notes.c.account_id)
            .where(credit_notes.c.issued_at >= since)
        )
        return [MoneyFact(c, at, from_minor(amount, c)) for c, at, amount in rows]

    def failed_payments(self, since: datetime) -> list[MoneyFact]:
        rows = self._conn.execute(
            select(accounts.c.currency, payments.c.at, payments.c.amount)
            .join(accounts, accounts.c.id == payments.c.account_id)
            .where(
                payments.c.status == "failed", payments.c.kind == "charge", payments.c.at >= since
            )
        )
        return [MoneyFact(c, at, from_minor(amount, c)) for c, at, amount in rows]

    def dunning(self) -> list[DunningRow]:
        """Accounts with a past-due subscription, with what their open invoices still ask."""
        open_invoices = (
            select(
                invoices.c.account_id,
                func.sum(invoices.c.total - invoices.c.amount_paid).label("due"),
                func.max(invoices.c.attempts).label("attempts"),
                func.min(invoices.c.next_attempt_at).label("next_attempt_at"),
            )
            .where(invoices.c.status == "open")
            .group_by(invoices.c.account_id)
            .subquery()
        )
        rows = self._conn.execute(
            select(
                accounts.c.id, accounts.c.name, accounts.c.currency, subscriptions.c.edition,
                open_invoices.c.due, open_invoices.c.attempts, open_invoices.c.next_attempt_at,
            )
            .join(subscriptions, subscriptions.c.account_id == accounts.c.id)
            .outerjoin(open_invoices, open_invoices.c.account_id == accounts.c.id)
            .where(subscriptions.c.status == "past_due")
            .order_by(accounts.c.id)
        )  # fmt: skip
        return [
            DunningRow(a, name, c, edition, from_minor(int(due or 0), c), int(attempts or 0), at)
            for a, name, c, edition, due, attempts, at in rows
        ]
