"""Where a one-worker billing run spends its time: claiming due subscriptions (with what their
batch reads), deciding their steps, writing the batch (its commit), and collecting (sending its
attempts, then recording their outcomes). On PostgreSQL a batch is written, sent and recorded,
each in a thread of its own, while the next is claimed and decided, so the four sum to more
than the run's wall time then (collecting also overlaps issuing once the provider is known to
be slow).

Measured by wrapping the service's own functions for the length of a run, nothing else changed.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tierline.services import renewal

PHASES = ("claim", "decide", "write", "collect")


@contextmanager
def phases() -> Iterator[dict[str, float]]:
    """Seconds per phase, filled in while the block runs."""
    spent: defaultdict[str, float] = defaultdict(float)
    wrapped = {
        "decide_due_batch": "batch",
        "_settle_due": "decide",
        "send_handed": "collect",
        "collect": "collect",
    }
    originals = {name: getattr(renewal, name) for name in wrapped}
    issue = renewal.DecidedBatch.issue

    def timed(name: str, work: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return work(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return run

    for name, phase in wrapped.items():
        setattr(renewal, name, timed(phase, originals[name]))
    setattr(renewal.DecidedBatch, "issue", timed("write", issue))  # noqa: B010
    try:
        yield spent
    finally:
        for name, original in originals.items():
            setattr(renewal, name, original)
        setattr(renewal.DecidedBatch, "issue", issue)  # noqa: B010
        spent["claim"] = spent.pop("batch", 0.0) - spent["decide"]
