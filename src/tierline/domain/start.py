"""Starting a subscription: a trial, a free edition, or a first period to pay."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from tierline.domain.account import Account, refuse_if_sales_managed
from tierline.domain.catalog import Catalog
from tierline.domain.errors import Conflict, Invalid
from tierline.domain.events import (
    Event,
    PacksSubscribed,
    SubscriptionCreated,
    TrialStarted,
    cycle_length,
)
from tierline.domain.items import full_period, plan_items
from tierline.domain.lines import Line
from tierline.domain.periods import Period
from tierline.domain.plan import NO_EDITION, Plan, paid_host, resolve
from tierline.domain.renewal import first_period
from tierline.domain.subscription import Subscription


@dataclass(frozen=True)
class Start:
    """A new subscription as decided: its first period and what it costs (nothing for a trial
    or a free edition), and the event that announces it once it exists."""

    subscription: Subscription
    lines: tuple[Line, ...]
    event: Event


def start_subscription(
    catalog: Catalog,
    account: Account,
    current: Subscription | None,
    *,
    subscription_id: str,
    edition: str,
    cycle: str,
    quantity: int | None,
    addons: Mapping[str, int],
    trial: bool,
    auto_renew: bool,
    now: datetime,
) -> Start:
    """`current` is the account's base subscription (the latest with an edition), if any: a
    live one refuses a second edition, and an add-on-only subscription (no `edition`) needs it
    live and paid."""
    if edition == NO_EDITION:
        return _start_addons_only(
            catalog, account, current, subscription_id=subscription_id, cycle=cycle,
            quantity=quantity, addons=addons, auto_renew=auto_renew, now=now,
        )  # fmt: skip
    offered = catalog.edition(edition)
    if offered is None:
        raise Invalid(f"No edition '{edition}'.", code="unknown_edition", param="edition")
    if not offered.free:
        refuse_if_sales_managed(account)
    if current is not None and current.is_live:
        subscribed = catalog.edition(current.plan.edition)
        raise Conflict(
            f"The account already subscribes to {current.plan.edition}; change plan instead.",
            code="already_subscribed",
            details={"edition": subscribed.name if subscribed else current.plan.edition},
        )
    count = offered.quantity.default if quantity is None else quantity
    plan = Plan(edition, cycle, count, dict(addons))
    trialing = trial and offered.trial_days > 0
    resolved = resolve(catalog, plan, trialing=trialing)
    if trialing:
        trial_end = now + timedelta(days=offered.trial_days)
        sub = Subscription(
            id=subscription_id, account_id=account.id, plan=plan, status="trialing",
            auto_renew=auto_renew, anchor=now, period=Period(now, trial_end), started_at=now,
            trial_end=trial_end,
        )  # fmt: skip
        return Start(sub, (), TrialStarted(sub.id, offered.code, offered.name, trial_end))
    period = first_period(plan, catalog, now, account.timezone)
    lines, charges = full_period(plan_items(catalog, resolved), period, catalog)
    sub = Subscription(
        id=subscription_id, account_id=account.id, plan=plan, status="active",
        auto_renew=auto_renew, anchor=now, period=period, started_at=now, charges=charges,
    )  # fmt: skip
    created = SubscriptionCreated(
        sub.id, offered.code, offered.name, count, catalog.quantity_unit, cycle,
        unit_forms=catalog.quantity_unit_forms, **cycle_length(catalog, cycle),
    )  # fmt: skip
    return Start(sub, tuple(line for line in lines if line.amount), created)


def _start_addons_only(
    catalog: Catalog,
    account: Account,
    base: Subscription | None,
    *,
    subscription_id: str,
    cycle: str,
    quantity: int | None,
    addons: Mapping[str, int],
    auto_renew: bool,
    now: datetime,
) -> Start:
    """Packs on their own cycle and anchor, beside the base subscription's paid edition."""
    refuse_if_sales_managed(account)
    host = paid_host(
        catalog, None if base is None else base.plan, live=base is not None and base.is_live,
        trialing=base is not None and base.status == "trialing",
    )  # fmt: skip
    plan = Plan(NO_EDITION, cycle, quantity or 0, dict(addons))
    resolved = resolve(catalog, plan, host=host)
    period = first_period(plan, catalog, now, account.timezone)
    lines, charges = full_period(plan_items(catalog, resolved), period, catalog)
    sub = Subscription(
        id=subscription_id, account_id=account.id, plan=plan, status="active",
        auto_renew=auto_renew, anchor=now, period=period, started_at=now, charges=charges,
    )  # fmt: skip
    packs = {a.name: count for a, count in resolved.addons}
    created = PacksSubscribed(sub.id, packs, cycle, **cycle_length(catalog, cycle))
    return Start(sub, tuple(line for line in lines if line.amount), created)
