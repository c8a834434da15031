"""Identifiers for new records: a prefix, then a part that grows with time, then randomness.

Ids made later sort after ids made earlier (within a process, strictly), so records that share
an instant keep the order in which they were written. The random part is drawn from the system's
source a few thousand ids at a time: one system call per id costs more than the rest of the id.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

_RANDOM_DIGITS = 6  # hexadecimal: 3 bytes
_DRAWN_AT_ONCE = 4096

_lock = threading.Lock()
_last = 0
_parts: Iterator[str] = iter(())  # random parts of ids, drawn at once


def new_id(prefix: str) -> str:
    global _last, _parts
    with _lock:
        stamp = time.time_ns()
        if stamp <= _last:
            stamp = _last + 1
        _last = stamp
        part = next(_parts, None)
        if part is None:
            _parts = _drawn()
            part = next(_parts)
    return f"{prefix}_{stamp:016x}{part}"


def _drawn() -> Iterator[str]:
    digits = os.urandom(_RANDOM_DIGITS // 2 * _DRAWN_AT_ONCE).hex()
    return iter([digits[i : i + _RANDOM_DIGITS] for i in range(0, len(digits), _RANDOM_DIGITS)])


def _draw_anew() -> None:
    """A forked child must not reuse its parent's random bytes."""
    global _parts
    _parts = iter(())


os.register_at_fork(after_in_child=_draw_anew)
