"""Subscribing, auto-renewal, and reading a subscription."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from tierline.clock import Clock
from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.domain.documents import Invoice, Purchase
from tierline.domain.items import full_period, plan_items
from tierline.domain.lines import Line, english_count
from tierline.domain.periods import Period
from tierline.domain.plan import Plan, resolve
from tierline.domain.renewal import first_period, next_period
from tierline.domain.subscription import Subscription
from tierline.errors import Conflict, Invalid, NotFound, SalesManaged
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.services.invoicing import Credit, issue_invoice
from tierline.services.messages import cycle_length, notify
from tierline.services.payments import await_payment, collect_invoice, require_payment_method
from tierline.store.payments import refuse_while_awaiting
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
    """Start a subscription: a trial, a free edition, or a purchase that the card pays now (the
    subscription exists once the payment succeeded)."""
    now = clock.now()
    with uow:
        account = uow.accounts.get(cmd.account_id)
        refuse_while_awaiting(uow.purchases, account.id)
        sub_id = new_id("sub")
        start = _start(uow, account, cmd, sub_id, now)
        paid_now = start.lines and uow.catalog.collection.mode == "charge_automatically"
        if not paid_now:
            sub = _carry_out(uow, account, cmd, start, now)
            uow.commit()
            return sub
        require_payment_method(uow, account.id)
        invoice = _invoice(uow, account, start, now)
        if invoice.status == "paid":  # the balance paid it all
            sub = _carry_out(uow, account, cmd, start, now, invoice=invoice)
            uow.commit()
            return sub
        command: dict[str, object] = {
            "account_id": cmd.account_id, "edition": cmd.edition, "cycle": cmd.cycle,
            "quantity": cmd.quantity, "addons": dict(cmd.addons), "trial": cmd.trial,
            "auto_renew": cmd.auto_renew,
        }  # fmt: skip
        await_payment(
            uow, invoice, now, kind="subscribe", subscription_id=sub_id, command=command,
            subscription_version=None,
        )  # fmt: skip
        uow.commit()
    collect_invoice(uow, clock, gateway, invoice.number)
    with uow.reading():
        return uow.subscriptions.get(sub_id)


@dataclass(frozen=True)
class _Start:
    """A new subscription as decided: its first period and what it costs, or its trial."""

    sub: Subscription
    lines: tuple[Line, ...]


def _start(uow: UnitOfWork, account: Account, cmd: Subscribe, sub_id: str, now: datetime) -> _Start:
    catalog = uow.catalog
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
    if trialing:
        trial_end = now + timedelta(days=edition.trial_days)
        sub = Subscription(
            id=sub_id, account_id=account.id, plan=plan, status="trialing",
            auto_renew=cmd.auto_renew, anchor=now, period=Period(now, trial_end),
            started_at=now, trial_end=trial_end,
        )  # fmt: skip
        return _Start(sub, ())
    period = first_period(plan, catalog, now, account.timezone)
    lines, charges = full_period(plan_items(catalog, resolved), period, catalog)
    sub = Subscription(
        id=sub_id, account_id=account.id, plan=plan, status="active",
        auto_renew=cmd.auto_renew, anchor=now, period=period, started_at=now, charges=charges,
    )  # fmt: skip
    return _Start(sub, tuple(line for line in lines if line.amount))


def _invoice(uow: UnitOfWork, account: Account, start: _Start, now: datetime) -> Invoice:
    return issue_invoice(
        uow, account, start.lines, reason="subscription_create", now=now,
        subscription_id=start.sub.id, period_start=start.sub.period.start,
    )  # fmt: skip


def carry_out_subscribe(
    uow: UnitOfWork, purchase: Purchase, invoice: Invoice, now: datetime
) -> Credit | None:
    """Start a subscription whose first invoice was just paid, as decided when it was bought."""
    cmd = Subscribe(**purchase.command)  # type: ignore[arg-type]
    account = uow.accounts.get(purchase.account_id)
    start = _start(uow, account, cmd, purchase.subscription_id, purchase.decided_at)
    _carry_out(uow, account, cmd, start, now, invoice=invoice)
    return None


def _carry_out(
    uow: UnitOfWork,
    account: Account,
    cmd: Subscribe,
    start: _Start,
    now: datetime,
    *,
    invoice: Invoice | None = None,
) -> Subscription:
    catalog = uow.catalog
    sub = start.sub
    edition = catalog.edition(sub.plan.edition)
    assert edition is not None
    if sub.status == "trialing":
        uow.subscriptions.add(sub)
        notify(
            uow, account.id, now, "subscription.trial_started",
            f"Your {edition.name} trial has started; it ends on {sub.period.end:%Y-%m-%d}.",
            subscription=sub.id, edition=edition.code, edition_name=edition.name,
            trial_end=sub.period.end.isoformat(),
        )  # fmt: skip
        return sub
    if start.lines:
        if invoice is None:
            invoice = _invoice(uow, account, start, now)
        sub = replace(sub, charges=tuple(replace(c, invoice=invoice.number) for c in sub.charges))
    uow.subscriptions.add(sub)
    quantity = sub.plan.quantity
    notify(
        uow, account.id, now, "subscription.created",
        f"Your {edition.name} license is active: "
        f"{english_count(catalog.quantity_unit_forms)(quantity, catalog.quantity_unit)}, "
        f"billed every {sub.plan.cycle}.",
        subscription=sub.id, edition=edition.code, edition_name=edition.name,
        quantity=quantity, unit=catalog.quantity_unit, cycle=sub.plan.cycle,
        **cycle_length(catalog, sub.plan.cycle),
    )  # fmt: skip
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
        refuse_while_awaiting(uow.purchases, sub.account_id)
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
