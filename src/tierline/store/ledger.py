"""The journal, metered usage, document numbering and the outbox."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, Select, false, func, select, update

from tierline.domain.documents import document_number
from tierline.domain.events import plain_text
from tierline.domain.journal import (
    BALANCE,
    BalanceTransaction,
    JournalEntry,
    JournalLine,
    balance_of,
)
from tierline.domain.money import from_minor, to_minor
from tierline.domain.pages import Page, PageRequest
from tierline.domain.webhooks import event_id_of, event_message_id
from tierline.ids import new_id
from tierline.store.dialects import insert_of
from tierline.store.pages import keyset_page
from tierline.store.sets import for_each_of
from tierline.store.tables import (
    document_sequences,
    journal_entries,
    journal_lines,
    outbox,
    usage_records,
)
from tierline.store.writer import Writer

# The key of the PostgreSQL advisory lock that spending a balance takes ("TIERLINE" in ASCII).
_SPENDING_BALANCES = 0x5449_4552_4C49_4E45


class JournalRepository:
    def __init__(self, conn: Connection, currency: str, writer: Writer) -> None:
        self._conn = conn
        self._currency = currency
        self._w = writer
        self._balances: dict[str, Decimal] = {}  # known balances, kept current by add()
        self._spends = False  # holds the right to spend balances

    def hold_balances(self) -> None:
        """Take the right to spend balances until the transaction ends: whoever else spends one
        waits from here, so a balance read after this is spent by no one else meanwhile. The
        balances read before it, which may be stale, are read again now, in one query. On SQLite
        the one writer holds it already, and no balance it read can be stale."""
        if self._spends:
            return
        self._spends = True
        if self._conn.dialect.name == "postgresql":
            self._conn.execute(select(func.pg_advisory_xact_lock(_SPENDING_BALANCES)))
            if self._balances:
                self.preload_balances(sorted(self._balances))

    def add(self, account_id: str, entry: JournalEntry) -> None:
        entry_id = new_id("je")
        self._w.insert(
            journal_entries,
            [
                {
                    "id": entry_id,
                    "account_id": account_id,
                    "kind": entry.kind,
                    "at": entry.at,
                    "reference": entry.reference,
                }
            ],
        )
        self._w.insert(
            journal_lines,
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
        if account_id in self._balances:
            self._balances[account_id] += balance_of(entry.lines)

    def preload_balances(self, account_ids: list[str]) -> dict[str, Decimal]:
        """Read these accounts' balances at once; later reads in this unit of work use them."""
        self._w.flush()
        totals = dict.fromkeys(account_ids, 0)
        # Each account's lines through the index by account: the balance lines grow during a
        # run, faster than the statistics (see `for_each_of`).
        line = journal_lines.c
        query = for_each_of(
            self._conn,
            select(line.account_id, func.sum(line.amount).label("total"))
            .where(line.ledger == BALANCE)
            .group_by(line.account_id),
            line.account_id,
            account_ids,
        )
        for account_id, total in self._conn.execute(query).all():
            totals[account_id] = int(total or 0)
        read = {a: -from_minor(total, self._currency) + 0 for a, total in totals.items()}
        self._balances.update(read)
        return read

    def balance(self, account_id: str) -> Decimal:
        if account_id in self._balances:
            return self._balances[account_id]
        self._w.flush()
        total = self._conn.execute(
            select(func.coalesce(func.sum(journal_lines.c.amount), 0)).where(
                journal_lines.c.account_id == account_id, journal_lines.c.ledger == BALANCE
            )
        ).scalar_one()
        return -from_minor(int(total), self._currency) + 0

    def entries_for(self, account_id: str) -> list[JournalEntry]:
        self._w.flush()
        query = (
            select(journal_entries, journal_lines.c.ledger, journal_lines.c.amount)
            .join(journal_lines, journal_lines.c.entry_id == journal_entries.c.id)
            .where(journal_entries.c.account_id == account_id)
            .where(journal_lines.c.account_id == account_id)
            .order_by(journal_lines.c.id)
        )
        grouped: dict[str, tuple[Any, list[JournalLine]]] = {}
        for row in self._conn.execute(query):
            line = JournalLine(row.ledger, from_minor(row.amount, self._currency))
            grouped.setdefault(row.id, (row, []))[1].append(line)
        return [
            JournalEntry(row.kind, row.at, tuple(lines), row.reference)
            for row, lines in grouped.values()
        ]

    def _balance_moves(self, account_id: str) -> Select[Any]:
        """The account's entries that moved its balance, with their balance lines' sum."""
        entry, line = journal_entries.c, journal_lines.c
        moved = func.sum(line.amount)
        return (
            select(entry.id, entry.at, entry.kind, entry.reference, moved.label("moved"))
            .join_from(journal_entries, journal_lines, line.entry_id == entry.id)
            .where(entry.account_id == account_id)
            .where(line.account_id == account_id, line.ledger == BALANCE)
            .group_by(entry.id, entry.at, entry.kind, entry.reference)
            .having(moved != 0)
        )

    def _transaction(self, row: Row[Any]) -> BalanceTransaction:
        amount = -from_minor(int(row.moved), self._currency)
        return BalanceTransaction(row.id, row.at, row.kind, amount, row.reference)

    def balance_transactions(self, account_id: str) -> list[BalanceTransaction]:
        """Every entry that moved the account's balance, in the order they were written."""
        self._w.flush()
        query = self._balance_moves(account_id).order_by(journal_entries.c.id)
        return [self._transaction(row) for row in self._conn.execute(query)]

    def balance_transaction_page(
        self, account_id: str, request: PageRequest
    ) -> Page[BalanceTransaction]:
        self._w.flush()
        entry = journal_entries.c
        found = keyset_page(
            self._conn,
            self._balance_moves(account_id),
            (entry.id,),
            request,
            cursor=lambda entry_id: (entry.account_id == account_id) & (entry.id == entry_id),
        )
        return found.map(self._transaction)


class UsageRepository:
    def __init__(self, conn: Connection, currency: str, writer: Writer) -> None:
        self._currency = currency
        self._w = writer

    def add(
        self, id: str, account_id: str, meter: str, quantity: int, amount: Decimal, at: datetime
    ) -> None:
        row = {
            "id": id,
            "account_id": account_id,
            "meter": meter,
            "quantity": quantity,
            "amount": to_minor(amount, self._currency),
            "at": at,
        }
        self._w.insert(usage_records, [row])


class SequenceRepository:
    """Gap-free numbers per series and year.

    The first number taken in a unit of work locks the counter row until commit; the numbers
    are counted in memory and the counter is written once, when the unit of work flushes.

    The series in `deferred` (a billing batch's invoices, on PostgreSQL) are numbered as late as
    that: until the batch first writes, a number is provisional, a mark unique to this unit of
    work (`~<nonce>~<n>~`, plain ASCII as the rows' text is) that the rows carry; on the first
    write the counters are locked and the marks numbered in the order they were taken, and every
    row is written with its number.
    Another batch numbers its own invoices meanwhile: they wait for each other's commit only
    from the first write, not for each other's whole work."""

    def __init__(self, conn: Connection, *, deferred: frozenset[str] = frozenset()) -> None:
        self._conn = conn
        self._last: dict[tuple[str, int], int] = {}
        self._deferred = deferred
        self._nonce = secrets.token_hex(6)  # no text of a customer holds it
        self._marked: list[tuple[str, int]] = []  # the series and year of each mark, in order
        self._numbered: dict[str, str] = {}  # mark → its number, once numbered
        self._mark = re.compile(f"~{self._nonce}~\\d+~")

    def next_number(self, series: str, year: int) -> str:
        key = (series, year)
        if series in self._deferred and key not in self._last:
            self._marked.append(key)
            return f"~{self._nonce}~{len(self._marked) - 1}~"
        self.hold(series, year)
        self._last[key] += 1
        return document_number(series, year, self._last[key])

    def hold(self, series: str, year: int) -> None:
        """Take the series now, before its first number: others numbering in it wait from here
        (what it marked so far is numbered first)."""
        key = (series, year)
        if key not in self._last:
            self._last[key] = self._lock(series, year)
            self.number_marks()

    def number_marks(self) -> None:
        """Number every mark not numbered yet, in the order taken, each series locked first."""
        for index in range(len(self._numbered), len(self._marked)):
            key = self._marked[index]
            if key not in self._last:
                self._last[key] = self._lock(*key)
            self._last[key] += 1
            self._numbered[f"~{self._nonce}~{index}~"] = document_number(*key, self._last[key])

    def numbered(self, text: str) -> str:
        """`text` with each mark in it replaced by its number (`number_marks` first)."""
        if not self._marked or self._nonce not in text:
            return text
        return self._mark.sub(lambda found: self._numbered[found.group(0)], text)

    def holds_marks(self, text: str) -> bool:
        return bool(self._marked) and self._nonce in text

    def _lock(self, series: str, year: int) -> int:
        """The counter's last number, its row created or locked (an update of itself) in one
        statement: another unit of work numbering in this series waits for this one."""
        table = document_sequences
        insert = insert_of(self._conn)
        statement = (
            insert(table)
            .values(series=series, year=year, last=0)
            .on_conflict_do_update(
                index_elements=[table.c.series, table.c.year], set_={"last": table.c.last}
            )
            .returning(table.c.last)
        )
        return int(self._conn.execute(statement).scalar_one())

    def flush(self) -> None:
        table = document_sequences
        for (series, year), last in self._last.items():
            self._conn.execute(
                update(table)
                .where(table.c.series == series, table.c.year == year)
                .values(last=last)
            )


class OutboxRepository:
    def __init__(self, conn: Connection, writer: Writer) -> None:
        self._conn = conn
        self._w = writer

    def add(self, account_id: str, at: datetime, kind: str, facts: dict[str, Any]) -> None:
        row = {"account_id": account_id, "at": at, "kind": kind, "payload": facts}
        self._w.insert(outbox, [row])

    def for_account(self, account_id: str) -> list[dict[str, Any]]:
        self._w.flush()
        query = select(outbox).where(outbox.c.account_id == account_id).order_by(outbox.c.id)
        return [
            {
                "at": r.at,
                "kind": r.kind,
                "text": plain_text(r.kind, r.payload),
                "payload": r.payload,
            }
            for r in self._conn.execute(query)
        ]

    def page_for(self, account_id: str, request: PageRequest) -> Page[dict[str, Any]]:
        """The account's messages in the order they were written, each with its `id`
        (`evt_…`, the `webhook-id` of the same event)."""
        self._w.flush()
        mine = outbox.c.account_id == account_id

        def cursor(message_id: str) -> Any:
            event_id = event_id_of(message_id)
            return false() if event_id is None else mine & (outbox.c.id == event_id)

        found = keyset_page(
            self._conn, select(outbox).where(mine), (outbox.c.id,), request, cursor=cursor
        )
        return found.map(
            lambda r: {
                "id": event_message_id(r.id),
                "at": r.at,
                "kind": r.kind,
                "text": plain_text(r.kind, r.payload),
                "payload": r.payload,
            }
        )
