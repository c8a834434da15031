"""Data for benchmarks: many subscriptions due at once, written with bulk inserts."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, text

from tierline.catalog import parse_catalog
from tierline.clock import TestClock
from tierline.domain.journal import BALANCE, CASH
from tierline.payments.sandbox import DECLINED
from tierline.services.catalog import install_catalog
from tierline.store.migrate import migrate
from tierline.store.tables import (
    accounts,
    journal_entries,
    journal_lines,
    payment_methods,
    subscriptions,
)
from tierline.store.uow import UnitOfWork, create_engine

NOW = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)

CATALOG = {
    "currency": "EUR",
    "quantity_unit": "seat",
    "cycles": [{"code": "month", "months": 1}, {"code": "year", "months": 12}],
    "editions": [
        {
            "code": "team",
            "name": "Team",
            "rank": 1,
            "quantity": {"min": 1, "max": 1000},
            "prices": [{"cycle": "month", "per_unit": "9.00"}],
        }
    ],
    "addons": [
        {
            "code": "pack",
            "name": "Pack",
            "grants": {"external_users": 100},
            "prices": [{"cycle": "month", "per_unit": "5.00"}],
        }
    ],
}


@dataclass(frozen=True)
class Store:
    engine: Engine
    url: str
    schema: str | None = None


@contextmanager
def database(store: str, workdir: Path) -> Iterator[Store]:
    """A fresh, migrated database: a SQLite file, or a throwaway PostgreSQL schema."""
    if store == "sqlite":
        url = f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        engine = create_engine(url)
        migrate(engine)
        try:
            yield Store(engine, url)
        finally:
            engine.dispose()
        return
    from os import environ

    url = environ.get(
        "TIERLINE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, schema=schema)
    try:
        migrate(engine)
        yield Store(engine, url, schema)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# With declines: every DECLINED_EVERY-th account's card is declined, and every other one of
# those accounts has a backup card, which pays.
DECLINED_EVERY = 20
# With balances: every BALANCE_EVERY-th account has BALANCE_MINOR cents prepaid, topped up
# before the run; the renewals apply it first and charge the card the rest.
BALANCE_EVERY = 5
BALANCE_MINOR = 2000


def declined(index: int) -> bool:
    return index % DECLINED_EVERY == 0


def with_backup(index: int) -> bool:
    return index % (2 * DECLINED_EVERY) == 0


def seed_due_subscriptions(
    engine: Engine,
    count: int,
    due_at: datetime = NOW,
    *,
    declines: bool = False,
    balances: bool = False,
) -> None:
    """`count` accounts with a card and a monthly subscription whose period ends at `due_at`;
    with `declines`, some cards declined (`declined`), some of those with a backup; with
    `balances`, some accounts with a prepaid balance (`BALANCE_EVERY`)."""
    install_catalog(parse_catalog(CATALOG), uow=UnitOfWork(engine), clock=TestClock(due_at))
    start = due_at - timedelta(days=28)
    chunk = 5000
    for offset in range(0, count, chunk):
        ids = [f"a{i:07d}" for i in range(offset, min(count, offset + chunk))]
        with engine.begin() as conn:
            conn.execute(
                insert(accounts),
                [
                    {"id": a, "name": a, "currency": "EUR", "timezone": "UTC", "locale": "en",
                     "sales_managed": False, "billing_email": None, "created_at": start}
                    for a in ids
                ],
            )  # fmt: skip
            conn.execute(insert(payment_methods), _cards(offset, ids, start, declines))
            if balances:
                _top_up(conn, ids[(-offset) % BALANCE_EVERY :: BALANCE_EVERY], start)
            conn.execute(
                insert(subscriptions),
                [
                    {"id": f"s{a}", "account_id": a, "edition": "team", "cycle": "month",
                     "quantity": 5, "addons": {"pack": 1}, "status": "active", "auto_renew": True,
                     "anchor": start, "period_start": start, "period_end": due_at,
                     "started_at": start, "trial_end": None, "ended_at": None,
                     "charges": [], "next_charges": None, "next_action_at": due_at, "version": 1}
                    for a in ids
                ],
            )  # fmt: skip
    with engine.begin() as conn:
        # Statistics, as autovacuum keeps them on a database in use: the planner then reads a
        # batch's rows through the indexes instead of scanning tables it believes are empty.
        for table in ("accounts", "payment_methods", "subscriptions"):
            conn.execute(text(f"ANALYZE {table}"))


def _cards(offset: int, ids: list[str], added: datetime, declines: bool) -> list[dict[str, object]]:
    cards: list[dict[str, object]] = []
    for index, account in enumerate(ids, start=offset):
        number = DECLINED if declines and declined(index) else "4242424242424242"
        cards.append(_card(account, "card", number, added, backup=False))
        if declines and with_backup(index):
            cards.append(_card(account, "backup", "5555555555554444", added, backup=True))
    return cards


def _card(
    account: str, id: str, number: str, added: datetime, *, backup: bool
) -> dict[str, object]:
    return {
        "account_id": account, "id": id, "token": f"tok_{number}", "brand": "visa",
        "last4": number[-4:], "is_primary": not backup, "is_backup": backup, "created_at": added,
    }  # fmt: skip


def _top_up(conn: Connection, account_ids: list[str], at: datetime) -> None:
    """A top-up of BALANCE_MINOR on each account, as the journal records one (`journal.top_up`):
    cash in, the balance owed to the account."""
    if not account_ids:
        return
    conn.execute(
        insert(journal_entries),
        [{"id": f"je_{a}", "account_id": a, "kind": "top_up", "at": at} for a in account_ids],
    )
    conn.execute(
        insert(journal_lines),
        [
            {"entry_id": f"je_{a}", "account_id": a, "ledger": ledger, "amount": amount}
            for a in account_ids
            for ledger, amount in ((CASH, BALANCE_MINOR), (BALANCE, -BALANCE_MINOR))
        ],
    )
