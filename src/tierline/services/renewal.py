"""What falls due with time: trial ends, renewals, period roll-overs, payment retries, debits.

Each subscription or invoice is settled in its own transaction. Running the same work twice
issues nothing new: a period is invoiced once (a unique index backs this up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from tierline.clock import Clock, TestClock
from tierline.domain.account import Account
from tierline.domain.documents import Invoice
from tierline.domain.items import full_period, plan_items
from tierline.domain.plan import resolve
from tierline.domain.renewal import first_period, renewal_invoice, roll_over
from tierline.domain.subscription import Subscription, next_action_at, renewal_due_at
from tierline.payments import Gateway
from tierline.services.content import reconcile_content
from tierline.services.invoicing import collect, issue_invoice
from tierline.services.messages import notify
from tierline.services.payments import reactivate_if_past_due
from tierline.store.uow import UnitOfWork


def process_subscription(
    subscription_id: str, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> Subscription:
    """Do everything due on one subscription up to now, in order."""
    now = clock.now()
    with uow:
        sub = uow.subscriptions.get(subscription_id, for_update=True)
        saved = _settle_due(uow, gateway, sub, now)
        uow.commit()
    return saved


def process_due_batch(*, uow: UnitOfWork, clock: Clock, gateway: Gateway, limit: int = 500) -> int:
    """Settle up to `limit` due subscriptions in one transaction, reading and writing in sets.

    On PostgreSQL the batch is claimed with SKIP LOCKED, so several processes share the work.
    """
    now = clock.now()
    with uow:
        subs = uow.subscriptions.claim_due(now, limit)
        if not subs:
            return 0
        account_ids = sorted({sub.account_id for sub in subs})
        uow.accounts.preload(account_ids)
        uow.payment_methods.preload(account_ids)
        uow.journal.preload_balances(account_ids)
        uow.documents.preload_period_invoices([sub.id for sub in subs])
        for sub in subs:
            _settle_due(uow, gateway, sub, now)
        uow.commit()
    return len(subs)


def _settle_due(
    uow: UnitOfWork, gateway: Gateway, sub: Subscription, now: datetime
) -> Subscription:
    account = uow.accounts.get(sub.account_id)
    lead = uow.catalog.renewal.lead_days
    while (due := next_action_at(sub, lead)) is not None and due <= now:
        sub = _step(uow, gateway, account, sub, due, now)
    return uow.subscriptions.save(sub)


def _step(
    uow: UnitOfWork,
    gateway: Gateway,
    account: Account,
    sub: Subscription,
    due: datetime,
    now: datetime,
) -> Subscription:
    catalog = uow.catalog
    tz = account.timezone
    if sub.status == "trialing":
        return _end_trial(uow, gateway, account, sub, now)
    if (
        sub.auto_renew
        and sub.next_charges is None
        and due >= renewal_due_at(sub, catalog.renewal.lead_days)
    ):
        renewal = renewal_invoice(sub, catalog, tz)
        charges = renewal.charges
        if renewal.lines and not uow.documents.has_period_invoice(
            sub.id, "renewal", renewal.period.start
        ):
            invoice = issue_invoice(
                uow, gateway, account, renewal.lines, reason="renewal", now=now,
                subscription_id=sub.id, period_start=renewal.period.start,
            )  # fmt: skip
            charges = tuple(replace(c, invoice=invoice.number) for c in charges)
            sub = _collect_or_past_due(uow, gateway, account, sub, invoice, now)
        return replace(sub, next_charges=charges)
    # The period ends.
    before = sub
    sub = roll_over(sub, catalog, tz)
    if sub.status == "expired":
        notify(
            uow, account.id, now, "subscription.expired",
            f"Your subscription ended on {before.period.end:%Y-%m-%d}.", subscription=sub.id,
            ended_at=before.period.end.isoformat(),
        )  # fmt: skip
    else:
        if before.pending is not None and sub.pending is None:  # not one that waits longer
            edition = catalog.edition(sub.plan.edition)
            notify(
                uow, account.id, now, f"subscription.{before.pending.change_class}_applied",
                f"Your subscription is now {edition.name if edition else sub.plan.edition}.",
                subscription=sub.id, edition_name=edition.name if edition else sub.plan.edition,
            )  # fmt: skip
        # A scheduled downgrade takes effect now: adapt the content to the new plan.
        reconcile_content(uow, account.id, sub.id, before.plan, sub.plan, now)
        notify(
            uow, account.id, now, "subscription.renewed",
            f"Your subscription renewed until {sub.period.end:%Y-%m-%d}.", subscription=sub.id,
            period_end=sub.period.end.isoformat(),
        )  # fmt: skip
    return sub


def _end_trial(
    uow: UnitOfWork, gateway: Gateway, account: Account, sub: Subscription, now: datetime
) -> Subscription:
    catalog = uow.catalog
    end = sub.period.end
    if not sub.auto_renew:
        notify(
            uow, account.id, now, "subscription.expired", "Your trial ended.",
            subscription=sub.id, trial=True,
        )  # fmt: skip
        return replace(sub, status="expired", ended_at=end)
    period = first_period(sub.plan, catalog, end, account.timezone)
    lines, charges = full_period(plan_items(catalog, resolve(catalog, sub.plan)), period, catalog)
    lines = tuple(line for line in lines if line.amount)
    sub = replace(sub, status="active", anchor=end, period=period, charges=charges)
    notify(
        uow, account.id, now, "subscription.trial_ended",
        "Your trial ended; the paid subscription starts now.", subscription=sub.id,
    )  # fmt: skip
    if not lines:
        return sub
    invoice = issue_invoice(
        uow, gateway, account, lines, reason="trial_end", now=now,
        subscription_id=sub.id, period_start=period.start,
    )  # fmt: skip
    sub = replace(sub, charges=tuple(replace(c, invoice=invoice.number) for c in charges))
    return _collect_or_past_due(uow, gateway, account, sub, invoice, now)


def _collect_or_past_due(
    uow: UnitOfWork,
    gateway: Gateway,
    account: Account,
    sub: Subscription,
    invoice: Invoice,
    now: datetime,
) -> Subscription:
    catalog = uow.catalog
    if catalog.collection.mode != "charge_automatically" or invoice.status == "paid":
        return sub
    result = collect(uow, gateway, account, invoice, now)
    if result.paid:
        return sub
    retry = catalog.renewal.retry_days
    failed = replace(
        invoice,
        attempts=1,
        first_failed_at=now,
        next_attempt_at=now + timedelta(days=retry[0]) if retry else None,
    )
    uow.documents.save_payment_state(failed)
    if not retry:
        return _retries_exhausted(uow, account, sub, failed, now)
    return replace(sub, status="past_due")


def _retries_exhausted(
    uow: UnitOfWork, account: Account, sub: Subscription, invoice: Invoice, now: datetime
) -> Subscription:
    if uow.catalog.renewal.when_retries_fail == "past_due":
        return replace(sub, status="past_due")
    uow.documents.save_payment_state(replace(invoice, status="uncollectible", next_attempt_at=None))
    notify(
        uow, account.id, now, "subscription.canceled",
        f"Your subscription was cancelled: invoice {invoice.number} could not be paid.",
        subscription=sub.id, invoice=invoice.number,
    )  # fmt: skip
    return replace(sub, status="canceled", ended_at=now, auto_renew=False, pending=None)


def process_invoice(number: str, *, uow: UnitOfWork, clock: Clock, gateway: Gateway) -> None:
    """Collect an open invoice whose attempt is due: a retry, or a direct debit on its due date."""
    now = clock.now()
    with uow:
        invoice = uow.documents.invoice(number)
        if invoice.status != "open" or invoice.next_attempt_at is None:
            return
        if invoice.next_attempt_at > now:
            return
        account = uow.accounts.get(invoice.account_id)
        sub = uow.subscriptions.get(invoice.subscription_id) if invoice.subscription_id else None
        result = collect(uow, gateway, account, invoice, now)
        if result.paid:
            reactivate_if_past_due(uow, invoice)
            uow.commit()
            return
        retry = uow.catalog.renewal.retry_days
        first = invoice.first_failed_at or now
        attempts = invoice.attempts + 1
        upcoming = [first + timedelta(days=d) for d in retry if first + timedelta(days=d) > now]
        failed = replace(
            invoice,
            attempts=attempts,
            first_failed_at=first,
            next_attempt_at=upcoming[0] if upcoming else None,
        )
        uow.documents.save_payment_state(failed)
        if sub is not None and sub.is_live:
            if upcoming:
                uow.subscriptions.save(replace(sub, status="past_due"))
            else:
                uow.subscriptions.save(_retries_exhausted(uow, account, sub, failed, now))
        uow.commit()


def next_due_at(*, uow: UnitOfWork) -> datetime | None:
    with uow.reading():
        times = [uow.subscriptions.next_due_at(), uow.documents.next_attempt_at()]
    present = [t for t in times if t is not None]
    return min(present) if present else None


def run_due(
    *,
    uow: UnitOfWork,
    clock: Clock,
    gateway: Gateway,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> int:
    """One pass over everything due now. Returns how many subscriptions and invoices it settled."""
    done = 0
    while settled := process_due_batch(uow=uow.batch(), clock=clock, gateway=gateway, limit=batch):
        done += settled
        if progress is not None:
            progress(settled)
    now = clock.now()
    while True:
        with uow.reading():
            numbers = uow.documents.due_for_attempt(now, batch)
        if not numbers:
            return done
        for number in numbers:
            process_invoice(number, uow=uow, clock=clock, gateway=gateway)
        done += len(numbers)
        if progress is not None:
            progress(len(numbers))


def advance_clock(to: datetime, *, uow: UnitOfWork, clock: TestClock, gateway: Gateway) -> None:
    """Move a test clock to `to`, running whatever falls due on the way, in time order."""
    while (due := next_due_at(uow=uow)) is not None and due <= to:
        clock.set(max(due, clock.now()))
        run_due(uow=uow, clock=clock, gateway=gateway)
    clock.set(to)
