"""`make bench`: one figure a line, as `<benchmark> <store> <setting>: <number> <unit>`.

    python -m benchmarks [--subscriptions N] [--stores sqlite,postgresql] [--workers 1,2]
                         [--only billing-run,billing-run-declines,billing-run-balances,
                                 billing-run-latency,entitlement-check,pdf-render]

PostgreSQL runs against TIERLINE_BENCH_POSTGRES_URL (default: the local server) in a schema of
its own, dropped afterwards, with the sandbox gateway's `sandbox_charges` table in it.

A one-worker billing run also prints the seconds it spent per phase (claim, decide, write,
collect; see benchmarks/phases.py), and on PostgreSQL its rate as a share of the COPY floor
(`share-of-floor`); a run with more workers, its rate over the one-worker run's (`speed-up`).
Every billing run prints the CPU it took per renewal: its workers' own (`cpu=workers`), and
the rest of the machine's meanwhile (`cpu=others`: the database server's on PostgreSQL, and
whatever else ran; Linux only).

billing-run-declines is the one-worker billing run, on each store, over min(N, 20000)
subscriptions of which every 20th card is declined, every other one of those accounts with a
backup card that pays: the share of declines a card business sees. billing-run-balances is the
same over subscriptions of which every 5th account has 20.00 prepaid, which its renewal applies
before charging the card the rest.

billing-run-latency is the billing run on PostgreSQL with one worker while the sandbox gateway
takes 200 ms per call, as a provider does; it renews min(N, 20000) subscriptions. It runs when
--stores has postgresql and --workers has 1.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from benchmarks import entitlement_check, pdf_render
from benchmarks.billing_run import Result, measure
from benchmarks.fixtures import BALANCE_EVERY, DECLINED_EVERY
from benchmarks.phases import PHASES

LATENCY_MS = 200  # a provider's answer time, for billing-run-latency
LATENCY_SUBSCRIPTIONS = 20_000  # at most this many: at a few hundred a second, a minute or so
VARIED_SUBSCRIPTIONS = 20_000  # for the runs over declines and balances


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument(
        "--only",
        default=(
            "billing-run,billing-run-declines,billing-run-balances,billing-run-latency,"
            "entitlement-check,pdf-render"
        ),
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tierline-bench-"))
    try:
        _run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)  # the SQLite files: about 1 GB for N = 100000


def _run(args: argparse.Namespace, workdir: Path) -> None:
    only = set(args.only.split(","))
    if "entitlement-check" in only:
        checks = entitlement_check.measure(workdir)
        print(
            f"entitlement-check sqlite: p99 {checks.p99_ms:.2f} ms at {checks.rate:.0f}/s"
            f" (p50 {checks.p50_ms:.2f} ms, {checks.achieved:.0f}/s achieved)",
            flush=True,
        )
    if "pdf-render" in only:
        pdf = pdf_render.measure()
        print(
            f"pdf-render: {pdf.mean_ms:.1f} ms CPU per invoice ({pdf.wall_ms:.1f} ms wall);"
            f" first render {pdf.first_ms:.1f} ms CPU",
            flush=True,
        )
    stores = args.stores.split(",")
    worker_counts = [int(w) for w in args.workers.split(",")]
    if "billing-run" in only:
        for store in stores:
            one_worker: float | None = None  # renewals/s, to compare more workers with
            for workers in worker_counts:
                result = measure(store, args.subscriptions, workers, workdir)
                print(
                    f"billing-run {store} workers={workers}: {result.rate:.0f} renewals/s",
                    flush=True,
                )
                line = f"billing-run {store} workers={workers}"
                print(f"{line} memory: {result.peak_mib:.0f} MiB", flush=True)
                _print_cpu(line, result)
                _print_phases(line, result.phases)
                if workers == 1:
                    one_worker = result.rate
                elif one_worker is not None:
                    print(f"{line} speed-up: {result.rate / one_worker:.2f} ×", flush=True)
                if result.copy_rows:
                    floor = args.subscriptions / result.copy_seconds
                    print(
                        f"copy-floor {store}: {result.copy_rows / result.copy_seconds:.0f} rows/s",
                        flush=True,
                    )
                    print(f"copy-floor {store} as renewals: {floor:.0f} renewals/s", flush=True)
                    print(f"{line} share-of-floor: {100 * result.rate / floor:.1f} %", flush=True)
    varied = {"declines": DECLINED_EVERY, "balances": BALANCE_EVERY}  # one account in N
    for name, every in varied.items() if 1 in worker_counts else ():
        if f"billing-run-{name}" not in only:
            continue
        count = min(args.subscriptions, VARIED_SUBSCRIPTIONS)
        for store in stores:
            run = measure(
                store, count, 1, workdir, floor=False,
                declines=name == "declines", balances=name == "balances",
            )  # fmt: skip
            line = f"billing-run {store} workers=1 {name}={100 // every}%"
            print(f"{line}: {run.rate:.0f} renewals/s", flush=True)
            _print_cpu(line, run)
    if "billing-run-latency" in only and "postgresql" in stores and 1 in worker_counts:
        count = min(args.subscriptions, LATENCY_SUBSCRIPTIONS)
        slow = measure("postgresql", count, 1, workdir, latency_ms=LATENCY_MS, floor=False)
        print(
            f"billing-run postgresql workers=1 latency={LATENCY_MS}ms: {slow.rate:.0f} renewals/s",
            flush=True,
        )
        _print_phases(f"billing-run postgresql workers=1 latency={LATENCY_MS}ms", slow.phases)


def _print_cpu(line: str, result: Result) -> None:
    """CPU per renewal: the workers' processes, and the rest of the machine meanwhile (the
    database server's, on PostgreSQL)."""
    print(f"{line} cpu=workers: {result.worker_cpu_us:.0f} µs/renewal", flush=True)
    if result.other_cpu_us is not None:
        print(f"{line} cpu=others: {result.other_cpu_us:.0f} µs/renewal", flush=True)


def _print_phases(line: str, spent: Mapping[str, float]) -> None:
    for phase in PHASES if spent else ():
        print(f"{line} phase={phase}: {spent.get(phase, 0.0):.2f} s", flush=True)


if __name__ == "__main__":
    main()
