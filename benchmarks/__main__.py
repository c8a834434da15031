"""`make bench`: one figure a line, as `<benchmark> <store> <setting>: <number> <unit>`.

    python -m benchmarks [--subscriptions N] [--stores sqlite,postgresql] [--workers 1,2]
                         [--rounds 3]
                         [--only billing-run,billing-run-declines,billing-run-balances,
                                 billing-run-latency,entitlement-check,pdf-render]

PostgreSQL runs against TIERLINE_BENCH_POSTGRES_URL (default: the local server) in a schema of
its own, dropped afterwards, with the sandbox gateway's `sandbox_charges` table in it.

The billing runs of a store (billing-run) go round `--rounds` times, each number of workers in
turn: each round prints its own lines (`round=K`), then the median of the rounds is printed
without one; a ratio (share of the floor, speed-up) is the median of the rounds' own ratios, the
runs of a round having met the same spell of this shared machine.

A one-worker billing run also prints the seconds it spent per phase (claim, decide, write,
collect; see benchmarks/phases.py), how fast the database alone takes the rows it wrote
(`copy-floor`: COPY on PostgreSQL, one prepared insert a table on SQLite; see
benchmarks/copy_floor.py) and its rate as a share of that floor (`share-of-floor`); a run with
more workers, its rate over the one-worker run's (`speed-up`).
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
from statistics import median

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
    parser.add_argument("--rounds", type=int, default=3)
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
            _billing_runs(store, args.subscriptions, worker_counts, args.rounds, workdir)
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


def _billing_runs(
    store: str, count: int, worker_counts: list[int], rounds: int, workdir: Path
) -> None:
    """The billing runs of one store, each number of workers in turn, `rounds` times over: a
    one-worker run and the two-worker run after it meet the same spell of the machine, so their
    ratio holds when the machine's speed swings from one minute to the next. Each round prints
    its own figures (`round=K`); the lines without a round are the medians of the rounds, and
    a ratio's median is taken over the ratios of the rounds, each measured side by side."""
    runs: dict[int, list[Result]] = {workers: [] for workers in worker_counts}
    shares: list[float] = []  # of the floor, one worker, round by round
    speed_ups: dict[int, list[float]] = {workers: [] for workers in worker_counts}
    for round_ in range(1, rounds + 1):
        for workers in worker_counts:
            result = measure(store, count, workers, workdir)
            runs[workers].append(result)
            suffix = _round(rounds, round_)
            label = f"billing-run {store} workers={workers}{suffix}"
            print(f"{label}: {result.rate:.0f} renewals/s", flush=True)
            one = runs[1][-1].rate if 1 in runs and len(runs[1]) == round_ else None
            if workers != 1 and one is not None:
                speed_ups[workers].append(result.rate / one)
                if rounds > 1:
                    print(f"{label} speed-up: {speed_ups[workers][-1]:.2f} ×", flush=True)
            if result.copy_rows:
                floor = count / result.copy_seconds
                shares.append(100 * result.rate / floor)
                print(
                    f"copy-floor {store}{suffix}:"
                    f" {result.copy_rows / result.copy_seconds:.0f} rows/s",
                    flush=True,
                )
                print(
                    f"copy-floor {store}{suffix} as renewals: {floor:.0f} renewals/s",
                    flush=True,
                )
                if rounds > 1:
                    print(f"{label} share-of-floor: {shares[-1]:.1f} %", flush=True)
            if rounds > 1:
                _print_cpu(label, result)
    for workers, results in runs.items():
        line = f"billing-run {store} workers={workers}"
        middle = _median_run(results)
        if rounds > 1:
            print(f"{line}: {middle.rate:.0f} renewals/s (median of {rounds})", flush=True)
        print(f"{line} memory: {max(r.peak_mib for r in results):.0f} MiB", flush=True)
        _print_cpu(line, middle)
        _print_phases(line, middle.phases)
        if speed_ups[workers]:
            print(f"{line} speed-up: {median(speed_ups[workers]):.2f} ×", flush=True)
        if workers == 1 and shares:
            floors = [count / r.copy_seconds for r in results if r.copy_rows]
            if rounds > 1:
                print(
                    f"copy-floor {store} as renewals: {median(floors):.0f} renewals/s", flush=True
                )
            print(f"{line} share-of-floor: {median(shares):.1f} %", flush=True)


def _median_run(results: list[Result]) -> Result:
    """The run whose rate is the median (the lower middle one of an even number)."""
    ordered = sorted(results, key=lambda r: r.rate)
    return ordered[(len(ordered) - 1) // 2]


def _round(rounds: int, round_: int) -> str:
    return f" round={round_}" if rounds > 1 else ""


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
