"""billing-run: renew N due subscriptions in one run, per store and number of worker processes.

The run is the service's own: due subscriptions are issued in batches, then the collector sends
their committed payment attempts to the sandbox gateway, at its default concurrency, and records
the outcomes. The gateway is the durable sandbox as `tierline serve` builds it
(`SandboxGateway.for_database`): its ledger is the table `sandbox_charges` in the benchmark's own
database (the throwaway SQLite file, or the throwaway PostgreSQL schema), so it goes with it.
With `latency_ms`, every call to the sandbox waits that long first, as a real provider's does.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select

from benchmarks.copy_floor import copy_floor
from benchmarks.fixtures import NOW, database, seed_due_subscriptions
from tierline.billing.run import run_billing
from tierline.clock import TestClock
from tierline.payments import SandboxGateway
from tierline.payments.collector import DEFAULT_CONCURRENCY
from tierline.payments.sandbox import sandbox_charges
from tierline.runtime import Runtime
from tierline.store.tables import invoices, payments
from tierline.store.uow import create_engine


def _run(engine: Engine, url: str, schema: str | None, latency_ms: int) -> None:
    clock = TestClock(NOW)
    gateway = SandboxGateway.for_database(url, schema=schema, clock=clock, latency_ms=latency_ms)
    try:
        run_billing(Runtime(engine, clock, gateway), concurrency=DEFAULT_CONCURRENCY)
    finally:
        gateway.close()


def _worker(url: str, schema: str | None, latency_ms: int) -> None:
    engine = create_engine(url, schema=schema)
    _run(engine, url, schema, latency_ms)
    engine.dispose()


@dataclass(frozen=True)
class Result:
    rate: float  # renewals per second
    copy_rows: int = 0  # rows the run wrote, and how long COPY alone takes for them
    copy_seconds: float = 0.0


def measure(
    store: str,
    count: int,
    workers: int,
    workdir: Path,
    *,
    latency_ms: int = 0,
    floor: bool = True,
) -> Result:
    """Renewals per second of a run over `count` due subscriptions, issue and collect included;
    with `floor`, on PostgreSQL with one worker, also how fast COPY alone takes the same rows."""
    with database(store, workdir) as db:
        engine = db.engine
        seed_due_subscriptions(engine, count)
        started = time.perf_counter()
        if workers == 1:
            _run(engine, db.url, db.schema, latency_ms)
        else:
            ctx = multiprocessing.get_context("spawn")
            procs = [
                ctx.Process(target=_worker, args=(db.url, db.schema, latency_ms))
                for _ in range(workers)
            ]
            for p in procs:
                p.start()
            for p in procs:
                p.join()
        elapsed = time.perf_counter() - started
        _check(engine, store, count)
        if floor and store == "postgresql" and workers == 1:
            rows, seconds = copy_floor(engine)
            return Result(count / elapsed, rows, seconds)
    return Result(count / elapsed)


def _check(engine: Engine, store: str, count: int) -> None:
    """Every subscription renewed, and every renewal charged once and recorded as paid."""
    with engine.connect() as conn:
        renewed = conn.execute(select(func.count()).select_from(invoices)).scalar_one()
        paid = conn.execute(
            select(func.count()).select_from(payments).where(payments.c.status == "succeeded")
        ).scalar_one()
        charged = conn.execute(
            select(func.count())
            .select_from(sandbox_charges)
            .where(sandbox_charges.c.status == "succeeded")
        ).scalar_one()
    if not renewed == paid == charged == count:
        raise SystemExit(
            f"billing-run {store}: renewed {renewed}, paid {paid}, charged {charged} of {count}"
        )
