"""A batch reads what it needs of hundreds of rows at once: each value of the set looked up
through its index, however far behind the rows a run adds the table's statistics are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, Table, event

from tierline.store.ledger import JournalRepository
from tierline.store.subscriptions import SubscriptionRepository
from tierline.store.tables import accounts, journal_lines, subscription_changes, subscriptions
from tierline.store.uow import UnitOfWork

ROWS = 2000
AT = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def postgresql(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL plan; SQLite runs the lookups as they are written")
    return engine


def test_a_batch_reads_each_accounts_balance_by_the_account(postgresql: Engine) -> None:
    _added_after_the_statistics(postgresql, journal_lines, [
        {"entry_id": f"je-{i}", "account_id": f"acct-{i}", "ledger": "balance",
         "amount": -100 * (i + 1)}
        for i in range(ROWS)
    ])  # fmt: skip
    wanted = [f"acct-{i}" for i in range(0, ROWS, 4)]

    def read(batch: UnitOfWork) -> Any:
        return JournalRepository(batch.connection, "EUR", batch.writer).preload_balances(wanted)

    balances, scans = _read_and_planned(postgresql, read, "journal_lines")

    assert len(balances) == len(wanted)
    assert balances["acct-0"] == Decimal("1.00")
    assert balances["acct-1996"] == Decimal("1997.00")
    assert all("account_id" in scan.get("Index Cond", "") for scan in scans), scans


def test_a_batch_reads_each_subscriptions_pending_change_by_the_subscription(
    postgresql: Engine,
) -> None:
    with postgresql.begin() as conn:
        conn.execute(accounts.insert(), [{
            "id": "acme", "name": "Acme", "currency": "EUR", "timezone": "UTC", "locale": "en",
            "sales_managed": False, "created_at": AT,
        }])  # fmt: skip
        conn.execute(subscriptions.insert(), [
            {"id": f"sub-{i}", "account_id": "acme", "edition": "pro", "cycle": "monthly",
             "quantity": 1, "addons": {}, "status": "active", "auto_renew": True, "anchor": AT,
             "period_start": AT, "period_end": AT + timedelta(days=31), "started_at": AT,
             "charges": [], "version": 1}
            for i in range(ROWS)
        ])  # fmt: skip
    _added_after_the_statistics(postgresql, subscription_changes, [
        {"id": f"chg-{i}", "account_id": "acme", "subscription_id": f"sub-{i}",
         "change_class": "downgrade", "status": "pending", "effective_at": AT, "created_at": AT,
         "target": {"edition": "basic", "cycle": "monthly", "quantity": 1, "addons": {}}}
        for i in range(ROWS)
    ])  # fmt: skip
    wanted = [f"sub-{i}" for i in range(0, ROWS, 4)]

    def read(batch: UnitOfWork) -> Any:
        subscriptions = SubscriptionRepository(batch.connection, "EUR", 0, batch.writer)
        subscriptions.preload(wanted)  # their pending changes read last, at once
        return {sub_id: subscriptions.get(sub_id).pending for sub_id in wanted}

    pending, scans = _read_and_planned(postgresql, read, "subscription_changes")

    assert all(change is not None for change in pending.values())
    assert pending["sub-8"].id == "chg-8"
    assert all("subscription_id" in scan.get("Index Cond", "") for scan in scans), scans


def _added_after_the_statistics(engine: Engine, table: Table, rows: list[dict[str, Any]]) -> None:
    """Statistics taken while the table was empty, then the rows: as in a run's first batches."""
    with engine.begin() as conn:
        conn.exec_driver_sql(f"ANALYZE {table.name}")
        conn.execute(table.insert(), rows)


def _read_and_planned(
    engine: Engine, read: Callable[[UnitOfWork], Any], table: str
) -> tuple[Any, list[dict[str, Any]]]:
    """What `read` returns in a batch, and the scans of `table` in the plan of the last statement
    it sent, explained in the same transaction (the batch's planner settings in force)."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    with UnitOfWork(engine).batch() as batch:
        event.listen(engine, "before_cursor_execute", keep)
        try:
            found = read(batch)
        finally:
            event.remove(engine, "before_cursor_execute", keep)
        statement, parameters = sent[-1]
        plan = batch.connection.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) " + statement, parameters
        ).scalar_one()
    scans = [n for n in _nodes(plan[0]["Plan"]) if n.get("Relation Name") == table]
    assert scans
    return found, scans


def _nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(found for child in node.get("Plans", ()) for found in _nodes(child))]
