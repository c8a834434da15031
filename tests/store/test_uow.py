"""The unit of work on both stores: a read-only one commits nothing, the database refuses its
writes, and it does not wait for a writer that holds the lock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from tierline.catalog import load_catalog
from tierline.clock import TestClock
from tierline.domain.account import Account
from tierline.domain.pages import PageRequest
from tierline.errors import NotFound
from tierline.services.accounts import CreateAccount, create_account
from tierline.services.catalog import install_catalog
from tierline.services.queries import get_account
from tierline.store.uow import ReadOnlyError, UnitOfWork

CATALOG = Path(__file__).parents[2] / "examples" / "waiting-room" / "catalog.yaml"
NOW = datetime(2026, 5, 1, 9, tzinfo=UTC)


@pytest.fixture
def installed(engine: Engine) -> TestClock:
    """The waiting-room catalog installed; the clock it was installed with."""
    clock = TestClock(NOW)
    install_catalog(load_catalog(CATALOG), uow=UnitOfWork(engine), clock=clock)
    return clock


def a_new_account(account_id: str = "acme") -> CreateAccount:
    return CreateAccount(name="Acme", id=account_id)


class TestReadOnlyUnitOfWork:
    def test_commit_is_refused(self, engine: Engine) -> None:
        reader = UnitOfWork(engine, read_only=True)

        with reader, pytest.raises(ReadOnlyError):
            reader.commit()

    def test_a_use_case_that_writes_is_refused_and_stores_nothing(
        self, engine: Engine, installed: TestClock
    ) -> None:
        reader = UnitOfWork(engine, read_only=True)
        # SQLite: refused before the statement is sent; PostgreSQL: by the READ ONLY transaction
        refusal = ReadOnlyError if engine.dialect.name == "sqlite" else DBAPIError

        with pytest.raises(refusal):
            create_account(a_new_account(), uow=reader, clock=installed)

        with pytest.raises(NotFound):
            get_account("acme", uow=UnitOfWork(engine))

    def test_a_unit_of_work_writes_again_after_reading(
        self, engine: Engine, installed: TestClock
    ) -> None:
        uow = UnitOfWork(engine)
        with uow.reading():
            assert uow.read_only
            assert uow.accounts.find("acme") is None

        create_account(a_new_account(), uow=uow, clock=installed)

        assert not uow.read_only
        assert get_account("acme", uow=uow).name == "Acme"

    def test_a_reader_does_not_wait_for_a_writer_holding_the_lock(
        self, engine: Engine, impatient_engine: Engine, installed: TestClock
    ) -> None:
        create_account(a_new_account("first"), uow=UnitOfWork(engine), clock=installed)

        with UnitOfWork(engine) as writer:  # holds the lock, its account not yet committed
            writer.accounts.add(Account("second", "Second", "GBP", created_at=NOW))
            with pytest.raises(DBAPIError):  # a writer from elsewhere gives up after 100 ms
                create_account(
                    a_new_account("second"), uow=UnitOfWork(impatient_engine), clock=installed
                )
            with UnitOfWork(impatient_engine, read_only=True) as reader:
                found = [a.id for a in reader.accounts.page(PageRequest()).items]

        assert found == ["first"]
