"""Finding accounts for the console: by name, id, e-mail or document number, filtered by their
subscriptions' status and edition, their currency, or dunning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, exists, func, or_, select

from tierline.domain.plan import NO_EDITION
from tierline.store.tables import accounts, credit_notes, invoices, receipts, subscriptions


@dataclass(frozen=True)
class AccountHit:
    id: str
    name: str
    billing_email: str | None
    currency: str
    sales_managed: bool
    created_at: datetime | None
    editions: tuple[str, ...]  # of its live subscriptions
    statuses: tuple[str, ...]  # of its live subscriptions; empty when none is live


LIVE = ("trialing", "active", "past_due")


class AccountSearch:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def find(
        self,
        *,
        text: str | None = None,
        status: str | None = None,
        edition: str | None = None,
        currency: str | None = None,
        dunning: bool = False,
        limit: int = 50,
    ) -> list[AccountHit]:
        stmt = select(
            accounts.c.id, accounts.c.name, accounts.c.billing_email, accounts.c.currency,
            accounts.c.sales_managed, accounts.c.created_at,
        )  # fmt: skip
        if text:
            needle = text.strip()
            like = f"%{_escaped(needle.lower())}%"
            stmt = stmt.where(
                or_(
                    accounts.c.id == needle,
                    func.lower(accounts.c.id).like(like, escape="\\"),
                    func.lower(accounts.c.name).like(like, escape="\\"),
                    func.lower(accounts.c.billing_email).like(like, escape="\\"),
                    accounts.c.id.in_(
                        select(invoices.c.account_id).where(invoices.c.number == needle)
                    ),
                    accounts.c.id.in_(
                        select(credit_notes.c.account_id).where(credit_notes.c.number == needle)
                    ),
                    accounts.c.id.in_(
                        select(receipts.c.account_id).where(receipts.c.number == needle)
                    ),
                )
            )
        sub = subscriptions.c
        if status == "none":
            stmt = stmt.where(
                ~exists().where(sub.account_id == accounts.c.id, sub.status.in_(LIVE))
            )
        elif status:
            stmt = stmt.where(exists().where(sub.account_id == accounts.c.id, sub.status == status))
        if edition:
            stmt = stmt.where(
                exists().where(
                    sub.account_id == accounts.c.id, sub.edition == edition, sub.status.in_(LIVE)
                )
            )
        if dunning:
            stmt = stmt.where(
                exists().where(sub.account_id == accounts.c.id, sub.status == "past_due")
            )
        if currency:
            stmt = stmt.where(accounts.c.currency == currency)
        rows = self._conn.execute(stmt.order_by(accounts.c.name, accounts.c.id).limit(limit)).all()
        live = self._live([r[0] for r in rows])
        return [
            AccountHit(
                *row,
                tuple(e for e, _ in live.get(row[0], [])),
                tuple(s for _, s in live.get(row[0], [])),
            )
            for row in rows
        ]

    def _live(self, account_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        if not account_ids:
            return {}
        found: dict[str, list[tuple[str, str]]] = {}
        rows = self._conn.execute(
            select(subscriptions.c.account_id, subscriptions.c.edition, subscriptions.c.status)
            .where(
                subscriptions.c.account_id.in_(account_ids),
                subscriptions.c.status.in_(LIVE),
                subscriptions.c.edition != NO_EDITION,  # packs alone are no edition's
            )
            .order_by(subscriptions.c.started_at)
        )
        for account_id, edition, status in rows:
            found.setdefault(account_id, []).append((edition, status))
        return found


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
