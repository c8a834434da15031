"""Identifiers for new records: a prefix, then a part that grows with time, then randomness.

Ids made later sort after ids made earlier (within a process, strictly), so records that share
an instant keep the order in which they were written.
"""

from __future__ import annotations

import os
import threading
import time

_lock = threading.Lock()
_last = 0


def new_id(prefix: str) -> str:
    global _last
    with _lock:
        stamp = max(time.time_ns(), _last + 1)
        _last = stamp
    return f"{prefix}_{stamp:016x}{os.urandom(3).hex()}"
