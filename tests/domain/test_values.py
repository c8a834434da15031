"""`quick_init`: a frozen value made as `dataclasses` makes it, arguments and defaults alike.
`replace`: a frozen value with some fields changed, equal to what `dataclasses.replace` makes,
its class's checks kept."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

import pytest

from tests.domain.builders import a_catalog, a_subscription
from tierline.domain.periods import Period
from tierline.domain.plan import Plan
from tierline.domain.values import quick_init, replace

JAN = datetime(2026, 1, 1, tzinfo=UTC)
FEB = datetime(2026, 2, 1, tzinfo=UTC)


def test_the_copy_has_the_changes_and_the_original_is_unchanged() -> None:
    sub = a_subscription(a_catalog())

    renewed = replace(sub, auto_renew=False, version=sub.version + 1)

    assert renewed == dataclasses.replace(sub, auto_renew=False, version=sub.version + 1)
    assert type(renewed) is type(sub)
    assert (sub.auto_renew, sub.version) != (renewed.auto_renew, renewed.version)


def test_a_name_that_is_not_a_field_is_refused() -> None:
    with pytest.raises(TypeError, match="no field plann"):
        replace(a_subscription(a_catalog()), plann=None)


def test_a_class_that_checks_its_values_still_checks_them() -> None:
    with pytest.raises(ValueError):
        replace(Period(JAN, FEB), end=JAN - (FEB - JAN))


def test_a_plan_is_made_again_through_its_post_init() -> None:
    plan = Plan("basic", "month", 10, {})

    changed = replace(plan, addons={"pack": 1, "empty": 0})

    assert dict(changed.addons) == {"pack": 1}  # an add-on held 0 times is dropped on creation


@dataclass(frozen=True)
class _Remembers:
    value: int
    seen: list[int] = field(default_factory=list, init=False, compare=False)


@dataclass(frozen=True, slots=True)
class _Slotted:
    value: int


def test_a_field_init_does_not_take_starts_afresh_as_dataclasses_does() -> None:
    first = _Remembers(1)
    first.seen.append(1)

    assert replace(first, value=2).seen == []


def test_a_value_kept_in_slots_is_copied_too() -> None:
    assert replace(_Slotted(1), value=2) == _Slotted(2)


def test_what_a_value_cached_is_not_carried_to_the_copy() -> None:
    first = _Cached(2)
    assert first.doubled == 4

    assert replace(first, value=3).doubled == 6


@dataclass(frozen=True)
class _Made:
    name: str
    count: int = 1
    tags: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


@quick_init
@dataclass(frozen=True)
class _QuicklyMade:
    name: str
    count: int = 1
    tags: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


@quick_init
@dataclass(frozen=True, kw_only=True)
class _Named:
    name: str
    count: int = 1


@quick_init
@dataclass(frozen=True)
class _Checked:
    count: int

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("negative")


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("a",), {}),
        (("a", 2), {}),
        (("a",), {"tags": ("x",)}),
        ((), {"name": "a", "notes": ["n"], "count": 3}),
        (("a", 2, ("x", "y"), ["n"]), {}),
    ],
)
def test_a_quickly_made_value_holds_what_dataclasses_would(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    quick, made = _QuicklyMade(*args, **kwargs), _Made(*args, **kwargs)  # type: ignore[arg-type]

    assert quick.__dict__ == made.__dict__
    assert dataclasses.astuple(quick) == dataclasses.astuple(made)


def test_a_quickly_made_value_is_still_frozen_and_compared_by_its_fields() -> None:
    value = _QuicklyMade("a")

    with pytest.raises(dataclasses.FrozenInstanceError):
        value.count = 2  # type: ignore[misc]
    assert value == _QuicklyMade("a", 1)
    assert hash(_Named(name="a")) == hash(_Named(name="a", count=1))
    assert _QuicklyMade("a").notes is not value.notes  # each its own default list


def test_quick_init_refuses_what_dataclasses_refuse() -> None:
    with pytest.raises(TypeError):
        _QuicklyMade()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _QuicklyMade("a", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Named("a")  # type: ignore[misc]
    assert _Named(name="a") == _Named(name="a", count=1)


def test_a_class_that_checks_its_values_keeps_its_own_init() -> None:
    with pytest.raises(ValueError):
        _Checked(-1)


@dataclass(frozen=True)
class _Cached:
    value: int

    @cached_property
    def doubled(self) -> int:
        return self.value * 2
