"""The billing run in real processes: several at once, or one killed midway and started again,
never renew a period twice, leave no gap in invoice numbers, and never charge a card that
nothing records."""

from __future__ import annotations

import functools
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

import sqlalchemy
from sqlalchemy import func, select

from benchmarks.fixtures import seed_due_subscriptions
from tests.conftest import Store
from tierline.payments.sandbox import SqlLedger
from tierline.store.tables import invoices, journal_lines, payments

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


def _collecting_run(
    store: Store, *, batch: int, concurrency: int, stale_after: float = 300.0
) -> subprocess.Popen[bytes]:
    """A billing run whose sandbox answers in 20 ms, so a kill lands while charges are out."""
    env = dict(
        os.environ, TIERLINE_DATABASE_URL=_database_url(store), TIERLINE_SANDBOX_LATENCY_MS="20"
    )
    env.pop("TIERLINE_TEST_CLOCK", None)
    command = ["billing", "run", "--batch", str(batch), "--concurrency", str(concurrency)]
    return subprocess.Popen(
        [sys.executable, "-m", "tierline.cli", *command, "--stale-after", str(stale_after)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _money_state(store: Store) -> dict[str, object]:
    """What the provider took, against what Tierline recorded."""
    engine = store.engine if store.schema else _reader(store.url)
    with engine.connect() as conn:
        taken = conn.execute(
            sqlalchemy.text(
                "SELECT idempotency_key, amount, invoice FROM sandbox_charges "
                "WHERE kind = 'charge' AND status = 'succeeded'"
            )
        ).all()
        recorded = conn.execute(
            select(payments.c.id, payments.c.amount, payments.c.invoice_number, payments.c.status)
        ).all()
        ledger = conn.execute(
            select(journal_lines.c.ledger, func.sum(journal_lines.c.amount)).group_by(
                journal_lines.c.ledger
            )
        ).all()
        open_invoices = conn.execute(
            select(func.count()).select_from(invoices).where(invoices.c.status != "paid")
        ).scalar_one()
    return {
        "taken": {(key, Decimal(amount), invoice) for key, amount, invoice in taken},
        "taken_per_invoice": Counter(invoice for _, _, invoice in taken),
        "succeeded": {
            (key, Decimal(amount) / 100, invoice)
            for key, amount, invoice, status in recorded
            if status == "succeeded"
        },
        "unsettled": sorted(status for *_, status in recorded if status in ("created", "sent")),
        "ledger": {name: int(total) for name, total in ledger},
        "open_invoices": int(open_invoices),
    }


def _clear_sandbox(store: Store) -> None:
    """The sandbox's table lives beside Tierline's and is not emptied between tests. It is made
    anew here, empty, so it is there to read even when a run is killed before it starts."""
    with store.engine.begin() as conn:
        conn.execute(sqlalchemy.text("DROP TABLE IF EXISTS sandbox_charges"))
    SqlLedger(store.url, schema=store.schema).close()


class TestCrashes:
    def test_runs_killed_at_random_points_then_two_at_once_charge_each_invoice_once(
        self, store: Store
    ) -> None:
        _clear_sandbox(store)
        seed_due_subscriptions(store.engine, SUBSCRIPTIONS, DUE)
        chance = random.Random()
        seed = chance.randrange(1 << 30)
        chance.seed(seed)
        caught_midway = []  # what was left in flight each time a kill landed before the end
        for _ in range(5):
            run = _collecting_run(store, batch=20, concurrency=4)
            time.sleep(chance.uniform(0.8, 3.0))
            if run.poll() is None:
                run.send_signal(signal.SIGKILL)
                run.wait(timeout=60)
                left = _money_state(store)
                if left["unsettled"] or len(left["succeeded"]) < SUBSCRIPTIONS:  # type: ignore[arg-type]
                    caught_midway.append(len(left["unsettled"]))  # type: ignore[arg-type]
            run.wait(timeout=60)
        assert caught_midway, f"no run was killed before it finished (seed {seed})"

        # Then two at once, each also settling what the killed runs left `sent`.
        runs = [_collecting_run(store, batch=20, concurrency=8, stale_after=0) for _ in range(2)]
        for run in runs:
            _, err = run.communicate(timeout=240)
            assert run.returncode == 0, err.decode()

        state = _money_state(store)
        count, periods, numbers = _invoiced(store)
        assert (count, periods) == (SUBSCRIPTIONS, SUBSCRIPTIONS), f"seed {seed}"
        assert numbers == _gap_free(SUBSCRIPTIONS)
        assert state["unsettled"] == [], f"seed {seed}"
        assert state["open_invoices"] == 0
        # One to one: every charge the provider took is a succeeded payment, same key and amount.
        assert state["taken"] == state["succeeded"], f"seed {seed}"
        assert set(state["taken_per_invoice"].values()) == {1}  # type: ignore[attr-defined]
        assert len(state["taken"]) == SUBSCRIPTIONS  # type: ignore[arg-type]
        # The journal balances, and the cash it holds is what the provider took.
        ledger = state["ledger"]
        assert sum(ledger.values()) == 0  # type: ignore[attr-defined]
        taken = sum(amount for _, amount, _ in state["taken"])  # type: ignore[attr-defined]
        assert Decimal(ledger["cash"]) / 100 == taken  # type: ignore[index]
