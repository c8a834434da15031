"""The unit of work: one transaction, rolled back unless `commit()` is called."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as _create_engine
from sqlalchemy.pool import StaticPool

from tierline.domain.catalog import Catalog
from tierline.store.accounts import AccountRepository, PaymentMethodRepository
from tierline.store.catalogs import CatalogRepository
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
    PaymentRepository,
    SequenceRepository,
    UsageRepository,
)
from tierline.store.operators import ApiKeyRepository, IdempotencyRepository
from tierline.store.portal_sessions import PortalSessionRepository
from tierline.store.subscriptions import SubscriptionRepository
from tierline.store.webhooks import WebhookRepository
from tierline.store.writer import Writer


def create_engine(url: str, *, schema: str | None = None) -> Engine:
    """An engine for SQLite (file or memory) or PostgreSQL (optionally in one schema)."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = _create_engine(
            url,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool if memory else None,
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
            # Take the write lock at the start: two writers never interleave on SQLite.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    return _create_engine(url, pool_pre_ping=True, connect_args=connect_args)


class UnitOfWork:
    """One transaction. With `batch=True` (the billing run) writes are sent table by table
    when the unit of work flushes or commits, instead of row by row."""

    def __init__(self, engine: Engine, *, batch: bool = False) -> None:
        self._engine = engine
        self._batch = batch
        self._conn: Connection | None = None
        self._writer: Writer | None = None
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self._conn = self._engine.connect()
        self._conn.begin()
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

    def batch(self) -> UnitOfWork:
        """A unit of work on the same database that writes in batches."""
        return UnitOfWork(self._engine, batch=True)

    def flush(self) -> None:
        assert self._writer is not None
        self._writer.flush()
        if "sequences" in self.__dict__:
            self.sequences.flush()

    def commit(self) -> None:
        assert self._conn is not None
        self.flush()
        self._conn.commit()
        self._committed = True

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
    def usage(self) -> UsageRepository:
        return UsageRepository(self.connection, self.catalog.currency, self.writer)

    @cached_property
    def sequences(self) -> SequenceRepository:
        return SequenceRepository(self.connection)

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


_REPOSITORIES = [
    name for name, value in vars(UnitOfWork).items() if isinstance(value, cached_property)
]
