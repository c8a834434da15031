"""Small builders for domain tests: catalogs, plans and subscriptions in plain Python.

No YAML, no database, no clock. Every builder takes keyword overrides, so a test states only
what matters to it:

    catalog = a_catalog(policies=policies(upgrade=a_policy("immediate", "restart")))
    sub = a_subscription(catalog, a_plan("basic", quantity=10), start=utc(2026, 1, 1))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from tierline.domain.catalog import (
    CHANGE_CLASS_ORDER,
    Addon,
    Catalog,
    ChangeClass,
    CreditTo,
    Cycle,
    Edition,
    Policies,
    Policy,
    Price,
    Proration,
    QuantityRange,
    Timing,
    TransitionRule,
)
from tierline.domain.documents import Invoice
from tierline.domain.items import full_period, plan_items
from tierline.domain.periods import CycleLength, Granularity
from tierline.domain.plan import Plan, resolve
from tierline.domain.renewal import first_period
from tierline.domain.subscription import Status, Subscription

PAID_TO_FREE_MESSAGE = "Cancel your subscription and create a new free platform instead."


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def local(tz: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in `tz`, returned as the UTC instant it names."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def money(value: str) -> Decimal:
    return Decimal(value)


def a_cycle(code: str = "month", *, months: int = 0, days: int = 0, discount: str = "0") -> Cycle:
    if not months and not days:
        months = 1
    return Cycle(code, CycleLength(months=months, days=days), Decimal(discount))


def per_unit(amount: str, cycle: str = "month") -> Price:
    return Price(cycle=cycle, per_unit=Decimal(amount))


def flat(amount: str, cycle: str = "month") -> Price:
    return Price(cycle=cycle, flat=Decimal(amount))


def an_edition(code: str = "basic", **overrides: Any) -> Edition:
    fields: dict[str, Any] = {
        "code": code,
        "name": code.capitalize(),
        "rank": 1,
        "quantity": QuantityRange(min=1, max=5000, default=1),
        "prices": (per_unit("2.50"),),
    }
    fields.update(overrides)
    return Edition(**fields)


def a_free_edition(code: str = "free", **overrides: Any) -> Edition:
    fields: dict[str, Any] = {
        "rank": 0,
        "free": True,
        "quantity": QuantityRange(min=10, max=10, default=10),
        "limits": {"external_users": 0},
        "prices": (),
    }
    fields.update(overrides)
    return an_edition(code, **fields)


def an_addon(code: str = "external-users", **overrides: Any) -> Addon:
    fields: dict[str, Any] = {
        "code": code,
        "name": "External user pack",
        "grants": {"external_users": 100},
        "prices": (per_unit("9.00"), per_unit("90.00", "year")),
    }
    fields.update(overrides)
    return Addon(**fields)


def a_policy(
    timing: Timing = "immediate", proration: Proration = "prorate", credit_to: CreditTo = "invoice"
) -> Policy:
    return Policy(timing, proration, credit_to)


def policies(
    *,
    granularity: Granularity = "day",
    transitions: tuple[TransitionRule, ...] = (),
    default: Policy | None = None,
    **by_class: Policy,
) -> Policies:
    """Policies per change class; `default` fills every class not named."""
    unknown = set(by_class) - set(CHANGE_CLASS_ORDER)
    assert not unknown, f"not change classes: {unknown}"
    classes: dict[str, Policy] = dict.fromkeys(CHANGE_CLASS_ORDER, default) if default else {}
    classes.update(by_class)
    return Policies(
        granularity=granularity,
        by_class=cast(dict[ChangeClass, Policy], classes),
        transitions=transitions,
    )


def paid_to_free_refused(*paid: str, free: str = "free") -> TransitionRule:
    return TransitionRule(frozenset(paid), frozenset({free}), False, PAID_TO_FREE_MESSAGE)


def a_catalog(**overrides: Any) -> Catalog:
    """A small catalog in EUR, by seat.

    cycles   month (1 month), year (12 months, 20 % off)
    editions free (rank 0, fixed at 10 seats), basic (rank 1, 2.50/seat/month),
             pro (rank 2, 5.00/seat/month, 14-day trial)
    add-ons  external-users (9.00/month, 90.00/year), workflows (15.00/month)
    policies the catalog defaults; paid → free refused with a message
    """
    fields: dict[str, Any] = {
        "currency": "EUR",
        "quantity_unit": "seat",
        "cycles": (a_cycle("month", months=1), a_cycle("year", months=12, discount="20")),
        "editions": (
            a_free_edition("free"),
            an_edition("basic", rank=1, prices=(per_unit("2.50"),)),
            an_edition("pro", rank=2, prices=(per_unit("5.00"),), trial_days=14),
        ),
        "addons": (
            an_addon("external-users"),
            an_addon(
                "workflows",
                name="Workflow executions +10,000",
                grants={"workflow_executions": 10000},
                prices=(per_unit("15.00"),),
            ),
        ),
        "policies": policies(transitions=(paid_to_free_refused("basic", "pro"),)),
    }
    fields.update(overrides)
    return Catalog(**fields)


def a_plan(
    edition: str = "basic",
    cycle: str = "month",
    quantity: int = 10,
    addons: Mapping[str, int] | None = None,
) -> Plan:
    return Plan(edition, cycle, quantity, dict(addons or {}))


def a_subscription(
    catalog: Catalog,
    plan: Plan | None = None,
    *,
    start: datetime | None = None,
    tz: str = "UTC",
    status: Status = "active",
    auto_renew: bool = True,
    invoice: str | None = "INV-2026-000001",
    **overrides: Any,
) -> Subscription:
    """A subscription that started at `start` and paid its first full period at list price."""
    plan = plan or a_plan()
    start = start or utc(2026, 1, 1)
    period = first_period(plan, catalog, start, tz)
    items = plan_items(catalog, resolve(catalog, plan))
    _, charges = full_period(items, period, catalog, invoice)
    sub = Subscription(
        id="sub_1",
        account_id="acc_1",
        plan=plan,
        status=status,
        auto_renew=auto_renew,
        anchor=start,
        period=period,
        started_at=start,
        charges=charges if status != "trialing" else (),
        trial_end=period.end if status == "trialing" else None,
    )
    return replace(sub, **overrides)


def an_unpaid_invoice(at: datetime | None = None, **overrides: object) -> Invoice:
    """A renewal invoice of 30.00, open, nothing paid on it yet."""
    at = at or utc(2026, 2, 1)
    values: dict[str, object] = dict(
        id="inv_2", account_id="acc_1", number="INV-2026-000002", subscription_id="sub_1",
        reason="renewal", status="open", issued_at=at, due_at=at, lines=(),
        subtotal=Decimal("30.00"), credits_applied=Decimal(0), balance_applied=Decimal(0),
        total=Decimal("30.00"), amount_paid=Decimal(0),
    )  # fmt: skip
    values.update(overrides)
    return Invoice(**values)  # type: ignore[arg-type]
