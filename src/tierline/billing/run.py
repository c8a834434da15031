"""The billing run: one pass over everything due, in batches, safe to run in many processes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tierline.runtime import Runtime
from tierline.services.renewal import run_due


@dataclass(frozen=True)
class RunReport:
    settled: int


def run_billing(rt: Runtime, *, progress: Callable[[int], None] | None = None) -> RunReport:
    settled = run_due(uow=rt.uow(), clock=rt.clock, gateway=rt.gateway)
    if progress is not None:
        progress(settled)
    return RunReport(settled)
