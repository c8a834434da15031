"""A frozen value with some fields changed: `replace`, as `dataclasses.replace`, made cheap.

The billing run changes a subscription, its charges and its outcome several times per renewal;
`dataclasses.replace` runs the whole `__init__` again each time (a frozen class sets each field
through `object.__setattr__`). A value whose class checks nothing on creation (no
`__post_init__`, every field taken by `__init__`, no slots) is copied field by field instead;
any other goes through `dataclasses.replace`, its checks included. A name that is not a field
is refused either way.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

V = TypeVar("V")


def replace(value: V, /, **changes: Any) -> V:
    kind = type(value)
    names = _PLAIN[kind] if kind in _PLAIN else _PLAIN.setdefault(kind, _plain_fields(kind))
    if names is None:
        return dataclasses.replace(value, **changes)  # type: ignore[type-var]
    if not changes.keys() <= names:
        unknown = ", ".join(sorted(changes.keys() - names))
        raise TypeError(f"{kind.__name__} has no field {unknown}")
    fields = value.__dict__
    copy: V = object.__new__(kind)
    state = copy.__dict__
    for name in names:
        state[name] = fields[name]
    state.update(changes)
    return copy


_PLAIN: dict[type, frozenset[str] | None] = {}


def _plain_fields(kind: type) -> frozenset[str] | None:
    """The fields of a dataclass that checks nothing on creation; None for any other class."""
    if not dataclasses.is_dataclass(kind) or hasattr(kind, "__post_init__"):
        return None
    if any(base.__dict__.get("__slots__") for base in kind.__mro__):
        return None  # fields kept in slots
    declared = kind.__dataclass_fields__.values()
    fields = dataclasses.fields(kind)
    if len(fields) != len(declared) or not all(f.init for f in fields):
        return None  # an InitVar, a ClassVar or a field `__init__` does not take
    return frozenset(f.name for f in fields)
