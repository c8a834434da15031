"""The journal, payments, metered usage, document numbering and the outbox."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select, update

from tierline.domain.documents import Payment, document_number
from tierline.domain.journal import BALANCE, JournalEntry, JournalLine
from tierline.domain.money import from_minor, to_minor
from tierline.store.tables import (
    document_sequences,
    journal_entries,
    journal_lines,
    outbox,
    payments,
    usage_records,
)


class JournalRepository:
    def __init__(self, conn: Connection, currency: str) -> None:
        self._conn = conn
        self._currency = currency

    def add(self, account_id: str, entry: JournalEntry) -> None:
        entry_id = self._conn.execute(
            journal_entries.insert()
            .values(account_id=account_id, kind=entry.kind, at=entry.at, reference=entry.reference)
            .returning(journal_entries.c.id)
        ).scalar_one()
        self._conn.execute(
            journal_lines.insert(),
            [
                {
                    "entry_id": entry_id,
                    "account_id": account_id,
                    "ledger": line.ledger,
                    "amount": to_minor(line.amount, self._currency),
                }
                for line in entry.lines
            ],
        )

    def balance(self, account_id: str) -> Decimal:
        total = self._conn.execute(
            select(func.coalesce(func.sum(journal_lines.c.amount), 0)).where(
                journal_lines.c.account_id == account_id, journal_lines.c.ledger == BALANCE
            )
        ).scalar_one()
        return -from_minor(int(total), self._currency) + 0

    def entries_for(self, account_id: str) -> list[JournalEntry]:
        query = (
            select(journal_entries, journal_lines.c.ledger, journal_lines.c.amount)
            .join(journal_lines, journal_lines.c.entry_id == journal_entries.c.id)
            .where(journal_entries.c.account_id == account_id)
            .order_by(journal_entries.c.id, journal_lines.c.id)
        )
        grouped: dict[int, tuple[Any, list[JournalLine]]] = {}
        for row in self._conn.execute(query):
            line = JournalLine(row.ledger, from_minor(row.amount, self._currency))
            grouped.setdefault(row.id, (row, []))[1].append(line)
        return [
            JournalEntry(row.kind, row.at, tuple(lines), row.reference)
            for row, lines in grouped.values()
        ]


class PaymentRepository:
    def __init__(self, conn: Connection, currency: str) -> None:
        self._conn = conn
        self._currency = currency

    def add(self, payment: Payment) -> None:
        values = dict(payment.__dict__)
        values["amount"] = to_minor(payment.amount, self._currency)
        self._conn.execute(payments.insert().values(**values))

    def for_account(self, account_id: str) -> list[Payment]:
        query = select(payments).where(payments.c.account_id == account_id).order_by(payments.c.at)
        return [
            Payment(
                id=r.id,
                account_id=r.account_id,
                at=r.at,
                amount=from_minor(r.amount, self._currency),
                payment_method=r.payment_method,
                status=r.status,
                invoice_number=r.invoice_number,
                idempotency_key=r.idempotency_key,
                failure_code=r.failure_code,
                failure_message=r.failure_message,
            )
            for r in self._conn.execute(query)
        ]


class UsageRepository:
    def __init__(self, conn: Connection, currency: str) -> None:
        self._conn = conn
        self._currency = currency

    def add(
        self, id: str, account_id: str, meter: str, quantity: int, amount: Decimal, at: datetime
    ) -> None:
        self._conn.execute(
            usage_records.insert().values(
                id=id,
                account_id=account_id,
                meter=meter,
                quantity=quantity,
                amount=to_minor(amount, self._currency),
                at=at,
            )
        )


class SequenceRepository:
    """Gap-free numbers per series and year: the counter row stays locked until commit."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def next_number(self, series: str, year: int) -> str:
        table = document_sequences
        key = (table.c.series == series, table.c.year == year)
        result = self._conn.execute(
            update(table).where(*key).values(last=table.c.last + 1).returning(table.c.last)
        ).first()
        if result is None:
            self._conn.execute(table.insert().values(series=series, year=year, last=1))
            return document_number(series, year, 1)
        return document_number(series, year, int(result[0]))


class OutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self, account_id: str, at: datetime, kind: str, text: str, payload: dict[str, Any]
    ) -> None:
        self._conn.execute(
            outbox.insert().values(
                account_id=account_id, at=at, kind=kind, text=text, payload=payload
            )
        )

    def for_account(self, account_id: str) -> list[dict[str, Any]]:
        query = select(outbox).where(outbox.c.account_id == account_id).order_by(outbox.c.id)
        return [
            {"at": r.at, "kind": r.kind, "text": r.text, "payload": r.payload}
            for r in self._conn.execute(query)
        ]
