"""The billing run: one pass over everything due, in batches, safe to run in many processes.

Each batch of due subscriptions is claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL and
settled in one transaction; a period is invoiced once (a unique index on the invoice's
subscription, reason and period start backs this up), so a run killed midway and started again
issues nothing twice.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tierline.runtime import Runtime
from tierline.services.renewal import run_due


@dataclass(frozen=True)
class RunReport:
    settled: int


def run_billing(
    rt: Runtime, *, batch: int = 500, progress: Callable[[int], None] | None = None
) -> RunReport:
    with _few_collections():
        settled = run_due(
            uow=rt.uow(), clock=rt.clock, gateway=rt.gateway, batch=batch, progress=progress
        )
    return RunReport(settled)


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
