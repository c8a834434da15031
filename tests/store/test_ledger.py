"""The journal's balances, read at once for a batch of accounts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, event

from tierline.store.ledger import JournalRepository
from tierline.store.tables import journal_lines
from tierline.store.uow import UnitOfWork

ACCOUNTS = 2000


def test_a_batch_reads_each_accounts_balance_through_the_index_whatever_the_statistics_say(
    engine: Engine,
) -> None:
    """The balance lines grow during a run faster than the table's statistics: a plan that
    scanned them all and compared each with the batch's accounts would cost more with every
    batch. Each account's lines are looked up by the account."""
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL plan; SQLite runs the lookups as they are written")
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE journal_lines")  # while empty: so its statistics say
        conn.execute(
            journal_lines.insert(),
            [
                {"entry_id": f"je-{i}", "account_id": f"acct-{i}", "ledger": "balance",
                 "amount": -100 * (i + 1)}
                for i in range(ACCOUNTS)
            ],
        )  # fmt: skip
    wanted = [f"acct-{i}" for i in range(0, ACCOUNTS, 4)]
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    with UnitOfWork(engine).batch() as batch:
        journal = JournalRepository(batch.connection, "EUR", batch.writer)
        event.listen(engine, "before_cursor_execute", keep)
        try:
            balances = journal.preload_balances(wanted)
        finally:
            event.remove(engine, "before_cursor_execute", keep)
        statement, parameters = sent[-1]
        plan = batch.connection.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) " + statement, parameters
        ).scalar_one()

    assert balances["acct-0"] == Decimal("1.00")
    assert balances["acct-1996"] == Decimal("1997.00")
    assert len(balances) == len(wanted)
    scans = [n for n in _nodes(plan[0]["Plan"]) if n.get("Relation Name") == "journal_lines"]
    assert scans
    assert all("account_id" in node.get("Index Cond", "") for node in scans), scans


def _nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(found for child in node.get("Plans", ()) for found in _nodes(child))]
