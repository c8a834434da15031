"""Collecting: committed payment attempts are sent after the commit, and what the provider
answered is recorded in a new transaction.

- `succeeded`: the invoice is paid and gets its receipt, a purchase that awaited the payment is
  applied, a past-due subscription is active again; a top-up reaches the balance.
- `failed`: a new attempt on the next method is committed, then sent; once every method failed, a
  purchase is voided (its invoice keeps its number, status `void`; nothing else changes), a
  renewal follows the catalog's retries, a payment asked for now stays open.
- `processing` / `requires_action`: the attempt waits for the provider to say more.
- no answer: the attempt stays `sent`; a later pass asks the provider about it by its key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from tierline.clock import Clock
from tierline.defaults import DEFAULT_BATCH, DEFAULT_CONCURRENCY
from tierline.domain import journal
from tierline.domain.documents import SERIES, Invoice, Payment, Purchase
from tierline.domain.dunning import after_failed_round
from tierline.domain.events import PaidByBackup, SubscriptionCanceled
from tierline.domain.payment_outcomes import (
    FollowRetries,
    LeaveOpen,
    RechargeBalance,
    TopUpFailed,
    TryNextMethod,
    VoidPurchase,
    after_failure,
    after_refused_refund,
    after_success,
)
from tierline.domain.subscription import Subscription, reactivate
from tierline.domain.values import replace
from tierline.ids import new_id
from tierline.payments import ChargeResult, Gateway
from tierline.payments.collector import Collector, Sending
from tierline.services.attempts import charge_request, new_attempt, next_method
from tierline.services.invoicing import (
    Credit,
    issue_top_up_receipt,
    mark_paid,
    record_invoice_paid,
)
from tierline.services.messages import notify
from tierline.store.documents import PaidInFull
from tierline.store.payments import Settling
from tierline.store.uow import UnitOfWork

log = logging.getLogger("tierline.collection")

# An attempt `sent` longer ago than this with no outcome is taken to have lost its sender.
STALE_AFTER = timedelta(minutes=5)
_CLAIM = DEFAULT_BATCH  # attempts claimed per pass
_RECORD = DEFAULT_BATCH  # outcomes recorded per transaction


@dataclass(frozen=True)
class Collected:
    settled: int  # attempts whose outcome was recorded
    unknown: int  # attempts left `sent`: the provider's answer is not known yet


@dataclass(frozen=True)
class Handed:
    """Attempts a billing batch committed already `sent` (`PaymentRepository.hand_over`), for
    the collector that follows it to send without a claim; with each account's currency and
    provider customer, as the batch read them."""

    attempts: list[Payment]
    details: Mapping[str, tuple[str, str | None]]


@dataclass(frozen=True)
class Sent:
    """A billing batch's attempts as the provider answered them (`send_handed`), to record with
    `collect(sent=…)`: the run sends one batch while it records the one before."""

    answered: list[tuple[Payment, ChargeResult]]
    unknown: int  # attempts with no answer: they stay `sent`
    currencies: Mapping[str, str]  # each account's, as the batch read them


def collect(
    *,
    uow: UnitOfWork,
    clock: Clock,
    gateway: Gateway,
    account_id: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    stale_after: timedelta = STALE_AFTER,
    progress: Callable[[int], None] | None = None,
    collector: Collector | None = None,
    sent: Sent | None = None,
) -> Collected:
    """Send every attempt not sent yet (of one account, or all), and those whose sender died;
    record the outcomes; send the backup attempts that failures made, until none is left.
    A run that collects many times passes one `collector`, which learns the provider's pace
    once.

    With `sent` (a billing batch's attempts as `send_handed` sent them), their answers are
    recorded, and the others claimed only when one of them failed (its backup attempt is then
    sent at once)."""
    if collector is None:
        with Collector(gateway, concurrency=concurrency) as own:
            return collect(
                uow=uow, clock=clock, gateway=gateway, account_id=account_id,
                stale_after=stale_after, progress=progress, collector=own, sent=sent,
            )  # fmt: skip
    settled = unknown = 0
    sweep = sent is None  # claim every attempt not sent, the backups included
    if sent is not None:
        for start in range(0, len(sent.answered), _RECORD):
            settled += _record(uow, clock, sent.answered[start : start + _RECORD], sent.currencies)
        unknown = sent.unknown
        # A failure may have committed a backup attempt: sent at once, with any other.
        sweep = any(result.status != "succeeded" for _, result in sent.answered)
        if progress is not None:
            progress(len(sent.answered) + sent.unknown)
    while sweep:
        claimed, details = _claim(uow, clock, stale_after, account_id)
        if not claimed:
            break
        currencies = _currencies(details)
        answered: list[tuple[Payment, ChargeResult]] = []
        for attempt, result in _sent(collector, claimed, details):
            if result is None:
                unknown += 1
                continue
            answered.append((attempt, result))
            if len(answered) >= _RECORD:
                settled += _record(uow, clock, answered, currencies)
                answered = []
        settled += _record(uow, clock, answered, currencies)
        if progress is not None:
            progress(len(claimed))
    return Collected(settled, unknown)


def send_handed(collector: Collector, handed: Handed) -> Sent:
    """Send a billing batch's attempts, committed `sent` with it; their answers, to record."""
    answered: list[tuple[Payment, ChargeResult]] = []
    unknown = 0
    for attempt, result in _sent(collector, [(a, False) for a in handed.attempts], handed.details):
        if result is None:
            unknown += 1
        else:
            answered.append((attempt, result))
    return Sent(answered, unknown, _currencies(handed.details))


def _currencies(details: Mapping[str, tuple[str, str | None]]) -> dict[str, str]:
    return {account: currency for account, (currency, _) in details.items()}


def _sent(
    collector: Collector,
    claimed: list[tuple[Payment, bool]],
    details: Mapping[str, tuple[str, str | None]],
) -> Iterator[tuple[Payment, ChargeResult | None]]:
    """Each attempt with what the provider answered (None: no answer yet), as answers come."""
    sendings = [Sending(charge_request(p, *details[p.account_id]), before) for p, before in claimed]
    by_id = {p.id: p for p, _ in claimed}
    for sending, result in collector.send(sendings):
        yield by_id[sending.request.idempotency_key], result


def _claim(
    uow: UnitOfWork, clock: Clock, stale_after: timedelta, account_id: str | None
) -> tuple[list[tuple[Payment, bool]], Mapping[str, tuple[str, str | None]]]:
    """Claim attempts to send in a transaction of their own, with the currency and provider
    customer of their accounts."""
    now = clock.now()
    with uow.batch() as claiming:
        claimed = claiming.payments.claim(
            now, stale_before=now - stale_after, limit=_CLAIM, account_id=account_id
        )
        accounts = list({p.account_id for p, _ in claimed})
        details = claiming.accounts.charge_details(accounts) if accounts else {}
        claiming.commit()
    return claimed, details


def _record(
    uow: UnitOfWork,
    clock: Clock,
    answered: list[tuple[Payment, ChargeResult]],
    currencies: Mapping[str, str],
) -> int:
    """Record a group of outcomes in one transaction; should one of them fail, each alone.
    `currencies`: each account's, as read with the attempts."""
    if not answered:
        return 0
    try:
        with uow.batch() as batch:
            _record_all(batch, answered, currencies, clock.now())
            batch.commit()
        return len(answered)
    except Exception:
        if len(answered) == 1:
            log.exception("outcome of attempt %s not recorded", answered[0][0].id)
            return 0
    return sum(_record(uow, clock, [one], currencies) for one in answered)


def _record_all(
    uow: UnitOfWork,
    answered: list[tuple[Payment, ChargeResult]],
    currencies: Mapping[str, str],
    now: datetime,
) -> None:
    """Invoices paid by a charge, the bulk of a billing run, are recorded as a set: one
    statement settles them, their invoices are read at once (their state, not their lines),
    and their receipts are written from the invoices inside the database. Every other outcome,
    and an invoice that credits or balance paid part of, goes through `record_outcome`."""
    paid = [
        (attempt, result)
        for attempt, result in answered
        if result.status == "succeeded" and attempt.kind == "charge" and attempt.invoice_number
    ]
    by_set = {attempt.id for attempt, _ in paid}
    _record_outcomes(uow, [(a, r) for a, r in answered if a.id not in by_set], now)
    if not paid:
        return
    settled = uow.payments.settle_succeeded([(a.id, r.reference) for a, r in paid], now)
    attempts = [attempt for attempt, _ in paid if attempt.id in settled]
    numbers = sorted({str(a.invoice_number) for a in attempts})
    if not numbers:
        return
    invoices = uow.documents.payment_states(numbers)  # and locked

    def plain(attempt: Payment) -> bool:
        invoice = invoices[str(attempt.invoice_number)]
        return (
            invoice.status == "open"
            and invoice.amount_paid == 0
            and invoice.amount_due == attempt.amount
            and not invoice.awaited
            and not (invoice.credits_applied or invoice.balance_applied)
            and invoice.names_parties
        )

    # A backup that paid after a declined primary is told of, one by one.
    declined = uow.payments.declined_rounds([n for n in numbers if invoices[n].declined])
    in_full = [a for a in attempts if plain(a) and (a.invoice_number, a.round) not in declined]
    uow.documents.mark_paid_in_full([str(a.invoice_number) for a in in_full], now)
    receipts = [
        PaidInFull(
            new_id("rct"),
            uow.sequences.next_number(SERIES["receipt"], now.year),
            str(attempt.invoice_number),
            attempt.payment_method,
        )
        for attempt in in_full
    ]
    uow.documents.add_receipts_for_paid(receipts, now)
    by_set = {attempt.id for attempt in in_full}
    _read_for_outcomes(uow, [attempt for attempt in attempts if attempt.id not in by_set])
    for attempt in attempts:
        if attempt.id not in by_set:
            _succeeded(uow, attempt, now)
            continue
        invoice = invoices[str(attempt.invoice_number)]
        account = attempt.account_id
        record_invoice_paid(uow, account, invoice.number, attempt.amount, currencies[account], now)
        if invoice.past_due and invoice.subscription_id is not None:
            _reactivate_if_past_due(uow, invoice.subscription_id)


def read_for_payments(
    uow: UnitOfWork, numbers: Iterable[str], account_ids: Iterable[str] = ()
) -> list[Invoice]:
    """What deciding payments of these invoices one by one reads, read at once: the invoices
    (locked, with their lines), their attempts, purchases and subscriptions, and the accounts
    (theirs and `account_ids`) with their payment methods and balances. Each repository then
    answers from what it read until it writes the row itself. The invoices found."""
    held = uow.documents.hold_invoices(sorted(set(numbers)))
    accounts = sorted({invoice.account_id for invoice in held} | set(account_ids))
    uow.accounts.preload(accounts)
    uow.payment_methods.preload(accounts)
    uow.journal.preload_balances(accounts)
    found = [invoice.number for invoice in held]
    uow.payments.read_for_invoices(found)
    uow.purchases.read_for_invoices(found)
    uow.subscriptions.preload(sorted({i.subscription_id for i in held if i.subscription_id}))
    return held


def _read_for_outcomes(uow: UnitOfWork, attempts: list[Payment]) -> None:
    """What recording these outcomes one by one reads, read at once when there are several: a
    batch's declines and backups then cost no query each."""
    if len(attempts) > 1:
        numbers = [a.invoice_number for a in attempts if a.invoice_number is not None]
        read_for_payments(uow, numbers, [attempt.account_id for attempt in attempts])


def record_outcome(uow: UnitOfWork, attempt: Payment, result: ChargeResult, now: datetime) -> None:
    _record_outcomes(uow, [(attempt, result)], now)


def _record_outcomes(
    uow: UnitOfWork, answered: list[tuple[Payment, ChargeResult]], now: datetime
) -> None:
    """Settle these attempts at once, then do what each outcome does, in order. An attempt
    settled already (by another process meanwhile) does nothing more."""
    settled = uow.payments.settle_all([_settling(a, r) for a, r in answered], now)
    answered = [(attempt, result) for attempt, result in answered if attempt.id in settled]
    _read_for_outcomes(uow, [attempt for attempt, _ in answered])
    for attempt, result in answered:
        _after_settled(uow, attempt, result, now)


def _settling(attempt: Payment, result: ChargeResult) -> Settling:
    status: str = result.status
    if attempt.kind == "refund" and status == "succeeded":
        status = "refunded"
    return Settling(
        attempt.id, status, result.failure_code, result.failure_message, result.reference
    )


def _after_settled(uow: UnitOfWork, attempt: Payment, result: ChargeResult, now: datetime) -> None:
    if attempt.kind == "refund":  # its journal entry came with its decision
        if result.status == "failed":
            _refund_refused(uow, attempt, now)
        return
    if result.status == "succeeded":
        _succeeded(uow, attempt, now)
    elif result.status == "failed":
        _failed(uow, attempt, result, now)


def _refund_refused(uow: UnitOfWork, attempt: Payment, now: datetime) -> None:
    outcome = after_refused_refund(
        attempt, balance_before=uow.journal.balance(attempt.account_id),
        currency=uow.accounts.currency_of(attempt.account_id),
    )  # fmt: skip
    entry = journal.refund_kept_on_balance(outcome.amount, now, attempt.reference)
    uow.journal.add(attempt.account_id, entry)
    notify(uow, attempt.account_id, now, outcome.event)


def _succeeded(uow: UnitOfWork, attempt: Payment, now: datetime) -> None:
    account = uow.accounts.get(attempt.account_id)
    invoice = purchase = None
    if attempt.invoice_number is not None:
        uow.documents.lock_invoice(attempt.invoice_number)
        invoice = uow.documents.invoice(attempt.invoice_number)
        purchase = uow.purchases.for_invoice(invoice.number)
    outcome = after_success(
        attempt, invoice, purchase_awaits=purchase is not None and purchase.state == "awaiting",
        balance_before=uow.journal.balance(account.id), currency=account.currency,
    )  # fmt: skip
    if isinstance(outcome, RechargeBalance):
        uow.journal.add(account.id, journal.top_up(outcome.amount, now, outcome.reference))
        if outcome.top_up:
            issue_top_up_receipt(uow, account, attempt, now)
        notify(uow, account.id, now, outcome.event)
        return
    if invoice is not None:
        _tell_if_backup_paid(uow, attempt, invoice.number, now)
    credit: Credit | None = None
    if outcome.apply_purchase and purchase is not None:
        from tierline.services.payments import apply_purchase

        credit = apply_purchase(uow, purchase, outcome.invoice, now)
    mark_paid(uow, account, outcome.invoice, attempt.payment_method or "", now, credit)
    reactivate_if_past_due(uow, outcome.invoice)


def reactivate_if_past_due(uow: UnitOfWork, invoice: Invoice) -> None:
    """Once its invoice is paid, a past-due subscription is active again."""
    if invoice.subscription_id is not None:
        _reactivate_if_past_due(uow, invoice.subscription_id)


def _reactivate_if_past_due(uow: UnitOfWork, subscription_id: str) -> None:
    sub = uow.subscriptions.get(subscription_id)
    if sub.status == "past_due":
        uow.subscriptions.save(reactivate(sub))


def _tell_if_backup_paid(uow: UnitOfWork, attempt: Payment, invoice: str, now: datetime) -> None:
    """The backup paid after the primary was declined in the same round: say so, once."""
    declined = [
        p
        for p in uow.payments.for_invoice(invoice)
        if p.status == "failed" and p.round == attempt.round
        and p.payment_method not in (None, attempt.payment_method)
    ]  # fmt: skip
    methods = {m.id: m for m in uow.payment_methods.for_account(attempt.account_id)}
    backup = methods.get(attempt.payment_method or "")
    primary = methods.get(declined[-1].payment_method or "") if declined else None
    if primary is None or backup is None:
        return
    notify(uow, attempt.account_id, now, PaidByBackup(
        invoice, attempt.amount, uow.accounts.currency_of(attempt.account_id), primary.id,
        primary.brand, primary.last4,
        backup.brand, backup.last4,
    ))  # fmt: skip


def _failed(uow: UnitOfWork, attempt: Payment, result: ChargeResult, now: datetime) -> None:
    method = next_method(uow, attempt)
    invoice = purchase = None
    if method is None and attempt.invoice_number is not None:
        uow.documents.lock_invoice(attempt.invoice_number)
        invoice = uow.documents.invoice(attempt.invoice_number)
        purchase = uow.purchases.for_invoice(invoice.number)
    outcome = after_failure(
        attempt, next_method=method, invoice=invoice,
        purchase_awaits=purchase is not None and purchase.state == "awaiting",
        code=result.failure_code, message=result.failure_message,
        currency=uow.accounts.currency_of(attempt.account_id),
    )  # fmt: skip
    match outcome:
        case TryNextMethod(method=next_one):
            new_attempt(
                uow, attempt.account_id, next_one, attempt.amount, now,
                reason=attempt.reason or "collection", invoice_number=attempt.invoice_number,
                reference=attempt.reference, round=attempt.round,
            )  # fmt: skip
        case VoidPurchase(invoice=void, event=event):
            assert purchase is not None
            void_purchase(uow, purchase, void, now)
            notify(uow, attempt.account_id, now, event)
        case LeaveOpen(invoice=still_open, event=event):
            notify(uow, attempt.account_id, now, event)
            counted = replace(still_open, attempts=still_open.attempts + 1)
            uow.documents.save_payment_state(counted)
        case FollowRetries(invoice=unpaid, event=event):
            notify(uow, attempt.account_id, now, event)
            collection_failed(uow, unpaid, now)
        case TopUpFailed(event=event):
            notify(uow, attempt.account_id, now, event)


def void_purchase(uow: UnitOfWork, purchase: Purchase, invoice: Invoice, now: datetime) -> None:
    """Every method failed: the invoice is void (its number stays taken), what it took from the
    balance goes back, and the purchase is never applied."""
    uow.documents.save_payment_state(replace(invoice, status="void", next_attempt_at=None))
    uow.journal.add(
        invoice.account_id,
        journal.invoice_voided(invoice.gross, now, invoice.number, invoice.tax),
    )
    if invoice.balance_applied:
        uow.journal.add(
            invoice.account_id,
            journal.balance_restored(invoice.balance_applied, now, invoice.number),
        )
    uow.purchases.set_state(purchase, "void")


def collection_failed(
    uow: UnitOfWork, invoice: Invoice, now: datetime, sub: Subscription | None = None
) -> Subscription | None:
    """A renewal (or an invoice paid later) that no method paid: the catalog's retries, then
    what the catalog says when they are spent. With `sub`, the subscription after is returned
    for the caller to save; without, it is loaded and saved here."""
    save = sub is None
    if sub is None and invoice.subscription_id is not None:
        sub = uow.subscriptions.get(invoice.subscription_id)
    rules = uow.catalog.renewal
    dunning = after_failed_round(
        invoice, sub, retry_days=rules.retry_days, when_retries_fail=rules.when_retries_fail,
        now=now,
    )  # fmt: skip
    uow.documents.save_payment_state(dunning.invoice)
    after = dunning.subscription
    if dunning.canceled and after is not None:
        notify(uow, invoice.account_id, now, SubscriptionCanceled(after.id, invoice.number))
    if save and after is not None and after != sub:
        return uow.subscriptions.save(after)
    return after
