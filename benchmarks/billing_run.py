"""billing-run: renew N due subscriptions in one run, per store and number of worker processes."""

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
from tierline.runtime import Runtime
from tierline.store.tables import invoices
from tierline.store.uow import create_engine


def _worker(url: str, schema: str | None) -> None:
    engine = create_engine(url, schema=schema)
    run_billing(Runtime(engine, TestClock(NOW), SandboxGateway()))
    engine.dispose()


@dataclass(frozen=True)
class Result:
    rate: float  # renewals per second
    copy_rows: int = 0  # rows the run wrote, and how long COPY alone takes for them
    copy_seconds: float = 0.0


def measure(store: str, count: int, workers: int, workdir: Path) -> Result:
    with database(store, workdir) as db:
        engine = db.engine
        seed_due_subscriptions(engine, count)
        started = time.perf_counter()
        if workers == 1:
            run_billing(Runtime(engine, TestClock(NOW), SandboxGateway()))
        else:
            ctx = multiprocessing.get_context("spawn")
            procs = [ctx.Process(target=_worker, args=(db.url, db.schema)) for _ in range(workers)]
            for p in procs:
                p.start()
            for p in procs:
                p.join()
        elapsed = time.perf_counter() - started
        renewed = _renewals(engine)
        if renewed != count:
            raise SystemExit(f"billing-run {store}: renewed {renewed} of {count}")
        if store == "postgresql" and workers == 1:
            rows, seconds = copy_floor(engine)
            return Result(count / elapsed, rows, seconds)
    return Result(count / elapsed)


def _renewals(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(invoices)).scalar_one())
