"""The unit of work: one transaction, rolled back unless `commit()` is called.

A use case that only reads enters it with `with uow.reading():` (or makes it with
`UnitOfWork(engine, read_only=True)`): a read-only transaction, which commits nothing and refuses
writes. On SQLite it begins deferred, so it waits for no writer (the database is in WAL mode: a
reader sees the last committed state while a billing run in another process holds the write
lock), where a writer begins with `BEGIN IMMEDIATE`. On PostgreSQL it is a `READ ONLY`
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as _create_engine
from sqlalchemy.pool import StaticPool

from tierline.domain.catalog import Catalog
from tierline.domain.documents import SERIES
from tierline.errors import Conflict
from tierline.store import json_values
from tierline.store.account_search import AccountSearch
from tierline.store.accounts import AccountRepository, PaymentMethodRepository
from tierline.store.catalog_versions import CatalogHistory
from tierline.store.catalogs import CatalogRepository
from tierline.store.console import AuditRepository, OperatorRepository
from tierline.store.documents import DocumentRepository
from tierline.store.entitlements import (
    ConsumptionRepository,
    EntitlementReader,
    MemberRepository,
    ReconciliationRepository,
    ResourceRepository,
)
from tierline.store.ledger import (
    JournalRepository,
    OutboxRepository,
    SequenceRepository,
    UsageRepository,
)
from tierline.store.operators import ApiKeyRepository, IdempotencyRepository, current_claim
from tierline.store.payments import PaymentRepository, PurchaseRepository
from tierline.store.portal_sessions import PortalSessionRepository
from tierline.store.reports import ReportReader
from tierline.store.subscriptions import SubscriptionRepository
from tierline.store.tables import use_postgresql_options
from tierline.store.webhook_log import WebhookLog
from tierline.store.webhooks import WebhookRepository
from tierline.store.writer import Writer

# The execution option that marks a SQLite connection's transaction as read-only.
_SQLITE_READ_ONLY = "tierline_read_only"


def create_engine(url: str, *, schema: str | None = None, pre_ping: bool = True) -> Engine:
    """An engine for SQLite (file or memory) or PostgreSQL (optionally in one schema). With
    `pre_ping`, a PostgreSQL connection is tested before each use, so a restarted server costs
    no request; an engine that makes many one-statement transactions may do without."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = _create_engine(
            url,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool if memory else None,
            json_serializer=json_values.dumps,
            json_deserializer=json_values.loads,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below decide
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # type: ignore[no-untyped-def]
            if conn.get_execution_options().get(_SQLITE_READ_ONLY):
                # A reader takes no lock ahead, so it never waits for a writer.
                conn.exec_driver_sql("BEGIN")
                return
            # Take the write lock at the start: two writers never interleave on SQLite.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        @event.listens_for(engine, "before_cursor_execute")
        def _refuse_writes(conn, _cursor, _sql, _params, context, _many):  # type: ignore[no-untyped-def]
            # A write in a reader would wait for the write lock: refuse it at once. (Not with
            # `PRAGMA query_only`: setting it expires every prepared statement of the connection.)
            writes = context is not None and (
                context.isinsert or context.isupdate or context.isdelete
            )
            if writes and conn.get_execution_options().get(_SQLITE_READ_ONLY):
                raise ReadOnlyError("A read-only unit of work cannot write.")

        return engine
    use_postgresql_options()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    engine = _create_engine(
        url, pool_pre_ping=pre_ping, connect_args=connect_args,
        json_serializer=json_values.dumps, json_deserializer=json_values.loads,
    )  # fmt: skip

    @event.listens_for(engine, "connect")
    def _in_utc(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Sessions in UTC, whatever zone the server was set up in: the driver then reads
        # instants as `datetime.timezone.utc`, which `UtcDateTime` passes on as they are.
        dbapi_connection.execute("SET TIME ZONE 'UTC'")
        dbapi_connection.commit()

    return engine


class ReadOnlyError(RuntimeError):
    """A read-only unit of work was asked to write or to commit."""


# A batch reads and writes a few hundred rows by key, in tables of any size. Left to itself the
# planner scans whole tables for them whenever its statistics are behind (the invoices of this
# very run) and joins staged rows by hashing the whole table: work that grows with the table,
# once per batch. Index lookups, row by row, cost the same at any size. (JIT compiling would
# then be set off by the penalties these settings add to the plans it would not choose.)
_BATCH_PLANS = (
    "SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; "
    "SET LOCAL enable_mergejoin = off; SET LOCAL jit = off"
)


class UnitOfWork:
    """One transaction. With `batch=True` (the billing run) writes are sent table by table
    when the unit of work flushes or commits, instead of row by row. With `read_only=True` it
    is a read-only transaction: `commit()` raises `ReadOnlyError`, and so does an insert, update
    or delete on SQLite; PostgreSQL refuses every write of a `READ ONLY` transaction itself."""

    def __init__(self, engine: Engine, *, batch: bool = False, read_only: bool = False) -> None:
        self._engine = engine
        self._batch = batch
        self._read_only = read_only
        self._conn: Connection | None = None
        self._writer: Writer | None = None
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self._conn = self._engine.connect()
        try:
            if self._read_only:
                self._conn.execution_options(**_read_only_options(self._engine))
            self._conn.begin()
        except BaseException:  # e.g. SQLite's write lock not granted in time
            self._conn.close()
            self._conn = None
            raise
        if self._batch and self._engine.dialect.name == "postgresql":
            self._conn.exec_driver_sql(_BATCH_PLANS)
        self._writer = Writer(self._conn, buffered=self._batch)
        self._committed = False
        for name in _REPOSITORIES:
            self.__dict__.pop(name, None)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._conn is not None
        try:
            if not self._committed:
                self._conn.rollback()
        finally:
            self._conn.close()
            self._conn = None

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """Enter this unit of work as a read-only transaction, for a use case that only reads."""
        made_read_only = self._read_only
        self._read_only = True
        try:
            with self:
                yield self
        finally:
            self._read_only = made_read_only

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def works_beside(self) -> bool:
        """Whether the database does its work in a process of its own (PostgreSQL), so that
        two threads writing at once overlap their waits; SQLite's writers take turns."""
        return self._engine.dialect.name == "postgresql"

    def batch(self) -> UnitOfWork:
        """A unit of work on the same database that writes in batches."""
        return UnitOfWork(self._engine, batch=True)

    def alongside(self) -> UnitOfWork:
        """A unit of work on the same database for work done beside this one, in another
        thread: a unit of work is one transaction at a time, never shared between threads."""
        return UnitOfWork(self._engine, batch=self._batch, read_only=self._read_only)

    def flush(self) -> None:
        assert self._writer is not None
        self._writer.flush()
        if "sequences" in self.__dict__:
            self.sequences.flush()

    def commit(self) -> None:
        assert self._conn is not None
        if self._read_only:
            raise ReadOnlyError("A read-only unit of work cannot commit.")
        self.flush()
        self._record_effect()
        self._conn.commit()
        self._committed = True

    def _record_effect(self) -> None:
        """Inside a request with an `Idempotency-Key`, mark its key in this transaction: the key
        then says "effect committed" exactly when the effect is. A request that lost its key to
        another (its lease ran out) commits nothing."""
        claim = current_claim.get()
        if claim is not None and not self.idempotency.mark_effect_committed(claim):
            raise Conflict(
                "Another request with this Idempotency-Key took over; this one changed nothing.",
                code="idempotency_claim_lost", param="Idempotency-Key",
            )  # fmt: skip

    def rollback(self) -> None:
        """Drop everything written so far and start again in a new transaction."""
        assert self._conn is not None
        self._conn.rollback()
        self._writer = Writer(self._conn, buffered=self._batch)
        for name in _REPOSITORIES:
            self.__dict__.pop(name, None)

    @property
    def writer(self) -> Writer:
        assert self._writer is not None, "use the unit of work in a `with` block"
        return self._writer

    @property
    def connection(self) -> Connection:
        assert self._conn is not None, "use the unit of work in a `with` block"
        return self._conn

    @cached_property
    def catalogs(self) -> CatalogRepository:
        return CatalogRepository(self.connection)

    @cached_property
    def catalog(self) -> Catalog:
        return self.catalogs.current()

    @cached_property
    def accounts(self) -> AccountRepository:
        return AccountRepository(self.connection, self.writer)

    @cached_property
    def payment_methods(self) -> PaymentMethodRepository:
        return PaymentMethodRepository(self.connection, self.writer)

    @cached_property
    def subscriptions(self) -> SubscriptionRepository:
        return SubscriptionRepository(
            self.connection, self.catalog.currency, self.catalog.renewal.lead_days, self.writer
        )

    @cached_property
    def documents(self) -> DocumentRepository:
        return DocumentRepository(self.connection, self.catalog.currency, self.writer)

    @cached_property
    def journal(self) -> JournalRepository:
        return JournalRepository(self.connection, self.catalog.currency, self.writer)

    @cached_property
    def payments(self) -> PaymentRepository:
        return PaymentRepository(self.connection, self.catalog.currency, self.writer)

    @cached_property
    def purchases(self) -> PurchaseRepository:
        return PurchaseRepository(self.connection)

    @cached_property
    def usage(self) -> UsageRepository:
        return UsageRepository(self.connection, self.catalog.currency, self.writer)

    @cached_property
    def sequences(self) -> SequenceRepository:
        if not (self._batch and self._engine.dialect.name == "postgresql"):
            return SequenceRepository(self.connection)
        sequences = SequenceRepository(self.connection, deferred=_NUMBERED_LATE)
        self.writer.numbers = sequences
        event.listen(self.connection, "before_cursor_execute", _never_marked(sequences))
        return sequences

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.connection, self.writer)

    @cached_property
    def api_keys(self) -> ApiKeyRepository:
        return ApiKeyRepository(self.connection)

    @cached_property
    def idempotency(self) -> IdempotencyRepository:
        return IdempotencyRepository(self.connection)

    @cached_property
    def webhooks(self) -> WebhookRepository:
        return WebhookRepository(self.connection, self.writer)

    @cached_property
    def portal_sessions(self) -> PortalSessionRepository:
        return PortalSessionRepository(self.connection)

    @cached_property
    def operators(self) -> OperatorRepository:
        return OperatorRepository(self.connection)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.connection)

    @cached_property
    def reports(self) -> ReportReader:
        return ReportReader(self.connection)

    @cached_property
    def account_search(self) -> AccountSearch:
        return AccountSearch(self.connection)

    @cached_property
    def catalog_history(self) -> CatalogHistory:
        return CatalogHistory(self.connection)

    @cached_property
    def webhook_log(self) -> WebhookLog:
        return WebhookLog(self.connection)

    @cached_property
    def members(self) -> MemberRepository:
        return MemberRepository(self.connection, self.writer)

    @cached_property
    def consumption(self) -> ConsumptionRepository:
        return ConsumptionRepository(self.connection, self.writer)

    @cached_property
    def resources(self) -> ResourceRepository:
        return ResourceRepository(self.connection, self.writer)

    @cached_property
    def reconciliations(self) -> ReconciliationRepository:
        return ReconciliationRepository(self.connection, self.writer)

    @cached_property
    def entitlements(self) -> EntitlementReader:
        return EntitlementReader(self.connection, self.writer)


# In a batch on PostgreSQL, invoices are numbered when the batch writes (`SequenceRepository`).
_NUMBERED_LATE = frozenset({SERIES["invoice"]})


def _never_marked(sequences: SequenceRepository) -> Callable[..., None]:
    """A check on every statement of a batch that numbers late: none carries a provisional
    number. Rows are numbered as they are written; a number read back or looked up within the
    batch would find nothing, so that is refused loudly rather than answered wrong."""

    def check(_conn: Any, _cursor: Any, _statement: str, parameters: Any, *_: Any) -> None:
        rows = parameters if isinstance(parameters, list | tuple) else [parameters]
        for row in rows:
            values = row.values() if isinstance(row, dict) else row
            if any(isinstance(v, str) and sequences.holds_marks(v) for v in values or ()):
                raise RuntimeError("A provisional document number was sent to the database.")

    return check


def _read_only_options(engine: Engine) -> dict[str, bool]:
    """How a connection is told that its next transaction only reads."""
    if engine.dialect.name == "postgresql":
        return {"postgresql_readonly": True}  # the driver then begins `READ ONLY`
    return {_SQLITE_READ_ONLY: True}


_REPOSITORIES = [
    name for name, value in vars(UnitOfWork).items() if isinstance(value, cached_property)
]
