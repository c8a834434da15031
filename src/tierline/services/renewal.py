"""What falls due with time: trial ends, renewals, period roll-overs, payment retries, debits.

Work is done in two phases. Issuing: due subscriptions are settled in batches, each in one
transaction that stores the invoices and the payment attempts to make. Collecting: the
collector sends those attempts after the commit, many at once, and records their outcomes.
Running the same work twice issues nothing new: a period is invoiced once (a unique index
backs this up), and an attempt is sent under its own key only.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta

from tierline.clock import Clock, TestClock
from tierline.defaults import DEFAULT_BATCH, DEFAULT_CONCURRENCY
from tierline.domain.account import Account
from tierline.domain.catalog import Catalog, Renewal
from tierline.domain.catalog_versions import after_due_step, renewal_version
from tierline.domain.documents import Invoice
from tierline.domain.events import PaymentFailed, Renewed
from tierline.domain.plan import pays_for_packs
from tierline.domain.renewal import decide_due, plain_renewal, renewed
from tierline.domain.subscription import (
    Subscription,
    next_action_at,
)
from tierline.domain.values import replace
from tierline.payments import Gateway
from tierline.payments.collector import Collector
from tierline.services.attempts import attempt_invoice, in_flight_for_invoice
from tierline.services.collection import (
    STALE_AFTER,
    Handed,
    Sent,
    collect,
    collection_failed,
    read_for_payments,
    send_handed,
)
from tierline.services.content import reconcile_content
from tierline.services.invoicing import hold_balances, issue_invoice
from tierline.services.messages import notify
from tierline.store.uow import UnitOfWork


def process_subscription(
    subscription_id: str, *, uow: UnitOfWork, clock: Clock, gateway: Gateway
) -> Subscription:
    """Do everything due on one subscription up to now, in order, collecting as it goes."""
    while True:
        now = clock.now()
        with uow:
            sub = uow.subscriptions.get(subscription_id, for_update=True)
            saved, collecting = _settle_due(uow, sub, now)
            uow.commit()
        if not collecting:
            return saved
        collect(uow=uow, clock=clock, gateway=gateway, account_id=saved.account_id, concurrency=1)


@dataclass(frozen=True)
class Issued:
    settled: int  # subscriptions
    handed: Handed | None = None  # the attempts committed `sent`, for the collector to send
    # Under the catalog the batch was decided with, a first failure cancels at once: the next
    # batch must see the outcome of this one's attempts (see `run_due`).
    cancels_at_once: bool = False


def issue_due_batch(
    *, uow: UnitOfWork, clock: Clock, limit: int = DEFAULT_BATCH, hand_over: bool = False
) -> Issued:
    """Issue what is due on up to `limit` subscriptions in one transaction, reading and writing
    in sets; the payments it decides are attempts, sent by the collector after the commit.
    With `hand_over`, the caller sends them right after: they are committed `sent` (see
    `PaymentRepository.hand_over`), with what sending them needs.

    On PostgreSQL the batch is claimed with SKIP LOCKED, so several processes share the work.
    """
    decided = decide_due_batch(uow=uow, clock=clock, limit=limit, hand_over=hand_over)
    return Issued(0) if decided is None else decided.issue()


@dataclass(frozen=True)
class DecidedBatch:
    """A batch whose steps are decided and stored in its unit of work, its transaction still
    open: `issue` writes and commits it. The billing run writes one batch while it decides the
    next, in another thread (see `run_due`)."""

    uow: UnitOfWork
    settled: int  # subscriptions
    now: datetime
    hand_over: bool
    cancels_at_once: bool
    transaction: ExitStack

    def issue(self) -> Issued:
        with self.transaction:
            uow = self.uow
            handed = _hand_over(uow, self.now) if self.hand_over else None
            uow.commit()
            if handed is not None:
                handed = _numbered(uow, handed)
        return Issued(self.settled, handed, self.cancels_at_once)


def decide_due_batch(
    *, uow: UnitOfWork, clock: Clock, limit: int = DEFAULT_BATCH, hand_over: bool = False
) -> DecidedBatch | None:
    """Claim up to `limit` due subscriptions and decide what is due on each, in a transaction
    left open: the caller ends it with `DecidedBatch.issue`. None when nothing is due."""
    now = clock.now()
    with ExitStack() as transaction:
        transaction.enter_context(uow)
        subs = uow.subscriptions.claim_due(now, limit)
        if not subs:
            return None
        account_ids = sorted({sub.account_id for sub in subs})
        uow.accounts.preload(account_ids)
        uow.payment_methods.preload(account_ids)
        _preload_balances(uow, account_ids, now)
        uow.documents.preload_period_invoices([sub.id for sub in subs])
        uow.catalogs.preload(_versions_of(subs))
        beside = _beside_paid_edition(uow, [s.account_id for s in subs if s.plan.addons_only])
        for sub in subs:
            _settle_due(uow, sub, now, beside)
        cancels = _cancels_at_once(uow.catalog.renewal)
        return DecidedBatch(uow, len(subs), now, hand_over, cancels, transaction.pop_all())


def _numbered(uow: UnitOfWork, handed: Handed) -> Handed:
    """The attempts with their invoices' numbers: a batch numbers its invoices when it writes
    them (`SequenceRepository`), after its attempts were decided."""
    attempts = [
        a if a.invoice_number is None
        else replace(a, invoice_number=uow.sequences.numbered(a.invoice_number))
        for a in handed.attempts
    ]  # fmt: skip
    return Handed(attempts, handed.details)


def _preload_balances(uow: UnitOfWork, account_ids: list[str], now: datetime) -> None:
    """The batch's balances, as its invoices may apply them. Where there is a balance to apply,
    the batch holds the balances (`hold_balances`), which reads them again: whoever else spent
    part of one has committed by then, so no balance is spent twice."""
    balances = uow.journal.preload_balances(account_ids)
    if uow.catalog.balance.apply_to_invoices and any(b > 0 for b in balances.values()):
        hold_balances(uow, now)


def _hand_over(uow: UnitOfWork, now: datetime) -> Handed:
    attempts = uow.payments.hand_over(uow.payments.added, now)
    accounts = (uow.accounts.get(a) for a in {attempt.account_id for attempt in attempts})
    return Handed(attempts, {a.id: (a.currency, a.provider_customer_id) for a in accounts})


def _versions_of(subs: list[Subscription]) -> set[int | None]:
    """The catalog versions a batch's renewals may be priced from: a few, read in one query."""
    found: set[int | None] = {sub.catalog_version for sub in subs}
    found.update(sub.price_change.version for sub in subs if sub.price_change is not None)
    return found


def _beside_paid_edition(uow: UnitOfWork, account_ids: list[str]) -> set[str]:
    """Those of these accounts whose packs on their own may renew: read at once for a batch."""
    if not account_ids:
        return set()
    bases = uow.subscriptions.base_editions(sorted(set(account_ids)))
    return {
        account_id
        for account_id, (edition, status) in bases.items()
        if pays_for_packs(uow.catalog, edition, status)
    }


def _settle_due(
    uow: UnitOfWork, sub: Subscription, now: datetime, beside: set[str] | None = None
) -> tuple[Subscription, bool]:
    """Step through what is due, in order. An invoice left to collect stops the steps only
    where its outcome decides what comes next: when a first failure would cancel at once. A
    failure that leaves the subscription past due changes nothing of its roll-over. True when
    an invoice waits to be collected. `beside`: the accounts whose packs on their own may renew,
    when the batch read them."""
    account = uow.accounts.get(sub.account_id)
    if beside is None:
        beside = _beside_paid_edition(uow, [sub.account_id] if sub.plan.addons_only else [])
    beside_paid_edition = not sub.plan.addons_only or sub.account_id in beside
    rules = uow.catalog.renewal
    cancels_at_once = _cancels_at_once(rules)
    if not cancels_at_once and (plainly := _renew_plainly(uow, account, sub, now)) is not None:
        after, collecting = plainly
        return uow.subscriptions.save(after), collecting
    collecting = stop = False
    while not stop and (due := next_action_at(sub, rules.lead_days)) is not None and due <= now:
        sub, waits = _step(uow, account, sub, due, now, beside_paid_edition)
        collecting = collecting or waits
        stop = waits and cancels_at_once
    return uow.subscriptions.save(sub), collecting


def _priced(uow: UnitOfWork, account: Account, sub: Subscription) -> tuple[int, Catalog]:
    """The catalog version the subscription's next period is priced from, and the catalog with
    its prices in the account's currency (both come with the batch)."""
    version = renewal_version(sub, uow.catalogs.current_version)
    return version, uow.catalogs.priced_from(version, account.currency)


def _renew_plainly(
    uow: UnitOfWork, account: Account, sub: Subscription, now: datetime
) -> tuple[Subscription, bool] | None:
    """The renewal and roll-over most subscriptions of a run have due, decided at once
    (`plain_renewal`), then stored as `_step` stores each: the invoice, its attempt, then the
    event of the new period. A renewal that finds no method to charge leaves the subscription
    past due, as after the steps: under a catalog that cancels at once it is not taken here.
    None when the subscription is not so plain."""
    version, catalog = _priced(uow, account, sub)
    renewal = plain_renewal(sub, catalog, account.timezone, now)
    if renewal is None:
        return None
    start = renewal.period.start
    if uow.documents.has_period_invoice(sub.id, "renewal", start):
        return None
    invoice = issue_invoice(
        uow, account, renewal.lines, reason="renewal", now=now, subscription_id=sub.id,
        period_start=start,
    )  # fmt: skip
    after, waits = _to_collect(uow, renewed(sub, renewal, invoice.number, version), invoice, now)
    notify(uow, account.id, now, Renewed(after.id, after.period.end))
    return after, waits


def _step(
    uow: UnitOfWork,
    account: Account,
    sub: Subscription,
    due: datetime,
    now: datetime,
    beside_paid_edition: bool = True,
) -> tuple[Subscription, bool]:
    """Decide the step, then store it: its events, the content adapted, its invoice, and the
    attempt to collect that invoice."""

    def invoiced(start: datetime) -> bool:
        return uow.documents.has_period_invoice(sub.id, "renewal", start)

    version, catalog = _priced(uow, account, sub)
    outcome = decide_due(
        sub, catalog, account.timezone, due, invoiced=invoiced,
        beside_paid_edition=beside_paid_edition,
    )  # fmt: skip
    outcome = replace(outcome, subscription=after_due_step(sub, outcome.subscription, version))
    after = outcome.subscription
    for event in outcome.events:
        notify(uow, account.id, now, event)
    if outcome.adapt_content is not None:
        before, plan = outcome.adapt_content
        reconcile_content(uow, account.id, after.id, before, plan, now)
    for event in outcome.events_after_content:
        notify(uow, account.id, now, event)
    if outcome.invoice is None:
        return after, False
    todo = outcome.invoice
    invoice = issue_invoice(
        uow, account, todo.lines, reason=todo.reason, now=now,
        subscription_id=after.id, period_start=todo.period_start,
    )  # fmt: skip
    return _to_collect(uow, outcome.invoiced(invoice.number), invoice, now)


def _to_collect(
    uow: UnitOfWork, sub: Subscription, invoice: Invoice, now: datetime
) -> tuple[Subscription, bool]:
    """Charge a new invoice automatically when the catalog says so: its attempt is committed
    with it. Without a method to charge, it fails at once, as a declined card would."""
    if uow.catalog.collection.mode != "charge_automatically" or invoice.status == "paid":
        return sub, False
    if attempt_invoice(uow, invoice, now, reason="collection") is None:
        return _no_method(uow, invoice, now, sub) or sub, False
    return sub, True


def _no_method(
    uow: UnitOfWork, invoice: Invoice, now: datetime, sub: Subscription | None = None
) -> Subscription | None:
    currency = uow.accounts.currency_of(invoice.account_id)
    failed = PaymentFailed(invoice.number, "no_payment_method", invoice.amount_due, currency)
    notify(uow, invoice.account_id, now, failed)
    return collection_failed(uow, invoice, now, sub)


def attempt_due_invoices(numbers: list[str], *, uow: UnitOfWork, clock: Clock) -> None:
    """Commit a new attempt on each of these open invoices whose attempt is due, in one
    transaction: a retry, or a direct debit on its due date. Its next attempt is cleared
    meanwhile, so it is attempted once; the outcome sets the one after. What deciding each reads
    is read at once (`read_for_payments`)."""
    now = clock.now()
    with uow.batch() as batch:
        for invoice in read_for_payments(batch, numbers):
            if invoice.status != "open" or invoice.next_attempt_at is None:
                continue
            if invoice.next_attempt_at > now or in_flight_for_invoice(batch, invoice.number):
                continue
            waiting = replace(invoice, next_attempt_at=None)
            batch.documents.save_payment_state(waiting)
            if attempt_invoice(batch, waiting, now, reason="collection") is None:
                _no_method(batch, waiting, now)
        batch.commit()


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
    batch: int = DEFAULT_BATCH,
    concurrency: int = DEFAULT_CONCURRENCY,
    stale_after: timedelta = STALE_AFTER,
    progress: Callable[[int], None] | None = None,
) -> int:
    """One pass over everything due now: issue in batches, collect what they decided, then
    attempt the invoices whose retry or debit is due. Returns how many subscriptions and
    invoices it settled.

    A batch's attempts are collected in a thread beside the issuing of the next batch, so the
    provider's answers and the database's work overlap that batch's, when either waits (a
    provider that takes its time, or a database in a process of its own). With a database in a
    process of its own, a batch is also written in a thread of its own while the next one is
    claimed and decided. Neither when a first failure cancels at once: then a batch stops where
    an outcome decides what comes next, and the next batch must see that outcome."""
    with Collector(gateway, concurrency=concurrency) as collector:
        return _run_due(uow, clock, collector, batch, stale_after, progress)


def _run_due(
    uow: UnitOfWork,
    clock: Clock,
    collector: Collector,
    batch: int,
    stale_after: timedelta,
    progress: Callable[[int], None] | None,
) -> int:
    gateway = collector.gateway
    done = 0
    beside = uow.alongside()

    def collect_all(sent: Sent | None = None) -> None:
        collect(
            uow=beside, clock=clock, gateway=gateway, stale_after=stale_after,
            collector=collector, sent=sent,
        )  # fmt: skip

    def send_written(written: Future[Issued]) -> Sent:
        handed = written.result().handed
        assert handed is not None  # every batch of the run hands its attempts over
        return send_handed(collector, handed)

    def record_sent(sent: Future[Sent], settled: int) -> int:
        collect_all(sent.result())
        return settled

    collect_all()  # attempts left by an earlier run that stopped before sending them
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="write") as writing,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="send") as sending,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="record") as recording,
    ):
        recorded: Future[int] | None = None  # the last batch, recorded beside the next decided
        while (decided := _decide(uow, clock, batch)) is not None:
            written = writing.submit(decided.issue)
            if not _may_write_beside(decided, uow):
                written.result()
            sent = sending.submit(send_written, written)
            if recorded is not None:
                done += _reported(recorded.result(), progress)
            recorded = recording.submit(record_sent, sent, decided.settled)
            if not _may_overlap(decided, uow, collector):
                recorded.result()
        if recorded is not None:
            done += _reported(recorded.result(), progress)
    collect_all()  # whatever else waits: attempts made meanwhile by others
    now = clock.now()
    while True:
        with uow.reading():
            numbers = uow.documents.due_for_attempt(now, batch)
        if not numbers:
            return done
        attempt_due_invoices(numbers, uow=uow, clock=clock)
        collect_all()
        done += _reported(len(numbers), progress)


def _reported(settled: int, progress: Callable[[int], None] | None) -> int:
    """Told once a batch's outcomes are recorded: then its subscriptions are settled."""
    if progress is not None:
        progress(settled)
    return settled


def _decide(uow: UnitOfWork, clock: Clock, batch: int) -> DecidedBatch | None:
    return decide_due_batch(uow=uow.batch(), clock=clock, limit=batch, hand_over=True)


def _may_write_beside(decided: DecidedBatch, uow: UnitOfWork) -> bool:
    """A batch is written while the next is decided when the database works in a process of
    its own: the one's waits are the other's work. Not on SQLite, whose next batch would wait
    for this one's write lock anyway; nor when a first failure cancels at once."""
    return uow.works_beside and not decided.cancels_at_once


def _may_overlap(decided: DecidedBatch, uow: UnitOfWork, collector: Collector) -> bool:
    """Collecting a batch beside the issuing of the next pays when one of them waits: for a
    provider that takes its time answering, or for a database working in a process of its own.
    Not when a first failure cancels at once (see `run_due`)."""
    waits = collector.waits_for_answers or uow.works_beside
    return waits and not decided.cancels_at_once


def _cancels_at_once(rules: Renewal) -> bool:
    return not rules.retry_days and rules.when_retries_fail == "cancel"


def advance_clock(to: datetime, *, uow: UnitOfWork, clock: TestClock, gateway: Gateway) -> None:
    """Move a test clock to `to`, running whatever falls due on the way, in time order."""
    while (due := next_due_at(uow=uow)) is not None and due <= to:
        clock.set(max(due, clock.now()))
        run_due(uow=uow, clock=clock, gateway=gateway)
    clock.set(to)
