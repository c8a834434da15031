"""Where a one-worker billing run spends its time: claiming due subscriptions (with what their
batch reads), deciding their steps, writing the batch (its commit), and collecting. Collecting
runs in a thread of its own beside the issuing on PostgreSQL, or once the provider is known to
be slow, so the four sum to more than the run's wall time then.

Measured by wrapping the service's own functions for the length of a run, nothing else changed.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tierline.services import renewal
from tierline.store.uow import UnitOfWork

PHASES = ("claim", "decide", "write", "collect")


@contextmanager
def phases() -> Iterator[dict[str, float]]:
    """Seconds per phase, filled in while the block runs."""
    spent: defaultdict[str, float] = defaultdict(float)
    issuing = threading.local()
    wrapped = ("issue_due_batch", "_settle_due", "collect")
    originals = {name: getattr(renewal, name) for name in wrapped}
    commit = UnitOfWork.commit

    def timed(name: str, work: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return work(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return run

    def whole_batch(*args: Any, **kwargs: Any) -> Any:
        issuing.on = True
        started = time.perf_counter()
        try:
            return originals["issue_due_batch"](*args, **kwargs)
        finally:
            issuing.on = False
            spent["batch"] += time.perf_counter() - started

    def batch_commit(self: UnitOfWork) -> None:
        if getattr(issuing, "on", False):
            timed("write", commit)(self)
        else:
            commit(self)

    setattr(renewal, "issue_due_batch", whole_batch)  # noqa: B010
    setattr(renewal, "_settle_due", timed("decide", originals["_settle_due"]))  # noqa: B010
    setattr(renewal, "collect", timed("collect", originals["collect"]))  # noqa: B010
    setattr(UnitOfWork, "commit", batch_commit)  # noqa: B010
    try:
        yield spent
    finally:
        for name, original in originals.items():
            setattr(renewal, name, original)
        setattr(UnitOfWork, "commit", commit)  # noqa: B010
        spent["claim"] = spent.pop("batch", 0.0) - spent["decide"] - spent["write"]
