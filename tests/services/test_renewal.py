"""What falls due with time: renewals, period roll-overs, retries, debits, through the test clock.

acme subscribes on Jan 31 10:00 to basic × 10 seats, 30.00 a month; periods are anchored on the
31st: Feb 28, Mar 31, Apr 30.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from service_builders import (
    FIRST_RENEWAL,
    MASTERCARD,
    START,
    TIMES_OUT,
    VISA,
    Billing,
    at_once,
    eur,
    held_at_commit,
    utc,
)
from sqlalchemy import Engine, event, text

from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.domain.documents import Payment
from tierline.domain.periods import Period
from tierline.domain.plan import NO_EDITION
from tierline.domain.renewal import RenewalInvoice
from tierline.domain.subscription import Subscription
from tierline.domain.values import replace
from tierline.payments.collector import Collector
from tierline.services import collection as collection_service
from tierline.services import renewal as renewal_service
from tierline.services.accounts import remove_payment_method
from tierline.services.attempts import new_attempt
from tierline.services.collection import STALE_AFTER, collect, send_handed
from tierline.services.renewal import (
    advance_clock,
    issue_due_batch,
    next_due_at,
    process_subscription,
    run_due,
)
from tierline.services.subscriptions import SetAutoRenew, Subscribe, set_auto_renew, subscribe
from tierline.store.payments import Settling
from tierline.store.uow import UnitOfWork

MARCH_31 = utc(2026, 3, 31, 10)
APRIL_30 = utc(2026, 4, 30, 10)


def failing_renewal(billing: Billing, **renewal: object) -> None:
    """acme pays its first period with its only card, which the sandbox then declines."""
    billing.install(renewal=renewal) if renewal else billing.install()
    billing.account(cards=(VISA,), backup=None)
    billing.subscribe("basic")
    billing.decline(VISA)


class TestRenewal:
    def test_periods_stay_anchored_on_the_31st(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic")

        billing.advance(utc(2026, 4, 1))

        renewals = billing.invoices()[1:]
        assert [(i.reason, i.issued_at, i.period_start) for i in renewals] == [
            ("renewal", FIRST_RENEWAL, FIRST_RENEWAL),
            ("renewal", MARCH_31, MARCH_31),
        ]
        assert [i.lines[0].period for i in renewals] == [
            Period(FIRST_RENEWAL, MARCH_31), Period(MARCH_31, APRIL_30),
        ]  # fmt: skip
        sub = billing.subscription()
        assert (sub.anchor, sub.period) == (START, Period(MARCH_31, APRIL_30))

    def test_a_renewal_is_invoiced_and_paid_at_the_period_end(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")

        billing.advance(FIRST_RENEWAL)

        renewal = billing.invoice("INV-2026-000002")
        assert (renewal.status, renewal.total, renewal.amount_paid) == (
            "paid", eur("30.00"), eur("30.00"),
        )  # fmt: skip
        assert [r.invoice_number for r in billing.receipts()] == [
            "INV-2026-000001", "INV-2026-000002",
        ]  # fmt: skip
        assert billing.subscription().status == "active"
        assert "subscription.renewed" in billing.messages()

    def test_a_renewals_receipt_repeats_its_invoices_lines(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")

        billing.advance(FIRST_RENEWAL)

        receipt = billing.receipts()[-1]
        assert receipt.lines == billing.invoice("INV-2026-000002").lines
        assert receipt.amount_paid == eur("30.00")

    def test_a_renewals_receipt_shows_its_invoices_lines_without_a_copy_of_them(
        self, billing: Billing, acme: Account, engine: Engine
    ) -> None:
        billing.subscribe("basic")

        billing.advance(FIRST_RENEWAL)

        receipt = billing.receipts()[-1]
        invoice = billing.invoice(receipt.invoice_number or "")
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT document_id, count(*) FROM document_lines GROUP BY document_id")
            ).all()
        lines_of = {document_id: count for document_id, count in rows}
        assert lines_of.get(receipt.id) is None
        assert lines_of[invoice.id] == len(invoice.lines) > 0
        assert receipt.lines == invoice.lines

    def test_nothing_is_renewed_before_the_period_ends(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")

        billing.advance(utc(2026, 2, 28, 9, 59))

        assert len(billing.invoices()) == 1
        assert billing.subscription().period.end == FIRST_RENEWAL

    def test_a_scheduled_downgrade_is_applied_at_renewal_with_the_new_price(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("pro", trial=False)
        billing.advance(utc(2026, 2, 10))
        billing.change(edition="basic")

        billing.advance(FIRST_RENEWAL)

        renewal = billing.invoices()[-1]
        assert [(line.description, line.amount) for line in renewal.lines] == [
            ("Basic × 10 seats", eur("30.00"))
        ]
        sub = billing.subscription()
        assert (sub.plan.edition, sub.pending, sub.period.start) == ("basic", None, FIRST_RENEWAL)
        assert "subscription.downgrade_applied" in billing.messages()

    def test_with_auto_renew_off_the_subscription_expires_at_period_end(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        set_auto_renew(SetAutoRenew("acme", False), uow=billing.uow, clock=billing.clock)

        billing.advance(utc(2026, 3, 1))

        sub = billing.subscription()
        assert (sub.status, sub.ended_at) == ("expired", FIRST_RENEWAL)
        assert len(billing.invoices()) == 1
        assert "subscription.expired" in billing.messages()

    def test_an_expired_subscription_has_nothing_more_due(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", auto_renew=False)

        billing.advance(utc(2026, 6, 1))

        assert billing.subscription().status == "expired"
        assert len(billing.invoices()) == 1
        assert next_due_at(uow=billing.uow) is None

    def test_lead_days_renew_that_many_days_before_the_period_ends(self, billing: Billing) -> None:
        billing.install(renewal={"lead_days": 3})
        billing.account()
        billing.subscribe("basic")

        billing.advance(utc(2026, 2, 25, 10))

        renewal = billing.invoices()[-1]
        assert (renewal.reason, renewal.issued_at, renewal.period_start, renewal.status) == (
            "renewal", utc(2026, 2, 25, 10), FIRST_RENEWAL, "paid",
        )  # fmt: skip
        sub = billing.subscription()
        assert sub.period == Period(START, FIRST_RENEWAL)
        billing.advance(FIRST_RENEWAL)
        assert billing.subscription().period == Period(FIRST_RENEWAL, MARCH_31)
        assert len(billing.invoices()) == 2

    def test_a_lead_renewal_is_not_issued_a_moment_too_early(self, billing: Billing) -> None:
        billing.install(renewal={"lead_days": 3})
        billing.account()
        billing.subscribe("basic")

        billing.advance(utc(2026, 2, 25, 9, 59))

        assert len(billing.invoices()) == 1

    def test_auto_renew_turned_off_after_an_early_renewal_serves_the_paid_period_first(
        self, billing: Billing
    ) -> None:
        billing.install(renewal={"lead_days": 3})
        billing.account()
        billing.subscribe("basic")
        billing.advance(utc(2026, 2, 26))  # Feb 28 – Mar 31 invoiced and paid on Feb 25

        set_auto_renew(SetAutoRenew("acme", False), uow=billing.uow, clock=billing.clock)
        billing.advance(utc(2026, 3, 30))

        sub = billing.subscription()
        assert (sub.status, sub.period) == ("active", Period(FIRST_RENEWAL, MARCH_31))
        billing.advance(utc(2026, 4, 1))
        sub = billing.subscription()
        assert (sub.status, sub.ended_at) == ("expired", MARCH_31)
        assert [i.status for i in billing.invoices()] == ["paid", "paid"]

    def test_periods_end_at_the_accounts_local_time_across_daylight_saving(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(timezone="Europe/Paris")
        billing.subscribe("basic")  # Jan 31 11:00 in Paris

        billing.advance(utc(2026, 4, 1))

        # Paris moves to summer time on Mar 29: 11:00 on Mar 31 is 09:00 UTC.
        assert [i.period_start for i in billing.invoices()] == [
            START, FIRST_RENEWAL, utc(2026, 3, 31, 9),
        ]  # fmt: skip
        assert billing.subscription().period.end == utc(2026, 4, 30, 9)

    def test_the_balance_pays_a_renewal_before_the_card(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.top_up("20.00")

        billing.advance(FIRST_RENEWAL)

        renewal = billing.invoices()[-1]
        assert (renewal.subtotal, renewal.balance_applied, renewal.total) == (
            eur("30.00"), eur("20.00"), eur("10.00"),
        )  # fmt: skip
        assert (renewal.status, renewal.amount_paid) == ("paid", eur("10.00"))
        receipt = billing.receipts()[-1]
        assert receipt.lines[:-1] == renewal.lines
        assert receipt.lines[-1].amount == eur("-20.00")
        assert billing.balance() == eur("0.00")
        assert billing.gateway.captured[-1][1] == eur("10.00")

    def test_a_catalog_that_keeps_the_balance_off_invoices_charges_the_card(
        self, billing: Billing
    ) -> None:
        billing.install(balance={"top_up_min": "10.00", "apply_to_invoices": False})
        billing.account()
        billing.subscribe("basic")
        billing.top_up("20.00")

        billing.advance(FIRST_RENEWAL)

        renewal = billing.invoices()[-1]
        assert (renewal.balance_applied, renewal.total) == (eur("0.00"), eur("30.00"))
        assert billing.balance() == eur("20.00")

    def test_a_balance_that_covers_the_renewal_leaves_the_card_alone(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.top_up("50.00")
        charges = len(billing.gateway.captured)

        billing.advance(FIRST_RENEWAL)

        renewal = billing.invoices()[-1]
        assert (renewal.balance_applied, renewal.total, renewal.status) == (
            eur("30.00"), eur("0.00"), "paid",
        )  # fmt: skip
        assert len(billing.gateway.captured) == charges
        assert billing.balance() == eur("20.00")
        assert billing.receipts()[-1].invoice_number == renewal.number

    def test_a_renewal_on_the_card_that_times_out_is_charged_exactly_once(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(TIMES_OUT,), backup=None)
        billing.subscribe("basic")

        billing.advance(FIRST_RENEWAL)

        assert [amount for _, amount, _ in billing.gateway.captured] == [
            eur("30.00"), eur("30.00"),
        ]  # fmt: skip
        assert len({key for _, _, key in billing.gateway.captured}) == 2
        assert [i.status for i in billing.invoices()] == ["paid", "paid"]
        assert billing.subscription().status == "active"

    def test_the_backup_card_pays_a_renewal_the_primary_declines(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.decline(VISA)

        billing.advance(FIRST_RENEWAL)

        assert billing.invoices()[-1].status == "paid"
        assert billing.receipts()[-1].payment_method == "backup"
        assert billing.gateway.captured[-1][0] == f"tok_{MASTERCARD}"
        assert billing.messages().count("payment.backup_used") == 1


class TestARunThatStopsAfterIssuing:
    """A billing batch commits its attempts already `sent`, for the run's own collector to send
    at once; a run that dies before sending them leaves them to the next collector, which asks
    about them once they are stale, and charges each once."""

    def test_its_attempts_are_left_alone_until_stale_then_charged_once(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.clock.set(FIRST_RENEWAL)
        charged = len(billing.gateway.captured)

        issued = issue_due_batch(uow=billing.uow.batch(), clock=billing.clock, hand_over=True)
        # The run dies here: nothing reached the provider.
        assert issued.handed is not None
        [attempt] = issued.handed.attempts
        assert [p.status for p in billing.payments() if p.id == attempt.id] == ["sent"]

        collect(uow=billing.uow, clock=billing.clock, gateway=billing.gateway)
        assert len(billing.gateway.captured) == charged  # another sender's, not stale yet

        billing.clock.set(FIRST_RENEWAL + STALE_AFTER + timedelta(seconds=1))
        for _ in range(2):
            collect(uow=billing.uow, clock=billing.clock, gateway=billing.gateway)

        assert [key for *_, key in billing.gateway.captured[charged:]] == [attempt.id]
        assert billing.invoices()[-1].status == "paid"


class TestPlainRenewalsInABatch:
    """Most subscriptions of a run are renewed and rolled over at once (`plain_renewal`); what
    is stored is what the steps store. Twin accounts are set up alike; the run takes one of each
    pair plainly, the other step by step, and what each holds after is compared."""

    def test_store_what_the_steps_store(
        self, billing: Billing, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        cases = {
            "card": dict(),
            "yearly": dict(cycle="year"),
            "packs": dict(addons={"external-users": 2}),
            "paris": dict(timezone="Europe/Paris"),
            "balance": dict(top_up="12.00"),
            "no-card": dict(remove="main"),
            "declined": dict(cards=(MASTERCARD,)),  # declined once subscribed
        }
        for twin in ("plain", "stepped"):
            for name, case in cases.items():
                account = f"{twin}-{name}"
                billing.account(
                    account, cards=case.get("cards", (VISA,)), backup=case.get("backup"),
                    timezone=case.get("timezone", "UTC"),
                )  # fmt: skip
                billing.subscribe(
                    "basic", case.get("cycle", "month"), account=account, trial=False,
                    addons=case.get("addons"),
                )  # fmt: skip
                if "top_up" in case:
                    billing.top_up(case["top_up"], account=account)
                if "remove" in case:
                    remove_payment_method(account, case["remove"], uow=billing.uow)
        billing.decline(MASTERCARD)
        decide_plainly = renewal_service.plain_renewal
        taken: list[str] = []

        def plain_for_one_twin(sub: Subscription, *args: Any) -> RenewalInvoice | None:
            if sub.account_id.startswith("stepped-"):
                return None
            renewal = decide_plainly(sub, *args)
            taken.extend([sub.account_id] if renewal else [])
            return renewal

        monkeypatch.setattr(renewal_service, "plain_renewal", plain_for_one_twin)

        billing.advance(utc(2027, 2, 1))

        assert sorted(set(taken)) == sorted(f"plain-{name}" for name in cases)
        for name in cases:
            plain, stepped = (stored(billing, f"{twin}-{name}") for twin in ("plain", "stepped"))
            assert plain == stepped, name


def stored(billing: Billing, account: str) -> str:
    """All an account holds, with what differs between twins by necessity (ids, document
    numbers, the account's id and name) written alike."""
    held = repr((billing.snapshot(account)[:-1], billing.messages(account)))
    held = re.sub(r"\b[a-z]+_[0-9a-f]{22}\b", "<id>", held)
    held = re.sub(r"\b[A-Z]+-\d{4}-\d{6}\b", "<number>", held)
    return held.replace(account, "<account>").replace(account.title(), "<name>")


class TestOutcomesRecordedAsASet:
    def test_an_attempt_settled_meanwhile_by_another_process_is_left_as_it_is(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.account("globex")
        billing.subscribe("basic", account="globex")
        billing.clock.set(FIRST_RENEWAL)
        issued = issue_due_batch(uow=billing.uow.batch(), clock=billing.clock, hand_over=True)
        assert issued.handed is not None
        first, second = sorted(issued.handed.attempts, key=lambda p: p.account_id)
        with billing.uow as other:  # another collector recorded a decline first
            declined = Settling(first.id, "failed", failure_code="declined")
            other.payments.settle_all([declined], billing.clock.now())
            other.commit()

        with billing.uow.batch() as batch:
            settled = batch.payments.settle_succeeded(
                [(first.id, first.id), (second.id, second.id)], billing.clock.now()
            )
            batch.commit()

        assert settled == {second.id}
        statuses = {p.id: p.status for p in billing.payments() + billing.payments("globex")}
        assert (statuses[first.id], statuses[second.id]) == ("failed", "succeeded")


class TestOutcomesRecordedOneByOneReadAtOnce:
    """Declines, backups and retries of a batch are recorded one by one, from what they read at
    once (`read_for_payments`): what is stored is what reading each as needed stores. Twin
    accounts are set up alike; their outcomes are recorded in the same groups, one twin's read
    at once, the other's as each needs it. A retry day's invoices are attempted so too."""

    def test_store_what_reading_each_as_needed_stores(
        self, billing: Billing, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        cases = {
            "paid": dict(cards=(VISA,), backup=None),
            "declined": dict(cards=(MASTERCARD,), backup=None),
            "backup-pays": dict(cards=(MASTERCARD,), backup=VISA),
            "backup-declined": dict(cards=(MASTERCARD,), backup=MASTERCARD),
            "retried": dict(cards=(MASTERCARD,), backup=None),
        }
        for twin in ("together", "alone"):
            for name, case in cases.items():
                account = f"{twin}-{name}"
                billing.account(account, cards=case["cards"], backup=case["backup"])
                billing.subscribe("basic", account=account, trial=False)
        billing.decline(MASTERCARD)
        read_at_once = collection_service._read_for_outcomes
        read: list[str] = []

        def for_one_twin(uow: UnitOfWork, attempts: list[Payment]) -> None:
            together = [a for a in attempts if a.account_id.startswith("together-")]
            read.extend(a.account_id for a in together)
            read_at_once(uow, together)

        monkeypatch.setattr(collection_service, "_read_for_outcomes", for_one_twin)

        billing.advance(FIRST_RENEWAL)
        for twin in ("together", "alone"):  # a new card pays the first retry
            billing.add_card(VISA, id="new", account=f"{twin}-retried", primary=True)
        billing.advance(utc(2026, 3, 2, 10))

        assert set(read) == {f"together-{name}" for name in cases if name != "paid"}
        assert billing.subscription("together-retried").status == "active"
        assert billing.messages("together-backup-pays").count("payment.backup_used") == 1
        for name in cases:
            together, alone = (stored(billing, f"{twin}-{name}") for twin in ("together", "alone"))
            assert together == alone, name

    def test_recording_declines_takes_no_more_statements_for_more_of_them(
        self, billing: Billing, engine: Engine
    ) -> None:
        renewed = declined_in_two_groups(billing)

        def statements_to_record(size: int) -> int:
            billing.clock.set(renewed[size])
            issued = issue_due_batch(uow=billing.uow.batch(), clock=billing.clock, hand_over=True)
            assert issued.handed is not None and len(issued.handed.attempts) == size
            with Collector(billing.gateway) as collector:
                sent = send_handed(collector, issued.handed)
                executed = statements(engine, lambda: collect(
                    uow=billing.uow, clock=billing.clock, gateway=billing.gateway,
                    collector=collector, sent=sent,
                ))  # fmt: skip
            statuses = {billing.subscription(f"of{size}-{i}").status for i in range(size)}
            assert statuses == {"past_due"}
            return executed

        two = statements_to_record(2)
        assert statements_to_record(6) == two

    def test_a_retry_day_attempts_its_invoices_in_no_more_statements_for_more_of_them(
        self, billing: Billing, engine: Engine
    ) -> None:
        renewed = declined_in_two_groups(billing)

        def statements_to_attempt(size: int) -> int:
            billing.advance(renewed[size])
            billing.clock.set(renewed[size] + timedelta(days=1))  # the first retry day
            with billing.uow.reading() as reading:
                numbers = reading.documents.due_for_attempt(billing.clock.now(), 100)
            assert len(numbers) == size
            executed = statements(engine, lambda: renewal_service.attempt_due_invoices(
                numbers, uow=billing.uow, clock=billing.clock,
            ))  # fmt: skip
            retries = [
                p for i in range(size) for p in billing.payments(f"of{size}-{i}")
                if p.status == "created"
            ]  # fmt: skip
            assert len(retries) == size
            return executed

        two = statements_to_attempt(2)
        assert statements_to_attempt(6) == two


class TestWhatIsReadAtOnce:
    """A repository answers from what it read at once until it writes the row itself; then it
    reads the row again."""

    def test_an_invoice_held_is_read_again_once_saved(self, billing: Billing) -> None:
        failing_renewal(billing)
        billing.advance(FIRST_RENEWAL)
        number = billing.invoices()[-1].number
        with billing.uow.batch() as batch:
            (held,) = batch.documents.hold_invoices([number])
            assert batch.documents.invoice(number) is held
            batch.documents.save_payment_state(replace(held, attempts=held.attempts + 1))
            assert batch.documents.invoice(number).attempts == held.attempts + 1

    def test_an_invoices_attempts_are_read_again_once_one_is_added(self, billing: Billing) -> None:
        failing_renewal(billing)
        billing.advance(FIRST_RENEWAL)
        invoice = billing.invoices()[-1]
        with billing.uow.batch() as batch:
            batch.payments.read_for_invoices([invoice.number])
            before = batch.payments.for_invoice(invoice.number)
            method = batch.payment_methods.for_account("acme")[0]
            added = new_attempt(
                batch, "acme", method, invoice.amount_due, billing.clock.now(),
                reason="collection", invoice_number=invoice.number,
            )  # fmt: skip
            after = batch.payments.for_invoice(invoice.number)
        assert [p.id for p in after] == [p.id for p in before] + [added.id]

    def test_balances_read_before_the_hold_are_read_again_when_it_is_taken(
        self, billing: Billing, acme: Account, engine: Engine
    ) -> None:
        if engine.dialect.name != "postgresql":
            pytest.skip("SQLite's one writer holds the balances already: none it reads is stale")
        billing.subscribe("basic")
        billing.top_up("20.00")
        with UnitOfWork(engine).batch() as batch:
            assert batch.journal.preload_balances(["acme"]) == {"acme": eur("20.00")}
            billing.top_up("15.00")  # committed meanwhile, by another unit of work
            assert batch.journal.balance("acme") == eur("20.00")
            batch.journal.hold_balances()
            assert batch.journal.balance("acme") == eur("35.00")


def declined_in_two_groups(billing: Billing) -> dict[int, datetime]:
    """Two accounts and six, each with a card the sandbox then declines; the two renew at the
    first renewal, the six ten days later. When each group renews."""
    billing.install()
    subscribed = {2: START, 6: START + timedelta(days=10)}
    for size, start in subscribed.items():
        billing.clock.set(start)
        for i in range(size):
            billing.account(f"of{size}-{i}", cards=(MASTERCARD,), backup=None)
            billing.subscribe("basic", account=f"of{size}-{i}", trial=False)
    billing.decline(MASTERCARD)
    return {size: start + timedelta(days=28) for size, start in subscribed.items()}


def statements(engine: Engine, work: Callable[[], object]) -> int:
    """How many statements `work` sends to the database."""
    sent: list[object] = []

    def count(*statement: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)


class TestABatchThatWaitsForItsOutcomes:
    """Under a catalog whose first failure cancels at once, a batch says so: its attempts are
    then collected before the next batch is issued, which must see their outcomes."""

    def test_without_retries_then_cancel_a_batch_waits_for_its_outcomes(
        self, billing: Billing
    ) -> None:
        failing_renewal(billing, retry_days=[])
        billing.clock.set(FIRST_RENEWAL)

        issued = issue_due_batch(uow=billing.uow.batch(), clock=billing.clock)

        assert (issued.settled, issued.cancels_at_once) == (1, True)

    def test_with_retries_a_batch_does_not_wait(self, billing: Billing) -> None:
        failing_renewal(billing)
        billing.clock.set(FIRST_RENEWAL)

        issued = issue_due_batch(uow=billing.uow.batch(), clock=billing.clock)

        assert (issued.settled, issued.cancels_at_once) == (1, False)


def renewals_due_on_two_accounts(billing: Billing) -> None:
    """acme and zeta each have basic to renew at the first renewal, and the clock is there."""
    billing.account("zeta")
    for account in ("acme", "zeta"):
        billing.subscribe("basic", trial=False, account=account)
    billing.clock.set(FIRST_RENEWAL)


class TestABatchWrittenWhileTheNextIsDecided:
    """On PostgreSQL the run writes a batch in a thread of its own while it claims and decides
    the next; on SQLite, whose next batch would wait for this one's write lock, one after the
    other."""

    def test_the_next_batch_is_decided_while_the_last_is_written_on_postgresql_only(
        self, billing: Billing, acme: Account, engine: Engine, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        renewals_due_on_two_accounts(billing)
        beside = engine.dialect.name == "postgresql"
        order: list[str] = []
        second_decided = threading.Event()
        waited: list[bool] = []  # whether the first write saw the next batch decided meanwhile
        decide, write = renewal_service.decide_due_batch, renewal_service.DecidedBatch.issue

        def deciding(**kwargs: Any) -> renewal_service.DecidedBatch | None:
            order.append("decide")
            if order.count("decide") == 2:
                second_decided.set()
            return decide(**kwargs)

        def writing(batch: renewal_service.DecidedBatch) -> renewal_service.Issued:
            if beside and "write" not in order:
                waited.append(second_decided.wait(10))
            order.append("write")
            return write(batch)

        monkeypatch.setattr(renewal_service, "decide_due_batch", deciding)
        monkeypatch.setattr(renewal_service.DecidedBatch, "issue", writing)
        settled = run_due(uow=billing.uow, clock=billing.clock, gateway=billing.gateway, batch=1)

        assert settled == 2
        assert waited == ([True] if beside else [])
        first = ["decide", "decide", "write"] if beside else ["decide", "write", "decide"]
        assert order[:3] == first
        paid = [i for a in ("acme", "zeta") for i in billing.invoices(a) if i.reason == "renewal"]
        assert [i.status for i in paid] == ["paid", "paid"]


class TestRunProgress:
    def test_a_batch_is_counted_once_its_payments_are_recorded(
        self, billing: Billing, acme: Account
    ) -> None:
        renewals_due_on_two_accounts(billing)
        told: list[tuple[int, int]] = []  # each count told, with the renewals paid by then

        def paid_renewals() -> int:
            return sum(
                1 for a in ("acme", "zeta") for i in billing.invoices(a)
                if i.reason == "renewal" and i.status == "paid"
            )  # fmt: skip

        def progress(settled: int) -> None:
            told.append((settled, paid_renewals()))

        run_due(
            uow=billing.uow, clock=billing.clock, gateway=billing.gateway, batch=1,
            progress=progress,
        )  # fmt: skip

        assert [settled for settled, _ in told] == [1, 1]
        counted = 0
        for settled, paid in told:
            counted += settled
            assert paid >= counted  # never told before its renewal is paid


class TestFailedRenewal:
    def test_a_declined_renewal_makes_the_subscription_past_due(self, billing: Billing) -> None:
        failing_renewal(billing)

        billing.advance(FIRST_RENEWAL)

        sub = billing.subscription()
        assert (sub.status, sub.period.start) == ("past_due", FIRST_RENEWAL)
        renewal = billing.invoices()[-1]
        assert (renewal.status, renewal.attempts, renewal.amount_paid) == (
            "open", 1, eur("0.00"),
        )  # fmt: skip
        assert renewal.next_attempt_at == utc(2026, 3, 1, 10)
        assert billing.journal()[-1].kind == "invoice"

    def test_payment_is_retried_on_each_retry_day(self, billing: Billing) -> None:
        failing_renewal(billing)

        billing.advance(utc(2026, 3, 4, 10))

        attempts = [p.at for p in billing.payments() if p.status == "failed"]
        assert attempts == [FIRST_RENEWAL, utc(2026, 3, 1, 10), utc(2026, 3, 3, 10)]
        renewal = billing.invoices()[-1]
        assert (renewal.attempts, renewal.next_attempt_at) == (3, utc(2026, 3, 5, 10))
        assert billing.subscription().status == "past_due"

    def test_when_retries_fail_the_subscription_is_canceled_and_the_invoice_uncollectible(
        self, billing: Billing
    ) -> None:
        failing_renewal(billing, when_retries_fail="cancel")

        billing.advance(utc(2026, 4, 1))

        sub = billing.subscription()
        assert (sub.status, sub.ended_at, sub.auto_renew) == (
            "canceled", utc(2026, 3, 5, 10), False,
        )  # fmt: skip
        renewal = billing.invoices()[-1]
        assert (renewal.status, renewal.next_attempt_at) == ("uncollectible", None)
        assert len([p for p in billing.payments() if p.status == "failed"]) == 4
        assert len(billing.invoices()) == 2
        assert "subscription.canceled" in billing.messages()

    def test_when_retries_fail_with_past_due_the_subscription_stays_past_due(
        self, billing: Billing
    ) -> None:
        failing_renewal(billing, when_retries_fail="past_due")

        billing.advance(utc(2026, 3, 10))

        sub = billing.subscription()
        assert sub.status == "past_due"
        renewal = billing.invoices()[-1]
        assert (renewal.status, renewal.attempts, renewal.next_attempt_at) == ("open", 4, None)

    def test_a_retry_that_succeeds_makes_the_subscription_active_again(
        self, billing: Billing
    ) -> None:
        failing_renewal(billing)
        billing.advance(FIRST_RENEWAL)
        billing.add_card(MASTERCARD, id="new", primary=True)

        billing.advance(utc(2026, 3, 1, 10))

        renewal = billing.invoices()[-1]
        assert (renewal.status, renewal.amount_paid, renewal.next_attempt_at) == (
            "paid", eur("30.00"), None,
        )  # fmt: skip
        assert billing.subscription().status == "active"
        assert billing.receipts()[-1].payment_method == "new"

    def test_without_retry_days_a_failed_renewal_cancels_at_once(self, billing: Billing) -> None:
        failing_renewal(billing, retry_days=[])

        billing.advance(utc(2026, 3, 10))

        assert billing.subscription().status == "canceled"
        assert billing.invoices()[-1].status == "uncollectible"

    def test_a_trial_that_cannot_be_paid_becomes_past_due(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(), backup=None)
        billing.subscribe("pro", quantity=5)

        billing.advance(utc(2026, 2, 14, 10))

        sub = billing.subscription()
        assert sub.status == "past_due"
        invoice = billing.invoices()[-1]
        assert (invoice.reason, invoice.status, invoice.total) == (
            "trial_end", "open", eur("30.00"),
        )  # fmt: skip


class TestSendInvoice:
    def test_an_invoice_sent_with_a_delay_is_collected_that_many_days_after_issue(
        self, billing: Billing
    ) -> None:
        billing.install(collection={"mode": "send_invoice", "delay_days": 3})
        billing.account()
        billing.subscribe("basic")

        [invoice] = billing.invoices()
        assert (invoice.status, invoice.due_at) == ("open", utc(2026, 2, 3, 10))
        assert billing.gateway.captured == []
        billing.advance(utc(2026, 2, 3, 9, 59))
        assert billing.invoices()[0].status == "open"
        billing.advance(utc(2026, 2, 3, 10))

        invoice = billing.invoices()[0]
        assert (invoice.status, invoice.paid_at) == ("paid", utc(2026, 2, 3, 10))
        [payment] = billing.payments()
        assert (payment.at, payment.amount) == (utc(2026, 2, 3, 10), eur("30.00"))

    def test_a_renewal_sent_with_a_delay_is_collected_after_the_delay(
        self, billing: Billing
    ) -> None:
        billing.install(collection={"mode": "send_invoice", "delay_days": 3})
        billing.account()
        billing.subscribe("basic")

        billing.advance(utc(2026, 3, 3, 10))

        renewal = billing.invoices()[-1]
        assert (renewal.issued_at, renewal.paid_at) == (FIRST_RENEWAL, utc(2026, 3, 3, 10))
        assert billing.subscription().status == "active"


class TestRunDue:
    def test_running_the_billing_again_issues_nothing_new(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.advance(utc(2026, 3, 1))
        before = billing.snapshot()
        captured = list(billing.gateway.captured)

        assert run_due(uow=billing.uow, clock=billing.clock, gateway=billing.gateway) == 0
        billing.advance(utc(2026, 3, 1))

        assert billing.snapshot() == before
        assert billing.gateway.captured == captured

    def test_processing_a_subscription_twice_issues_nothing_new(
        self, billing: Billing, acme: Account
    ) -> None:
        sub = billing.subscribe("basic")
        billing.clock.set(utc(2026, 3, 1))
        process_subscription(sub.id, uow=billing.uow, clock=billing.clock, gateway=billing.gateway)
        before = billing.snapshot()

        process_subscription(sub.id, uow=billing.uow, clock=billing.clock, gateway=billing.gateway)

        assert billing.snapshot()[1:] == before[1:]
        assert len(billing.invoices()) == 2

    def test_a_jump_over_several_periods_renews_each_in_order(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.clock.set(utc(2026, 5, 1))

        run_due(uow=billing.uow, clock=billing.clock, gateway=billing.gateway)

        invoices = billing.invoices()
        assert [i.period_start for i in invoices[1:]] == [FIRST_RENEWAL, MARCH_31, APRIL_30]
        assert [i.number for i in invoices] == [f"INV-2026-00000{n}" for n in range(1, 5)]
        assert billing.subscription().period.start == APRIL_30

    def test_advancing_the_clock_runs_what_falls_due_in_time_order(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.account("zeta")
        billing.advance(utc(2026, 2, 10))
        billing.subscribe("pro", account="zeta", trial=False)

        advance_clock(
            utc(2026, 3, 15), uow=billing.uow, clock=billing.clock, gateway=billing.gateway
        )

        issued = sorted(
            (i.issued_at, i.number) for a in ("acme", "zeta") for i in billing.invoices(a)
        )
        assert issued == [
            (START, "INV-2026-000001"),
            (utc(2026, 2, 10), "INV-2026-000002"),
            (FIRST_RENEWAL, "INV-2026-000003"),
            (utc(2026, 3, 10), "INV-2026-000004"),
        ]
        assert billing.clock.now() == utc(2026, 3, 15)

    @pytest.mark.parametrize("lead_days", [0, 3])
    def test_every_period_is_invoiced_once_however_the_clock_moves(
        self, billing: Billing, lead_days: int
    ) -> None:
        billing.install(renewal={"lead_days": lead_days})
        billing.account()
        billing.subscribe("basic")

        for instant in [
            utc(2026, 2, 1), utc(2026, 2, 25, 9), utc(2026, 2, 25, 10), utc(2026, 2, 25, 10),
            utc(2026, 2, 28, 9), FIRST_RENEWAL, FIRST_RENEWAL, utc(2026, 3, 28, 10),
            utc(2026, 3, 30), MARCH_31, utc(2026, 4, 1),
        ]:  # fmt: skip
            billing.advance(instant)

        assert [i.period_start for i in billing.invoices()] == [START, FIRST_RENEWAL, MARCH_31]
        assert billing.subscription().period == Period(MARCH_31, APRIL_30)


class TestBatchesAtOnce:
    """On PostgreSQL several runs issue at once, each batch claiming what the others did not
    lock; two subscriptions of one account may fall in two batches."""

    def test_a_balance_two_batches_find_at_once_is_applied_once(
        self, billing: Billing, acme: Account, engine: Engine
    ) -> None:
        if engine.dialect.name != "postgresql":
            pytest.skip("SQLite takes one writer at a time: batches never run at once")
        billing.subscribe("basic", trial=False)  # 30.00 a month
        subscribe(
            Subscribe("acme", NO_EDITION, "month", addons={"external-users": 1}),
            uow=billing.uow, clock=billing.clock, gateway=billing.gateway,
        )  # fmt: skip  # 9.00 a month, renewed with the edition
        billing.top_up("20.00")
        billing.clock.set(FIRST_RENEWAL)

        def issue(uow: UnitOfWork) -> int:
            return issue_due_batch(uow=uow, clock=billing.clock, limit=1).settled

        one, other = at_once(UnitOfWork(engine).batch(), issue, UnitOfWork(engine).batch(), issue)
        assert one() == other() == 1

        renewals = [i for i in billing.invoices() if i.issued_at == FIRST_RENEWAL]
        assert len(renewals) == 2
        assert sum(i.balance_applied for i in renewals) == eur("20.00")
        assert billing.balance() == eur("0.00")

    def test_a_batch_numbers_its_invoices_as_it_writes_them_so_another_issues_meanwhile(
        self, billing: Billing, acme: Account, engine: Engine
    ) -> None:
        if engine.dialect.name != "postgresql":
            pytest.skip("SQLite takes one writer at a time: batches never run at once")
        billing.account("zeta")
        for account in ("acme", "zeta"):
            billing.subscribe("basic", trial=False, account=account)  # INV-…-000001 and 2
        billing.clock.set(FIRST_RENEWAL)
        first = UnitOfWork(engine).batch()
        at_commit, go = held_at_commit(first)
        with ThreadPoolExecutor(1) as pool:
            one = pool.submit(
                issue_due_batch, uow=first, clock=billing.clock, limit=1, hand_over=True
            )
            assert at_commit.wait(10)
            # The first batch has decided its renewal, not written it: the second waits for
            # nothing and takes the next number.
            other = issue_due_batch(
                uow=UnitOfWork(engine).batch(), clock=billing.clock, limit=1, hand_over=True
            )
            go.set()
            issued = [other, one.result()]

        numbers = ["INV-2026-000003", "INV-2026-000004"]
        for batch, number in zip(issued, numbers, strict=True):
            assert batch.handed is not None
            [attempt] = batch.handed.attempts
            account = attempt.account_id
            assert attempt.invoice_number == number
            assert [p.invoice_number for p in billing.payments(account)][-1] == number
            assert billing.invoices(account)[-1].number == number
            assert billing.journal(account)[-1].reference == number
            sub = billing.subscription(account)
            assert {c.invoice for c in sub.charges} == {number}
            with billing.uow:
                finalized = [
                    m["payload"]["invoice"]
                    for m in billing.uow.outbox.for_account(account)
                    if m["kind"] == "invoice.finalized"
                ]
            assert finalized[-1] == number

    def test_a_number_not_given_yet_is_never_sent_to_the_database(
        self, billing: Billing, acme: Account, engine: Engine
    ) -> None:
        if engine.dialect.name != "postgresql":
            pytest.skip("SQLite batches number their invoices at once")
        with UnitOfWork(engine).batch() as batch:
            number = batch.sequences.next_number("INV", 2026)
            assert "INV-" not in number
            with pytest.raises(RuntimeError, match="provisional document number"):
                batch.payments.for_invoice(number)
