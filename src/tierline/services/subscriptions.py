"""Subscribing, auto-renewal, and reading a subscription."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tierline.clock import Clock
from tierline.domain.account import Account
from tierline.domain.catalog import Catalog, Edition
from tierline.domain.documents import Invoice, Purchase
from tierline.domain.events import AutoRenewChanged
from tierline.domain.pages import Page, PageRequest
from tierline.domain.plan import paid_host
from tierline.domain.renewal import next_period
from tierline.domain.start import Start, start_subscription
from tierline.domain.subscription import STATUSES, Subscription
from tierline.domain.values import replace
from tierline.errors import Conflict, Invalid, NotAllowed, NotFound
from tierline.ids import new_id
from tierline.payments import Gateway
from tierline.services.invoicing import Credit, issue_invoice
from tierline.services.messages import notify
from tierline.services.payments import await_payment, collect_invoice, require_payment_method
from tierline.store.payments import refuse_while_awaiting
from tierline.store.uow import UnitOfWork


@dataclass(frozen=True)
class Subscribe:
    """A base subscription (an edition), or with no `edition` an add-on-only one: packs on
    their own cycle beside the account's paid edition. `id` names the new subscription (the
    simulator's names); without it one is made."""

    account_id: str
    edition: str
    cycle: str
    quantity: int | None = None
    addons: Mapping[str, int] = field(default_factory=dict)
    trial: bool = True  # take the edition's trial when it has one
    auto_renew: bool = True
    id: str | None = None


def live_subscription(
    uow: UnitOfWork, account_id: str, subscription_id: str | None = None
) -> Subscription:
    """The account's live subscription `subscription_id`, or without it its base one."""
    if subscription_id is not None:
        sub = account_subscription(uow, account_id, subscription_id)
        if not sub.is_live:
            raise NotAllowed(
                "This subscription has ended; subscribe again instead.",
                code="subscription_inactive",
            )
        return sub
    base = uow.subscriptions.current_for(account_id)
    if base is None or not base.is_live:
        raise NotFound("The account has no active subscription.", code="no_subscription")
    return base


def account_subscription(uow: UnitOfWork, account_id: str, subscription_id: str) -> Subscription:
    """One of the account's subscriptions; another account's is not found, as an unknown one."""
    sub = uow.subscriptions.get(subscription_id)
    if sub.account_id != account_id:
        raise NotFound(f"No subscription '{subscription_id}'.", code="no_subscription")
    return sub


def paid_edition(uow: UnitOfWork, account_id: str) -> Edition:
    """The paid edition that packs on their own subscription are bought beside, or the
    refusal `not_available_on_edition`."""
    base = uow.subscriptions.current_for(account_id)
    return paid_host(
        uow.catalog, None if base is None else base.plan,
        live=base is not None and base.is_live,
        trialing=base is not None and base.status == "trialing",
    )  # fmt: skip


def subscribe(cmd: Subscribe, *, uow: UnitOfWork, clock: Clock, gateway: Gateway) -> Subscription:
    """Start a subscription: a trial, a free edition, or a purchase that the card pays now (the
    subscription exists once the payment succeeded)."""
    now = clock.now()
    with uow:
        account = uow.accounts.get(cmd.account_id)
        refuse_while_awaiting(uow.purchases, account.id)
        sub_id = cmd.id or new_id("sub")
        if cmd.id is not None and uow.subscriptions.exists(cmd.id):
            raise Conflict(f"A subscription '{cmd.id}' exists already.", code="already_exists",
                           param="id")  # fmt: skip
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
            "auto_renew": cmd.auto_renew, "id": sub_id,
        }  # fmt: skip
        await_payment(
            uow, invoice, now, kind="subscribe", subscription_id=sub_id, command=command,
            subscription_version=None,
        )  # fmt: skip
        uow.commit()
    collect_invoice(uow, clock, gateway, invoice.number)
    with uow.reading():
        return uow.subscriptions.get(sub_id)


def _start(uow: UnitOfWork, account: Account, cmd: Subscribe, sub_id: str, now: datetime) -> Start:
    return start_subscription(
        uow.catalog.in_currency(account.currency), account,
        uow.subscriptions.current_for(account.id), subscription_id=sub_id,
        edition=cmd.edition, cycle=cmd.cycle, quantity=cmd.quantity, addons=cmd.addons,
        trial=cmd.trial, auto_renew=cmd.auto_renew, now=now,
    )  # fmt: skip


def _invoice(uow: UnitOfWork, account: Account, start: Start, now: datetime) -> Invoice:
    return issue_invoice(
        uow, account, start.lines, reason="subscription_create", now=now,
        subscription_id=start.subscription.id, period_start=start.subscription.period.start,
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
    start: Start,
    now: datetime,
    *,
    invoice: Invoice | None = None,
) -> Subscription:
    # Sold from the current catalog version: its renewals are priced from it.
    sub = replace(start.subscription, catalog_version=uow.catalogs.current_version)
    if sub.status == "trialing":
        uow.subscriptions.add(sub)
        notify(uow, account.id, now, start.event)
        return sub
    if start.lines:
        if invoice is None:
            invoice = _invoice(uow, account, start, now)
        sub = replace(sub, charges=tuple(replace(c, invoice=invoice.number) for c in sub.charges))
    uow.subscriptions.add(sub)
    notify(uow, account.id, now, start.event)
    return sub


@dataclass(frozen=True)
class SetAutoRenew:
    account_id: str
    enabled: bool
    subscription_id: str | None = None  # without it, the base subscription


def set_auto_renew(cmd: SetAutoRenew, *, uow: UnitOfWork, clock: Clock) -> Subscription:
    """Turning auto-renewal off keeps the service until the period ends, then it expires."""
    now = clock.now()
    with uow:
        sub = live_subscription(uow, cmd.account_id, cmd.subscription_id)
        refuse_while_awaiting(uow.purchases, sub.account_id)
        if sub.auto_renew == cmd.enabled:
            return sub
        sub = uow.subscriptions.save(replace(sub, auto_renew=cmd.enabled))
        ends: datetime | None = None
        if not cmd.enabled:
            ends = sub.period.end
            if sub.next_charges is not None:  # the next period is invoiced already: it is served
                tz = uow.accounts.get(sub.account_id).timezone
                ends = next_period(sub, uow.catalog, tz).end
        notify(uow, sub.account_id, now, AutoRenewChanged(sub.id, cmd.enabled, ends))
        uow.commit()
    return sub


def get_subscription(account_id: str, *, uow: UnitOfWork) -> Subscription:
    with uow.reading():
        sub = uow.subscriptions.current_for(account_id)
        if sub is None:
            raise NotFound("The account has never subscribed.", code="no_subscription")
        return sub


def read_subscription(subscription_id: str, *, uow: UnitOfWork) -> Subscription:
    with uow.reading():
        return uow.subscriptions.get(subscription_id)


def account_subscriptions(account_id: str, *, uow: UnitOfWork) -> list[Subscription]:
    """Every subscription of the account, oldest first: the live ones and those that ended."""
    with uow.reading():
        uow.accounts.get(account_id)
        return sorted(uow.subscriptions.all_for(account_id), key=lambda s: (s.started_at, s.id))


@dataclass(frozen=True)
class ListSubscriptions:
    account_id: str | None = None
    status: str | None = None
    request: PageRequest = field(default_factory=PageRequest)


def list_subscriptions(cmd: ListSubscriptions, *, uow: UnitOfWork) -> Page[Subscription]:
    """Subscriptions in the order they were made, of one account and in one status if asked."""
    if cmd.status is not None and cmd.status not in STATUSES:
        raise Invalid(
            f"No subscription status '{cmd.status}': use one of {', '.join(STATUSES)}.",
            code="invalid_status", param="status",
        )  # fmt: skip
    with uow.reading():
        if cmd.account_id is not None:
            uow.accounts.get(cmd.account_id)
        return uow.subscriptions.page(cmd.request, account_id=cmd.account_id, status=cmd.status)


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


def subscription_on_documents(
    account_id: str, invoice_number: str | None, *, uow: UnitOfWork
) -> str | None:
    """The subscription a document's lines name: the one the invoice (or the invoice a credit
    note credits) bills, where the account has more than one subscription; else None."""
    if invoice_number is None:
        return None
    with uow.reading():
        if len(uow.subscriptions.all_for(account_id)) < 2:
            return None
        return uow.documents.invoice(invoice_number).subscription_id
