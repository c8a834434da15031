"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when configured), a test clock
and the sandbox gateway.

Storage tests take the `engine` fixture and so run once per store. PostgreSQL runs when
`TIERLINE_TEST_POSTGRES_URL` is set; each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
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


def _postgres_engine() -> Iterator[Engine]:
    assert POSTGRES_URL is not None
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(POSTGRES_URL, schema=schema)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgresql":
        if POSTGRES_URL is None:
            pytest.skip("TIERLINE_TEST_POSTGRES_URL is not set")
        engines = _postgres_engine()
        engine = next(engines)
        migrate(engine)
        yield engine
        next(engines, None)
    else:
        engine = create_engine(f"sqlite:///{tmp_path / 'tierline.db'}")
        migrate(engine)
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
