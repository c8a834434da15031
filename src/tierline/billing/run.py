"""The billing run: one pass over everything due, in batches, safe to run in many processes.

It issues, then collects. Each batch of due subscriptions is claimed with `FOR UPDATE SKIP
LOCKED` on PostgreSQL and settled in one transaction, which stores the invoices and the payment
attempts to make; a period is invoiced once (a unique index on the invoice's subscription,
reason and period start backs this up), so a run killed midway and started again issues
nothing twice. The collector then sends the committed attempts, many at once, and records
their outcomes; an attempt found `sent` with no outcome is asked about by its key before
anything else is tried, never sent under a new key.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from tierline.defaults import DEFAULT_BATCH, DEFAULT_CONCURRENCY
from tierline.runtime import Runtime
from tierline.services.collection import STALE_AFTER, Collected, collect
from tierline.services.renewal import run_due


@dataclass(frozen=True)
class RunReport:
    settled: int


def run_billing(
    rt: Runtime,
    *,
    batch: int = DEFAULT_BATCH,
    concurrency: int = DEFAULT_CONCURRENCY,
    stale_after: timedelta = STALE_AFTER,
    progress: Callable[[int], None] | None = None,
) -> RunReport:
    with _few_collections():
        settled = run_due(
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway, batch=batch,
            concurrency=concurrency, stale_after=stale_after, progress=progress,
        )  # fmt: skip
    return RunReport(settled)


def run_collector(
    rt: Runtime,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    stale_after: timedelta = STALE_AFTER,
    progress: Callable[[int], None] | None = None,
) -> Collected:
    """Send every committed attempt not sent yet, and settle those whose sender died."""
    return collect(
        uow=rt.uow(), clock=rt.clock, gateway=rt.gateway, concurrency=concurrency,
        stale_after=stale_after, progress=progress,
    )  # fmt: skip


@contextmanager
def _few_collections() -> Iterator[None]:
    """A batch keeps tens of thousands of short-lived objects alive until it commits; with the
    default thresholds the cyclic collector would rescan the whole heap many times per batch.
    Reference counting frees them; the collector runs rarely, over what the run itself made."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
