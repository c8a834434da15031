"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when configured), a test clock
and the sandbox gateway.

Storage tests take the `engine` fixture and so run once per store. PostgreSQL runs when
`TIERLINE_TEST_POSTGRES_URL` is set. Each test process migrates one SQLite file and one
PostgreSQL schema of its own once; every test then starts from an empty copy (SQLite) or from
emptied tables (PostgreSQL), and the schema is dropped when the process ends.
(`tests/store/test_migrations.py` migrates both stores from empty on every run.)
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from tierline.clock import TestClock
from tierline.payments import SandboxGateway
from tierline.store.migrate import migrate
from tierline.store.tables import metadata
from tierline.store.uow import UnitOfWork, create_engine

POSTGRES_URL = os.environ.get("TIERLINE_TEST_POSTGRES_URL")
STORES = ["sqlite", "postgresql"]


@dataclass(frozen=True)
class Store:
    """A migrated, empty database, and how another process reaches it."""

    engine: Engine
    url: str
    schema: str | None = None


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "tierline.db"
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_schema() -> Iterator[Store]:
    assert POSTGRES_URL is not None
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(POSTGRES_URL, schema=schema)
    try:
        migrate(engine)
        yield Store(engine, POSTGRES_URL, schema)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _emptied(store: Store) -> Store:
    tables = [t.name for t in metadata.sorted_tables] + ["alembic_version"]
    keep = ", ".join(f'"{name}"' for name in tables if name != "alembic_version")
    store.engine.dispose()  # no connection of an earlier test holds a lock
    with store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {keep} RESTART IDENTITY CASCADE"))
    return store


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        path = tmp_path / "tierline.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        url = f"sqlite:///{path}"
        engine = create_engine(url)
        yield Store(engine, url)
        engine.dispose()
        return
    if POSTGRES_URL is None:
        pytest.skip("TIERLINE_TEST_POSTGRES_URL is not set")
    yield _emptied(request.getfixturevalue("_postgres_schema"))


@pytest.fixture
def engine(store: Store) -> Engine:
    return store.engine


@pytest.fixture
def impatient_engine(store: Store) -> Iterator[Engine]:
    """Another engine on the test's database, as another process has it, that waits at most
    100 ms for a lock (SQLite's write lock, a PostgreSQL row lock) before it fails."""
    engine = create_engine(store.url, schema=store.schema)

    @event.listens_for(engine, "connect")
    def _impatient(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        if store.url.startswith("sqlite"):
            dbapi_connection.execute("PRAGMA busy_timeout=100")
        else:
            dbapi_connection.execute("SET lock_timeout = '100ms'")
            dbapi_connection.commit()

    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)


@pytest.fixture
def clock() -> TestClock:
    return TestClock(datetime(2026, 1, 31, 10, 0, tzinfo=UTC))


@pytest.fixture
def gateway() -> SandboxGateway:
    return SandboxGateway()
