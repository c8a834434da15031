"""The work a billing run does a renewal, counted rather than timed: on a machine whose speed
swings from one minute to the next, a change of a few per cent shows here and not in seconds.

    python -m benchmarks.instructions [--stores sqlite,postgresql] [--declines | --balances]

The bench's own one-worker run (`billing_run._run`: issue, then collect through the sandbox
with its ledger) is run under `valgrind --tool=cachegrind` over a small and a larger set of due
subscriptions; the difference in instructions, over the difference in renewals, is what one
renewal costs the worker's process, start-up and imports left out. On SQLite that is all the
work, the database's included; on PostgreSQL the server's is not in it, so the write-ahead log
it writes a renewal is given too (the server's whole log: run it with the server otherwise
idle). Needs valgrind (Debian's package); not part of `make bench`.

    instructions <store> worker: N instructions/renewal
    wal postgresql run: N bytes/renewal
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import Engine, text

from benchmarks.fixtures import database, seed_due_subscriptions
from tierline.store.uow import create_engine

SMALL, LARGE = 300, 1300  # due subscriptions: enough to see, few enough for valgrind


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions")
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--declines", action="store_true", help="one card in twenty declined")
    parser.add_argument("--balances", action="store_true", help="one account in five prepaid")
    parser.add_argument("--run", nargs=2, metavar=("URL", "SCHEMA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        _run_once(*args.run)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt install valgrind)")
    workdir = Path(tempfile.mkdtemp(prefix="tierline-instructions-"))
    try:
        for store in args.stores.split(","):
            counted = {
                n: _count(store, n, workdir, declines=args.declines, balances=args.balances)
                for n in (SMALL, LARGE)
            }
            (small, small_wal), (large, large_wal) = counted[SMALL], counted[LARGE]
            print(f"instructions {store} worker: {(large - small) // (LARGE - SMALL)} "
                  "instructions/renewal", flush=True)  # fmt: skip
            if small_wal is not None and large_wal is not None:
                wal = (large_wal - small_wal) // (LARGE - SMALL)
                print(f"wal {store} run: {wal} bytes/renewal", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _count(
    store: str, count: int, workdir: Path, *, declines: bool, balances: bool
) -> tuple[int, int | None]:
    """Instructions of a whole run over `count` due subscriptions, and on PostgreSQL the bytes
    of write-ahead log written meanwhile."""
    with database(store, workdir) as db:
        seed_due_subscriptions(db.engine, count, declines=declines, balances=balances)
        before = _wal(db.engine)
        done = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
             sys.executable, "-m", "benchmarks.instructions", "--run", db.url, db.schema or ""],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        after = _wal(db.engine)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no count:\n{done.stderr[-2000:]}")
    wal = None if before is None or after is None else after - before
    return int(found.group(1).replace(",", "")), wal


def _wal(engine: Engine) -> int | None:
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_current_wal_lsn() - '0/0'")).scalar_one())


def _run_once(url: str, schema: str) -> None:
    from benchmarks.billing_run import _run

    engine = create_engine(url, schema=schema or None)
    try:
        _run(engine, url, schema or None, 0)
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
