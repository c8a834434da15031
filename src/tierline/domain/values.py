"""Frozen values made and changed cheaply: `quick_init` and `replace`.

A frozen dataclass's `__init__` sets each field through `object.__setattr__`, a call per field:
for the values a billing run makes by the thousand (invoices, attempts, subscriptions, their
lines and charges) that costs more than the rest of making them. `quick_init` gives such a class
an `__init__` that writes its fields into the instance's `__dict__`, taking the same arguments
with the same defaults. `replace`, as `dataclasses.replace`, copies a value's `__dict__`, then
the changes. Both only for a class that checks nothing on creation (no `__post_init__`, every
field taken by `__init__`, no slots, nothing cached on the instance): any other keeps what
`dataclasses` made, its checks included. A name that is not a field is refused either way.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import Any, TypeVar

V = TypeVar("V")
K = TypeVar("K", bound=type)


def quick_init(kind: K) -> K:
    """Give a frozen dataclass that checks nothing on creation an `__init__` that writes its
    fields into `__dict__` directly; leave any other class as it is."""
    if _plain_fields(kind) is None:
        return kind
    fields = dataclasses.fields(kind)
    names: dict[str, Any] = {"MISSING": dataclasses.MISSING}
    positional: list[str] = []
    keywords: list[str] = []
    body: list[str] = []
    for f in fields:
        param = f.name
        if f.default is not dataclasses.MISSING:
            names[f"_default_{f.name}"] = f.default
            param = f"{f.name}=_default_{f.name}"
        elif f.default_factory is not dataclasses.MISSING:
            names[f"_factory_{f.name}"] = f.default_factory
            param = f"{f.name}=MISSING"
            body.append(f"    if {f.name} is MISSING: {f.name} = _factory_{f.name}()")
        (keywords if f.kw_only else positional).append(param)
    params = ", ".join(["self", *positional, *(["*", *keywords] if keywords else [])])
    body.append("    state = self.__dict__")
    body.extend(f"    state[{f.name!r}] = {f.name}" for f in fields)
    exec(f"def __init__({params}):\n" + "\n".join(body), names)
    init = names["__init__"]
    init.__qualname__ = f"{kind.__qualname__}.__init__"
    setattr(kind, "__init__", init)  # noqa: B010
    return kind


def replace(value: V, /, **changes: Any) -> V:
    kind = type(value)
    names = _PLAIN[kind] if kind in _PLAIN else _PLAIN.setdefault(kind, _plain_fields(kind))
    if names is None:
        return dataclasses.replace(value, **changes)  # type: ignore[type-var]
    if not changes.keys() <= names:
        unknown = ", ".join(sorted(changes.keys() - names))
        raise TypeError(f"{kind.__name__} has no field {unknown}")
    copy: V = object.__new__(kind)
    state = copy.__dict__
    state.update(value.__dict__)  # a plain dataclass's instance holds its fields there alone
    state.update(changes)
    return copy


_PLAIN: dict[type, frozenset[str] | None] = {}


def _plain_fields(kind: type) -> frozenset[str] | None:
    """The fields of a dataclass that checks nothing on creation; None for any other class."""
    if not dataclasses.is_dataclass(kind) or hasattr(kind, "__post_init__"):
        return None
    if any(base.__dict__.get("__slots__") for base in kind.__mro__):
        return None  # fields kept in slots
    if any(isinstance(a, cached_property) for b in kind.__mro__ for a in vars(b).values()):
        return None  # an instance keeps more than its fields
    declared = kind.__dataclass_fields__.values()
    fields = dataclasses.fields(kind)
    if len(fields) != len(declared) or not all(f.init for f in fields):
        return None  # an InitVar, a ClassVar or a field `__init__` does not take
    return frozenset(f.name for f in fields)
