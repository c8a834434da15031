"""Subscribing, auto-renewal, and reading a subscription."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from tierline.clock import Clock
from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.domain.items import full_period, plan_items
from tierline.domain.lines import english_count
from tierline.domain.periods import Period
from tierline.domain.plan import Plan, resolve
from tierline.domain.renewal import first_period, next_period
from tierline.domain.subscription import Subscription
from tierline.errors import Conflict, Invalid, NotFound, SalesManaged
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.services.invoicing import collect, issue_invoice
from tierline.services.messages import cycle_length, notify
from tierline.services.payments import paid_or_refuse
from tierline.store.uow import UnitOfWork


@dataclass(frozen=True)
class Subscribe:
    account_id: str
    edition: str
    cycle: str
    quantity: int | None = None
    addons: Mapping[str, int] = field(default_factory=dict)
    trial: bool = True  # take the edition's trial when it has one
    auto_renew: bool = True


def refuse_if_sales_managed(account: Account) -> None:
    if account.sales_managed:
        raise SalesManaged(
            "Purchases for this organisation are made offline: "
            "please contact your sales consultant."
        )


def live_subscription(uow: UnitOfWork, account_id: str) -> Subscription:
    sub = uow.subscriptions.current_for(account_id)
    if sub is None or not sub.is_live:
        raise NotFound("The account has no active subscription.", code="no_subscription")
    return sub


def subscribe(cmd: Subscribe, *, uow: UnitOfWork, clock: Clock, gateway: Gateway) -> Subscription:
    now = clock.now()
    with uow:
        catalog = uow.catalog
        account = uow.accounts.get(cmd.account_id)
        edition = catalog.edition(cmd.edition)
        if edition is None:
            raise Invalid(f"No edition '{cmd.edition}'.", code="unknown_edition", param="edition")
        if not edition.free:
            refuse_if_sales_managed(account)
        current = uow.subscriptions.current_for(account.id)
        if current is not None and current.is_live:
            raise Conflict(
                f"The account already subscribes to {current.plan.edition}; change plan instead.",
                code="already_subscribed",
                details={"edition": _edition_name(catalog, current.plan.edition)},
            )
        quantity = edition.quantity.default if cmd.quantity is None else cmd.quantity
        plan = Plan(cmd.edition, cmd.cycle, quantity, dict(cmd.addons))
        trialing = cmd.trial and edition.trial_days > 0
        resolved = resolve(catalog, plan, trialing=trialing)
        sub_id = new_id("sub")
        if trialing:
            trial_end = now + timedelta(days=edition.trial_days)
            sub = Subscription(
                id=sub_id, account_id=account.id, plan=plan, status="trialing",
                auto_renew=cmd.auto_renew, anchor=now, period=Period(now, trial_end),
                started_at=now, trial_end=trial_end,
            )  # fmt: skip
            uow.subscriptions.add(sub)
            notify(
                uow, account.id, now, "subscription.trial_started",
                f"Your {edition.name} trial has started; it ends on {trial_end:%Y-%m-%d}.",
                subscription=sub_id, edition=edition.code, edition_name=edition.name,
                trial_end=trial_end.isoformat(),
            )  # fmt: skip
            uow.commit()
            return sub
        period = first_period(plan, catalog, now, account.timezone)
        lines, charges = full_period(plan_items(catalog, resolved), period, catalog)
        lines = tuple(line for line in lines if line.amount)
        if lines:
            invoice = issue_invoice(
                uow, gateway, account, lines, reason="subscription_create", now=now,
                subscription_id=sub_id, period_start=period.start,
            )  # fmt: skip
            charges = tuple(replace(c, invoice=invoice.number) for c in charges)
            if catalog.collection.mode == "charge_automatically":
                paid_or_refuse(uow, collect(uow, gateway, account, invoice, now), now)
        sub = Subscription(
            id=sub_id, account_id=account.id, plan=plan, status="active",
            auto_renew=cmd.auto_renew, anchor=now, period=period, started_at=now,
            charges=charges,
        )  # fmt: skip
        uow.subscriptions.add(sub)
        notify(
            uow, account.id, now, "subscription.created",
            f"Your {edition.name} license is active: "
            f"{english_count(catalog.quantity_unit_forms)(quantity, catalog.quantity_unit)}, "
            f"billed every {plan.cycle}.",
            subscription=sub_id, edition=edition.code, edition_name=edition.name,
            quantity=quantity, unit=catalog.quantity_unit, cycle=plan.cycle,
            **cycle_length(catalog, plan.cycle),
        )  # fmt: skip
        uow.commit()
    return sub


def _edition_name(catalog: Catalog, code: str) -> str:
    edition = catalog.edition(code)
    return edition.name if edition else code


@dataclass(frozen=True)
class SetAutoRenew:
    account_id: str
    enabled: bool


def set_auto_renew(cmd: SetAutoRenew, *, uow: UnitOfWork, clock: Clock) -> Subscription:
    """Turning auto-renewal off keeps the service until the period ends, then it expires."""
    now = clock.now()
    with uow:
        sub = live_subscription(uow, cmd.account_id)
        if sub.auto_renew == cmd.enabled:
            return sub
        sub = uow.subscriptions.save(replace(sub, auto_renew=cmd.enabled))
        if cmd.enabled:
            text = "Automatic renewal is on again."
        else:
            ends = sub.period.end
            if sub.next_charges is not None:  # the next period is invoiced already: it is served
                tz = uow.accounts.get(sub.account_id).timezone
                ends = next_period(sub, uow.catalog, tz).end
            text = f"Automatic renewal is off: the service ends on {ends:%Y-%m-%d}."
        notify(
            uow, sub.account_id, now, "subscription.auto_renew_changed", text,
            subscription=sub.id, auto_renew=cmd.enabled,
            **({} if cmd.enabled else {"ends_at": ends.isoformat()}),
        )  # fmt: skip
        uow.commit()
    return sub


def get_subscription(account_id: str, *, uow: UnitOfWork) -> Subscription:
    with uow.reading():
        sub = uow.subscriptions.current_for(account_id)
        if sub is None:
            raise NotFound("The account has never subscribed.", code="no_subscription")
        return sub


def next_payment_at(sub: Subscription, catalog: Catalog) -> datetime | None:
    """When the account next pays to keep the service: the renewal, if it will happen."""
    if not sub.is_live or not sub.auto_renew:
        return None
    edition = catalog.edition(sub.plan.edition)
    if edition is not None and edition.free:  # a free edition renews without a payment
        return None
    if sub.status == "trialing":
        return sub.period.end
    return sub.period.end - timedelta(days=catalog.renewal.lead_days)
