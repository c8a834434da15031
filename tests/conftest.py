"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when configured), a test clock
and the sandbox gateway.

Storage tests take the `engine` fixture and so run once per store. PostgreSQL runs when
`TIERLINE_TEST_POSTGRES_URL` is set; each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tierline.clock import TestClock
from tierline.payments import SandboxGateway
from tierline.store.migrate import migrate
from tierline.store.uow import UnitOfWork, create_engine

POSTGRES_URL = os.environ.get("TIERLINE_TEST_POSTGRES_URL")
STORES = ["sqlite", "postgresql"]


@dataclass(frozen=True)
class Store:
    """A migrated, empty database, and how another process reaches it."""

    engine: Engine
    url: str
    schema: str | None = None


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tierline.db'}"
        engine = create_engine(url)
        migrate(engine)
        yield Store(engine, url)
        engine.dispose()
        return
    if POSTGRES_URL is None:
        pytest.skip("TIERLINE_TEST_POSTGRES_URL is not set")
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


@pytest.fixture
def engine(store: Store) -> Engine:
    return store.engine


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)


@pytest.fixture
def clock() -> TestClock:
    return TestClock(datetime(2026, 1, 31, 10, 0, tzinfo=UTC))


@pytest.fixture
def gateway() -> SandboxGateway:
    return SandboxGateway()
