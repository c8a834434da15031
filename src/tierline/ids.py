"""Identifiers for new records: a prefix, then a part that grows with time, then randomness.

Ids made later sort after ids made earlier (within a process, strictly), so records that share
an instant keep the order in which they were written. The random part is drawn from the system's
source a few thousand ids at a time: one system call per id costs more than the rest of the id.
"""

from __future__ import annotations

import os
import threading
import time

_RANDOM_DIGITS = 6  # hexadecimal: 3 bytes
_DRAWN_AT_ONCE = 4096

_lock = threading.Lock()
_last = 0
_pool = ""  # random hexadecimal digits, drawn at once
_taken = 0  # digits of the pool used


def new_id(prefix: str) -> str:
    global _last, _pool, _taken
    with _lock:
        stamp = max(time.time_ns(), _last + 1)
        _last = stamp
        if _taken + _RANDOM_DIGITS > len(_pool):
            _pool, _taken = os.urandom(_RANDOM_DIGITS // 2 * _DRAWN_AT_ONCE).hex(), 0
        part = _pool[_taken : _taken + _RANDOM_DIGITS]
        _taken += _RANDOM_DIGITS
    return f"{prefix}_{stamp:016x}{part}"


def _draw_anew() -> None:
    """A forked child must not reuse its parent's random bytes."""
    global _pool, _taken
    _pool, _taken = "", 0


os.register_at_fork(after_in_child=_draw_anew)
