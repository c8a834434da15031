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
import os
import resource
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from benchmarks.copy_floor import copy_floor
from benchmarks.fixtures import NOW, database, declined, seed_due_subscriptions, with_backup
from benchmarks.phases import phases
from tierline.billing.run import run_billing
from tierline.clock import TestClock
from tierline.defaults import DEFAULT_CONCURRENCY
from tierline.payments import SandboxGateway
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


def _worker(
    url: str, schema: str | None, latency_ms: int, ready: Queue[None], go: Event, report: Queue[Any]
) -> None:
    """One worker process: ready once imported and connected, runs when told, then reports the
    seconds it spent per phase, its peak memory (RSS, MiB) and the CPU seconds it used."""
    engine = create_engine(url, schema=schema)
    ready.put(None)
    go.wait()
    started = time.process_time()
    with phases() as spent:
        _run(engine, url, schema, latency_ms)
    cpu = time.process_time() - started
    engine.dispose()
    report.put((dict(spent), _peak_mib(), cpu))


def _peak_mib() -> float:
    """This process's peak resident memory. Linux's VmHWM, where there is one: `ru_maxrss`
    carries over the peak of the parent that started the process (a bench that measured the
    COPY floor first holds every row the run wrote)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _machine_busy() -> float | None:
    """CPU seconds every core of this machine has spent working since it started (Linux's
    /proc/stat); None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            ticks = [int(n) for n in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle, iowait = ticks[3], ticks[4]
    return (sum(ticks) - idle - iowait) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Result:
    rate: float  # renewals per second
    peak_mib: float  # the largest peak RSS of the worker processes
    phases: Mapping[str, float] = field(default_factory=dict)  # seconds, one worker only
    copy_rows: int = 0  # rows the run wrote, and how long COPY alone takes for them
    copy_seconds: float = 0.0
    # CPU per renewal (µs): the workers' own, and the rest of the machine's meanwhile (the
    # database's, mostly); the latter is None where the machine's is not known.
    worker_cpu_us: float = 0.0
    other_cpu_us: float | None = None


def measure(
    store: str,
    count: int,
    workers: int,
    workdir: Path,
    *,
    latency_ms: int = 0,
    floor: bool = True,
    declines: bool = False,
    balances: bool = False,
) -> Result:
    """Renewals per second of a run over `count` due subscriptions, issue and collect included,
    in `workers` processes started and connected before the clock starts; with `floor` and one
    worker, also how fast the database alone takes the same rows (`copy_floor`); with `declines`,
    some cards declined (`fixtures.declined`), some of those with a backup that pays; with
    `balances`, some accounts with a prepaid balance that their renewal applies first."""
    with database(store, workdir) as db:
        engine = db.engine
        seed_due_subscriptions(engine, count, declines=declines, balances=balances)
        ctx = multiprocessing.get_context("spawn")
        ready: Queue[None] = ctx.Queue()
        report: Queue[Any] = ctx.Queue()
        go = ctx.Event()
        procs = [
            ctx.Process(target=_worker, args=(db.url, db.schema, latency_ms, ready, go, report))
            for _ in range(workers)
        ]
        for p in procs:
            p.start()
        for _ in procs:
            ready.get(timeout=120)
        busy = _machine_busy()
        started = time.perf_counter()
        go.set()
        reports = [report.get() for _ in procs]
        elapsed = time.perf_counter() - started
        busy_after = _machine_busy()
        for p in procs:
            p.join()
            if p.exitcode != 0:
                raise SystemExit(f"billing-run {store}: a worker exited with {p.exitcode}")
        _check(engine, store, count, declines)
        spent = reports[0][0] if workers == 1 else {}
        peak = max(mib for _, mib, _ in reports)
        cpu = sum(seconds for *_, seconds in reports)
        others = None if busy is None or busy_after is None else busy_after - busy - cpu
        result = Result(
            count / elapsed, peak, spent,
            worker_cpu_us=cpu / count * 1e6,
            other_cpu_us=None if others is None else max(others, 0.0) / count * 1e6,
        )  # fmt: skip
        if floor and workers == 1:
            rows, seconds = copy_floor(engine)
            result = replace(result, copy_rows=rows, copy_seconds=seconds)
    return result


def _check(engine: Engine, store: str, count: int, declines: bool) -> None:
    """Every subscription renewed, every renewal charged once and recorded as paid, but those
    whose card was declined with no backup, which are left open."""
    unpaid = sum(declined(i) and not with_backup(i) for i in range(count)) if declines else 0
    with engine.connect() as conn:
        renewed = conn.execute(select(func.count()).select_from(invoices)).scalar_one()
        open_ = conn.execute(
            select(func.count()).select_from(invoices).where(invoices.c.status == "open")
        ).scalar_one()
        paid = conn.execute(
            select(func.count()).select_from(payments).where(payments.c.status == "succeeded")
        ).scalar_one()
        charged = conn.execute(
            select(func.count())
            .select_from(sandbox_charges)
            .where(sandbox_charges.c.status == "succeeded")
        ).scalar_one()
    if not (renewed == count and open_ == unpaid and paid == charged == count - unpaid):
        raise SystemExit(
            f"billing-run {store}: renewed {renewed}, left open {open_} ({unpaid} expected),"
            f" paid {paid}, charged {charged} of {count}"
        )
