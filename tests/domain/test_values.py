"""`replace`: a frozen value with some fields changed, equal to what `dataclasses.replace` makes,
its class's checks kept."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from tests.domain.builders import a_catalog, a_subscription
from tierline.domain.periods import Period
from tierline.domain.plan import Plan
from tierline.domain.values import replace

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
