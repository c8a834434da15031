"""The sandbox gateway: a real implementation of the gateway protocol that moves no money.

Test cards: 4242424242424242 and 5555555555554444 succeed; 4000000000000002 is declined;
4000000000009995 is declined for insufficient funds; 4000000000000119 takes the charge but the
first answer for each idempotency key is lost (`GatewayTimeout`), and asking again with the same
key gets the recorded answer. Any card can be made to decline from a moment on (`decline`).
A refund succeeds, unless the card was closed since (`close_card`).

Like a provider, the sandbox keeps what it did outside Tierline's transactions: every answer is
written to its ledger before it is given, so a charge stays on record when the caller crashes right
after it, and a second call with the same key finds it. `SqlLedger` keeps a table of its own,
`sandbox_charges`, through its own engine; it is not part of Tierline's schema or migrations.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import DBAPIError

from tierline.clock import Clock, SystemClock
from tierline.errors import Invalid
from tierline.payments.gateway import (
    CardInfo,
    ChargeRequest,
    ChargeResult,
    ChargeStatus,
    GatewayTimeout,
    MovementKind,
)

DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
TIMES_OUT = "4000000000000119"
_BRANDS = {"4": "visa", "5": "mastercard", "3": "amex"}
_MEMORY_URLS = ("sqlite://", "sqlite:///:memory:")


@dataclass(frozen=True)
class Movement:
    """A charge or a refund the sandbox accepted."""

    at: datetime
    account: str
    payment_method: str
    amount: Decimal
    kind: MovementKind
    idempotency_key: str
    invoice: str | None

    def as_json(self) -> dict[str, str | None]:
        return {
            "at": self.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "account": self.account,
            "payment_method": self.payment_method,
            "amount": format(self.amount, "f"),
            "kind": self.kind,
            "idempotency_key": self.idempotency_key,
            "invoice": self.invoice,
        }


@dataclass(frozen=True)
class LedgerEntry:
    """One answer the sandbox gave, accepted or not."""

    idempotency_key: str
    at: datetime
    account: str
    payment_method: str
    token: str
    amount: Decimal
    currency: str
    kind: MovementKind
    invoice: str | None
    status: ChargeStatus
    failure_code: str | None = None
    failure_message: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status == "succeeded"

    def result(self) -> ChargeResult:
        return ChargeResult(
            self.status, self.idempotency_key, self.failure_code, self.failure_message
        )

    def movement(self) -> Movement:
        return Movement(
            self.at,
            self.account,
            self.payment_method,
            self.amount,
            self.kind,
            self.idempotency_key,
            self.invoice,
        )


class SandboxLedger(Protocol):
    def record(self, entry: LedgerEntry) -> tuple[LedgerEntry, bool]:
        """Keep `entry` unless its key is on record already. Returns the entry on record and
        whether this call wrote it."""
        ...

    def record_all(self, entries: Sequence[LedgerEntry]) -> list[tuple[LedgerEntry, bool]]:
        """`record` for many entries at once, all kept before any answer is given."""
        ...

    def get(self, idempotency_key: str) -> LedgerEntry | None: ...

    def entries(self) -> list[LedgerEntry]:
        """Every entry, in the order they were recorded."""
        ...

    def close(self) -> None: ...


class MemoryLedger:
    """A ledger that lasts as long as the process: for the simulator and unit tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, LedgerEntry] = {}

    def record(self, entry: LedgerEntry) -> tuple[LedgerEntry, bool]:
        with self._lock:
            known = self._by_key.get(entry.idempotency_key)
            if known is not None:
                return known, False
            self._by_key[entry.idempotency_key] = entry
            return entry, True

    def record_all(self, entries: Sequence[LedgerEntry]) -> list[tuple[LedgerEntry, bool]]:
        return [self.record(entry) for entry in entries]

    def get(self, idempotency_key: str) -> LedgerEntry | None:
        with self._lock:
            return self._by_key.get(idempotency_key)

    def entries(self) -> list[LedgerEntry]:
        with self._lock:
            return list(self._by_key.values())  # dicts keep insertion order

    def close(self) -> None:
        pass


_metadata = MetaData()
sandbox_charges = Table(
    "sandbox_charges",
    _metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(255), nullable=False, unique=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("account", String(255), nullable=False),
    Column("payment_method", String(255), nullable=False),
    Column("token", String(255), nullable=False),
    Column("amount", String(64), nullable=False),  # a decimal string, exact
    Column("currency", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("invoice", String(255), nullable=True),
    Column("status", String(32), nullable=False),
    Column("failure_code", String(64), nullable=True),
    Column("failure_message", Text, nullable=True),
)


_COLUMNS = [column.name for column in sandbox_charges.c if column.name != "seq"]
_INSERT_ARRAYS = text(
    f"INSERT INTO sandbox_charges ({', '.join(_COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(
        f"CAST(:{name} AS {'timestamptz' if name == 'at' else 'text'}[])" for name in _COLUMNS
    )
    + ") ON CONFLICT DO NOTHING RETURNING idempotency_key"
)


class SqlLedger:
    """A ledger in the table `sandbox_charges` (SQLite or PostgreSQL), written through an engine
    of its own.

    Entries recorded at once by many threads (a collector with hundreds of attempts in flight)
    are committed together, as a database commits a group: the first caller writes what is
    waiting in one transaction while the others wait for it, then writes what came meanwhile.
    Every caller returns only once its entry is committed. Two writers sending the same key
    both try to insert it; the unique key lets one in and the other reads back what was
    recorded.
    """

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        from tierline.store.uow import create_engine  # not at import: the store may use payments

        # One short transaction per answer: a test query before each would double the trips.
        self._engine = create_engine(url, schema=schema, pre_ping=False)
        if self._engine.dialect.name == "postgresql":
            event.listen(self._engine, "connect", _commit_without_waiting_for_disk)
        self._lock: AbstractContextManager[object] = (
            threading.Lock() if self._engine.dialect.name == "sqlite" else nullcontext()
        )
        self._group = _GroupCommit(self.record_all)
        try:
            _metadata.create_all(self._engine, checkfirst=True)
        except DBAPIError:
            # Another process created the table between the check and the CREATE.
            if not inspect(self._engine).has_table(sandbox_charges.name):
                raise

    def record(self, entry: LedgerEntry) -> tuple[LedgerEntry, bool]:
        return self._group.write(entry)

    def record_all(self, entries: Sequence[LedgerEntry]) -> list[tuple[LedgerEntry, bool]]:
        """One transaction: the entries whose keys are new go in, the others are read back
        (a key asked about again, or taken by another writer meanwhile)."""
        if not entries:
            return []
        with self._lock, self._engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # keys through the index as the table grows
                conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            fresh = _first_of_each_key(entries)
            written = self._insert_new(conn, fresh)
            lost = [e.idempotency_key for e in fresh if e.idempotency_key not in written]
            known = self._known(conn, lost) if lost else {}
        new = {e.idempotency_key: e for e in fresh if e.idempotency_key in written}
        answers = []
        for entry in entries:
            key = entry.idempotency_key
            if key in new:
                answers.append((new.pop(key), True))
            else:
                answers.append((known.get(key) or entry, False))
        return answers

    def _known(self, conn: Connection, keys: list[str]) -> dict[str, LedgerEntry]:
        from tierline.store.sets import one_of

        query = select(sandbox_charges).where(one_of(conn, sandbox_charges.c.idempotency_key, keys))
        return {row["idempotency_key"]: _entry(row) for row in conn.execute(query).mappings()}

    def _insert_new(self, conn: Connection, fresh: list[LedgerEntry]) -> set[str]:
        """The keys inserted; a key another writer took meanwhile is left out. On PostgreSQL the
        rows go as one array per column: one short statement, however many rows."""
        rows = [_row(entry) for entry in fresh]
        if conn.dialect.name != "postgresql":
            statement = (
                sqlite_insert(sandbox_charges)
                .on_conflict_do_nothing()
                .returning(sandbox_charges.c.idempotency_key)
            )
            return set(conn.execute(statement, rows).scalars())
        from tierline.store.sets import array_literal

        arrays = {name: array_literal(row[name] for row in rows) for name in _COLUMNS}
        return set(conn.execute(_INSERT_ARRAYS, arrays).scalars())

    def get(self, idempotency_key: str) -> LedgerEntry | None:
        with self._lock:
            return self._get(idempotency_key)

    def entries(self) -> list[LedgerEntry]:
        with self._lock, self._engine.connect() as conn:
            rows = conn.execute(select(sandbox_charges).order_by(sandbox_charges.c.seq))
            return [_entry(row) for row in rows.mappings()]

    def close(self) -> None:
        self._engine.dispose()

    def _get(self, idempotency_key: str) -> LedgerEntry | None:
        query = select(sandbox_charges).where(sandbox_charges.c.idempotency_key == idempotency_key)
        with self._engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _entry(row)


class _GroupCommit:
    """Writes entries handed in by many threads in as few transactions as it can: the first
    caller becomes the writer and writes batch after batch until nothing waits."""

    def __init__(
        self, write_all: Callable[[Sequence[LedgerEntry]], list[tuple[LedgerEntry, bool]]]
    ) -> None:
        self._write_all = write_all
        self._lock = threading.Lock()
        self._waiting: list[tuple[LedgerEntry, Future[tuple[LedgerEntry, bool]]]] = []
        self._writing = False

    def write(self, entry: LedgerEntry) -> tuple[LedgerEntry, bool]:
        answer: Future[tuple[LedgerEntry, bool]] = Future()
        with self._lock:
            self._waiting.append((entry, answer))
            writer = not self._writing
            self._writing = True
        if writer:
            self._write_until_none_waits()
        return answer.result()

    def _write_until_none_waits(self) -> None:
        while True:
            with self._lock:
                batch, self._waiting = self._waiting, []
                if not batch:
                    self._writing = False
                    return
            try:
                recorded = self._write_all([entry for entry, _ in batch])
            except BaseException as error:  # every caller of the batch learns it failed
                for _, answer in batch:
                    answer.set_exception(error)
                continue
            for (_, answer), result in zip(batch, recorded, strict=True):
                answer.set_result(result)


def _row(entry: LedgerEntry) -> dict[str, object]:
    return {
        "idempotency_key": entry.idempotency_key,
        "at": entry.at.astimezone(UTC),
        "account": entry.account,
        "payment_method": entry.payment_method,
        "token": entry.token,
        "amount": format(entry.amount, "f"),
        "currency": entry.currency,
        "kind": entry.kind,
        "invoice": entry.invoice,
        "status": entry.status,
        "failure_code": entry.failure_code,
        "failure_message": entry.failure_message,
    }


def _first_of_each_key(entries: Sequence[LedgerEntry]) -> list[LedgerEntry]:
    seen: dict[str, LedgerEntry] = {}
    for entry in entries:
        seen.setdefault(entry.idempotency_key, entry)
    return list(seen.values())


def _commit_without_waiting_for_disk(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """A commit returns before its WAL reaches the disk: an entry outlives the process that
    wrote it (the crash the sandbox stands in for), and is lost only with PostgreSQL itself."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    dbapi_connection.commit()


def _entry(row: RowMapping) -> LedgerEntry:
    at: datetime = row["at"]
    return LedgerEntry(
        idempotency_key=row["idempotency_key"],
        at=at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC),
        account=row["account"],
        payment_method=row["payment_method"],
        token=row["token"],
        amount=Decimal(row["amount"]),
        currency=row["currency"],
        kind=row["kind"],
        invoice=row["invoice"],
        status=row["status"],
        failure_code=row["failure_code"],
        failure_message=row["failure_message"],
    )


class SandboxGateway:
    """The gateway protocol on test cards, answering after `latency_ms` as a provider would."""

    def __init__(
        self,
        *,
        ledger: SandboxLedger | None = None,
        clock: Clock | None = None,
        latency_ms: int = 0,
    ) -> None:
        self.ledger: SandboxLedger = ledger if ledger is not None else MemoryLedger()
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._latency = latency_ms / 1000
        self._lock = threading.Lock()
        self._declined: set[str] = set()
        self._closed: set[str] = set()

    @classmethod
    def for_database(
        cls,
        url: str = "sqlite:///tierline.db",
        *,
        schema: str | None = None,
        clock: Clock | None = None,
        latency_ms: int = 0,
    ) -> SandboxGateway:
        """The sandbox of the service running on `url`: its ledger is a table in that database
        (in memory for an in-memory SQLite URL, which no other engine could reach)."""
        ledger: SandboxLedger = (
            MemoryLedger() if url in _MEMORY_URLS else SqlLedger(url, schema=schema)
        )
        return cls(ledger=ledger, clock=clock, latency_ms=latency_ms)

    def tokenize(self, card_number: str) -> CardInfo:
        digits = card_number.replace(" ", "")
        if not digits.isdigit() or not 12 <= len(digits) <= 19 or not _luhn(digits):
            raise Invalid("That card number is not valid.", code="invalid_card", param="card")
        return CardInfo(
            token=f"tok_{digits}", brand=_BRANDS.get(digits[0], "card"), last4=digits[-4:]
        )

    def decline(self, token: str) -> None:
        with self._lock:
            self._declined.add(token)

    def close_card(self, token: str) -> None:
        """The card was closed after it paid: refunds to it fail from now on."""
        with self._lock:
            self._closed.add(token)

    def charge(self, request: ChargeRequest) -> ChargeResult:
        self._wait()
        entry, new = self.ledger.record(self._answer(request))
        if new and _loses_first_answer(entry):
            raise GatewayTimeout(f"no answer for {request.idempotency_key}")
        return entry.result()

    @property
    def answers_at_once(self) -> bool:
        return self._latency == 0

    def charge_all(self, requests: Sequence[ChargeRequest]) -> list[ChargeResult | None]:
        """Many movements in one call, each kept before any answer is given: one wait, one
        write. A test card that loses its first answer gives None for it."""
        self._wait()
        recorded = self.ledger.record_all([self._answer(request) for request in requests])
        return [
            None if new and _loses_first_answer(entry) else entry.result()
            for entry, new in recorded
        ]

    def retrieve(self, idempotency_key: str) -> ChargeResult | None:
        self._wait()
        entry = self.ledger.get(idempotency_key)
        return None if entry is None else entry.result()

    def charges(self) -> list[Movement]:
        """Every charge and refund accepted, in order."""
        return [entry.movement() for entry in self.ledger.entries() if entry.accepted]

    @property
    def captured(self) -> list[tuple[str, Decimal, str]]:
        """(token, amount, idempotency key) of every accepted charge, in order."""
        return self._accepted("charge")

    @property
    def refunded(self) -> list[tuple[str, Decimal, str]]:
        """(token, amount, idempotency key) of every accepted refund, in order."""
        return self._accepted("refund")

    def close(self) -> None:
        self.ledger.close()

    def _accepted(self, kind: MovementKind) -> list[tuple[str, Decimal, str]]:
        return [
            (e.token, e.amount, e.idempotency_key)
            for e in self.ledger.entries()
            if e.accepted and e.kind == kind
        ]

    def _answer(self, request: ChargeRequest) -> LedgerEntry:
        number = request.token.removeprefix("tok_")
        with self._lock:
            declined = request.token in self._declined
            closed = request.token in self._closed
        status: ChargeStatus = "succeeded"
        code = message = None
        if request.kind == "charge" and (declined or number == DECLINED):
            status, code, message = "failed", "card_declined", "The card was declined."
        elif request.kind == "refund" and closed:
            status, code = "failed", "card_closed"
            message = "The card is closed; the refund could not be made."
        elif request.kind == "charge" and number == INSUFFICIENT_FUNDS:
            status, code = "failed", "insufficient_funds"
            message = "The card has insufficient funds."
        return LedgerEntry(
            idempotency_key=request.idempotency_key,
            at=self._clock.now().astimezone(UTC),
            account=request.account_id,
            payment_method=request.payment_method,
            token=request.token,
            amount=request.amount,
            currency=request.currency,
            kind=request.kind,
            invoice=request.invoice,
            status=status,
            failure_code=code,
            failure_message=message,
        )

    def _wait(self) -> None:
        if self._latency > 0:
            time.sleep(self._latency)


def _loses_first_answer(entry: LedgerEntry) -> bool:
    return entry.kind == "charge" and entry.token == f"tok_{TIMES_OUT}"


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0
