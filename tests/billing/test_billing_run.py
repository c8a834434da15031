"""The billing run in real processes: several at once, or one killed midway and started again,
never renew a period twice and leave no gap in invoice numbers."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import sqlalchemy
from sqlalchemy import func, select

from benchmarks.fixtures import seed_due_subscriptions
from tests.conftest import Store
from tierline.store.tables import invoices

SUBSCRIPTIONS = 400
# The processes run on the real clock: the periods fall due a moment before they start.
DUE = datetime.now(UTC) - timedelta(minutes=1)


def _database_url(store: Store) -> str:
    if store.schema is None:
        return store.url
    return f"{store.url}?options={quote(f'-csearch_path={store.schema}')}"


def _billing_run(store: Store, batch: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, TIERLINE_DATABASE_URL=_database_url(store))
    env.pop("TIERLINE_TEST_CLOCK", None)
    return subprocess.Popen(
        [sys.executable, "-m", "tierline.cli", "billing", "run", "--batch", str(batch)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@functools.cache
def _reader(url: str) -> sqlalchemy.Engine:
    """A plain engine: its reads don't take SQLite's write lock, so they never wait for a run."""
    return sqlalchemy.create_engine(url)


def _invoiced(store: Store) -> tuple[int, int, list[str]]:
    engine = store.engine if store.schema else _reader(store.url)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(invoices)).scalar_one()
        periods = conn.execute(
            select(func.count()).select_from(
                select(invoices.c.subscription_id, invoices.c.period_start).distinct().subquery()
            )
        ).scalar_one()
        numbers = list(conn.execute(select(invoices.c.number)).scalars())
    return int(count), int(periods), sorted(numbers)


def _gap_free(count: int) -> list[str]:
    return [f"INV-{DUE.year}-{n:06d}" for n in range(1, count + 1)]


class TestBillingRunProcesses:
    def test_two_processes_at_once_renew_every_period_exactly_once(self, store: Store) -> None:
        seed_due_subscriptions(store.engine, SUBSCRIPTIONS, DUE)

        runs = [_billing_run(store, batch=25) for _ in range(2)]
        for run in runs:
            _, err = run.communicate(timeout=240)
            assert run.returncode == 0, err.decode()

        count, periods, numbers = _invoiced(store)
        assert (count, periods) == (SUBSCRIPTIONS, SUBSCRIPTIONS)
        assert numbers == _gap_free(SUBSCRIPTIONS)

    def test_a_run_killed_midway_and_started_again_renews_each_period_once(
        self, store: Store
    ) -> None:
        many = 3 * SUBSCRIPTIONS  # enough work to be caught in the middle of it
        seed_due_subscriptions(store.engine, many, DUE)

        first = _billing_run(store, batch=5)
        deadline = time.monotonic() + 120
        while _invoiced(store)[0] < 20 and first.poll() is None:
            assert time.monotonic() < deadline, "the first run never got going"
            time.sleep(0.1)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        partial = _invoiced(store)[0]
        assert partial < many, "the run finished before it could be killed"

        second = _billing_run(store, batch=50)
        _, err = second.communicate(timeout=240)
        assert second.returncode == 0, err.decode()

        count, periods, numbers = _invoiced(store)
        assert (count, periods) == (many, many)
        assert numbers == _gap_free(many)

    def test_a_second_run_after_a_complete_one_issues_nothing(self, store: Store) -> None:
        seed_due_subscriptions(store.engine, 50, DUE)
        for _ in range(2):
            run = _billing_run(store, batch=20)
            _, err = run.communicate(timeout=240)
            assert run.returncode == 0, err.decode()
        assert _invoiced(store)[:2] == (50, 50)
