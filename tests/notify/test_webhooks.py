"""Webhooks out: what the dispatcher sends, how it signs it, and how it retries.

Runs on every store (SQLite, and PostgreSQL when configured). Endpoints are a real HTTP server on
127.0.0.1 (`Receiver`) or, where only the outcome matters, a scripted `Sender`. Receivers check
signatures with the `standardwebhooks` library, as an operator's code would.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from standardwebhooks import WebhookVerificationError
from typer.testing import CliRunner

from notify.receiver import Receiver, ScriptedSender
from tierline.catalog import parse_catalog
from tierline.cli import app
from tierline.clock import TestClock
from tierline.domain.webhooks import Delivery, RetryPolicy, WebhookEndpoint
from tierline.notify import Dispatcher, HttpxSender, Sender, new_secret
from tierline.payments import SandboxGateway
from tierline.runtime import Runtime
from tierline.services.accounts import (
    AddPaymentMethod,
    CreateAccount,
    add_payment_method,
    create_account,
)
from tierline.services.catalog import install_catalog
from tierline.services.subscriptions import Subscribe, subscribe
from tierline.services.webhooks import create_endpoint, delete_endpoint
from tierline.store.migrate import migrate
from tierline.store.tables import outbox, webhook_endpoints
from tierline.store.uow import create_engine

VISA = "4242424242424242"
CATALOG: dict[str, Any] = {
    "currency": "EUR",
    "quantity_unit": "seat",
    "cycles": [{"code": "month", "name": "Monthly", "months": 1}],
    "editions": [
        {"code": "pro", "name": "Pro", "rank": 1, "trial_days": 14,
         "quantity": {"min": 1, "max": 50, "default": 5},
         "prices": [{"cycle": "month", "per_unit": "10.00"}]},
    ],
}  # fmt: skip


@pytest.fixture
def runtime(engine: Any, clock: TestClock, gateway: SandboxGateway) -> Runtime:
    """A catalog and the account `acme`, on the test's store and clock."""
    rt = Runtime(engine, clock, gateway)
    install_catalog(parse_catalog(CATALOG), uow=rt.uow(), clock=clock)
    create_account(CreateAccount(name="Acme", id="acme"), uow=rt.uow(), clock=clock)
    return rt


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as endpoint:
        yield endpoint


def an_endpoint(rt: Runtime, url: str, *event_types: str) -> WebhookEndpoint:
    return create_endpoint(url, event_types, uow=rt.uow(), clock=rt.clock)


def an_event(rt: Runtime, kind: str = "invoice.paid", **facts: Any) -> int:
    """An outbox event for `acme`, now; its id."""
    with rt.uow() as uow:
        uow.outbox.add("acme", rt.clock.now(), kind, facts)
        uow.flush()
        event_id = int(uow.connection.execute(select(func.max(outbox.c.id))).scalar_one())
        uow.commit()
    return event_id


def a_dispatcher(sender: Sender | None = None, **options: Any) -> Dispatcher:
    return Dispatcher(sender=sender or HttpxSender(timeout=5), **options)


def deliveries(rt: Runtime, endpoint: WebhookEndpoint | None = None) -> list[Delivery]:
    with rt.uow() as uow:
        return uow.webhooks.deliveries(endpoint_id=None if endpoint is None else endpoint.id)


def subscribe_acme(rt: Runtime, *, trial: bool = False) -> None:
    add_payment_method(
        AddPaymentMethod("acme", VISA), uow=rt.uow(), clock=rt.clock, gateway=rt.gateway
    )
    subscribe(
        Subscribe("acme", "pro", "month", quantity=5, trial=trial),
        uow=rt.uow(),
        clock=rt.clock,
        gateway=rt.gateway,
    )


def postgresql_only(rt: Runtime) -> None:
    if rt.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time")


class TestSigning:
    def test_a_receiver_verifies_each_request_with_the_endpoint_secret(
        self, runtime: Runtime, receiver: Receiver
    ) -> None:
        endpoint = an_endpoint(runtime, receiver.url)
        event_id = an_event(
            runtime, "invoice.paid", invoice="INV-1", amount="10.00", currency="USD"
        )

        assert a_dispatcher().dispatch_once(runtime) == 1

        [request] = receiver.requests
        assert request.url == "/hooks"
        assert request.headers["content-type"] == "application/json"
        assert request.message_id == f"evt_{event_id}"
        assert request.verify(endpoint.secret) == {
            "type": "invoice.paid",
            "timestamp": "2026-01-31T10:00:00Z",
            "data": {
                "account_id": "acme",
                "text": "Invoice INV-1 paid: 10.00 USD.",
                "invoice": "INV-1",
                "amount": "10.00",
                "currency": "USD",
            },
        }

    def test_a_tampered_body_fails_verification(self, runtime: Runtime, receiver: Receiver) -> None:
        endpoint = an_endpoint(runtime, receiver.url)
        an_event(runtime, amount="10.00")
        a_dispatcher().dispatch_once(runtime)
        [request] = receiver.requests

        tampered = request.body.replace(b'"10.00"', b'"0.01"')

        assert tampered != request.body
        with pytest.raises(WebhookVerificationError):
            type(request)(request.url, request.headers, tampered).verify(endpoint.secret)

    def test_another_endpoints_secret_fails_verification(
        self, runtime: Runtime, receiver: Receiver
    ) -> None:
        an_endpoint(runtime, receiver.url)
        an_event(runtime)
        a_dispatcher().dispatch_once(runtime)

        with pytest.raises(WebhookVerificationError):
            receiver.requests[0].verify(new_secret())

    def test_a_secret_is_whsec_and_the_base64_of_24_random_bytes(self) -> None:
        secret = new_secret()

        assert secret.startswith("whsec_")
        assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 24
        assert new_secret() != secret


class TestWhatIsSent:
    def test_events_written_by_the_services_are_sent_as_they_happened(
        self, runtime: Runtime, receiver: Receiver
    ) -> None:
        endpoint = an_endpoint(runtime, receiver.url)
        subscribe_acme(runtime)

        a_dispatcher().dispatch_once(runtime)

        bodies = [request.verify(endpoint.secret) for request in receiver.requests]
        with runtime.uow() as uow:
            written = uow.outbox.for_account("acme")
        assert sorted(b["type"] for b in bodies) == sorted(m["kind"] for m in written)
        created = next(b for b in bodies if b["type"] == "subscription.created")
        assert created["data"]["account_id"] == "acme"
        assert created["data"]["edition"] == "pro"
        assert created["data"]["text"].startswith("Your Pro license is active")

    def test_events_from_before_an_endpoint_was_registered_are_not_sent(
        self, runtime: Runtime, receiver: Receiver
    ) -> None:
        an_event(runtime, "invoice.paid")
        a_dispatcher().dispatch_once(runtime)  # no endpoint yet
        an_event(runtime, "invoice.paid")
        an_endpoint(runtime, receiver.url)
        after = an_event(runtime, "invoice.paid")

        a_dispatcher().dispatch_once(runtime)

        assert [r.message_id for r in receiver.requests] == [f"evt_{after}"]

    def test_an_endpoint_receives_only_the_event_types_it_asked_for(
        self, runtime: Runtime, receiver: Receiver
    ) -> None:
        an_endpoint(runtime, receiver.url, "invoice.paid", "subscription.canceled")
        an_event(runtime, "invoice.finalized")
        paid = an_event(runtime, "invoice.paid")
        an_event(runtime, "subscription.created")
        canceled = an_event(runtime, "subscription.canceled")

        a_dispatcher().dispatch_once(runtime)

        assert sorted(r.message_id for r in receiver.requests) == [
            f"evt_{paid}",
            f"evt_{canceled}",
        ]

    def test_an_endpoint_with_no_event_types_receives_every_event(
        self, runtime: Runtime, receiver: Receiver
    ) -> None:
        an_endpoint(runtime, receiver.url)
        kinds = ["invoice.finalized", "invoice.paid", "subscription.created"]
        for kind in kinds:
            an_event(runtime, kind)

        assert a_dispatcher().dispatch_once(runtime) == 3
        assert sorted(r.json["type"] for r in receiver.requests) == kinds

    def test_every_endpoint_gets_the_event_signed_with_its_own_secret(
        self, runtime: Runtime
    ) -> None:
        with Receiver() as first, Receiver() as second:
            one = an_endpoint(runtime, first.url)
            two = an_endpoint(runtime, second.url)
            an_event(runtime)

            assert a_dispatcher().dispatch_once(runtime) == 2

        assert first.requests[0].verify(one.secret) == second.requests[0].verify(two.secret)
        with pytest.raises(WebhookVerificationError):
            first.requests[0].verify(two.secret)

    def test_a_delivered_event_is_not_sent_again_by_later_runs(
        self, runtime: Runtime, receiver: Receiver, clock: TestClock
    ) -> None:
        an_endpoint(runtime, receiver.url)
        an_event(runtime)
        dispatcher = a_dispatcher()

        assert dispatcher.dispatch_once(runtime) == 1
        assert dispatcher.dispatch_once(runtime) == 0
        clock.set(clock.now() + timedelta(days=1))
        assert dispatcher.dispatch_once(runtime) == 0

        assert len(receiver.requests) == 1

    def test_a_deleted_endpoint_is_sent_nothing_more(
        self, runtime: Runtime, clock: TestClock
    ) -> None:
        sender = ScriptedSender([500])
        endpoint = an_endpoint(runtime, "https://hooks.example.test/")
        an_event(runtime)
        a_dispatcher(sender).dispatch_once(runtime)

        delete_endpoint(endpoint.id, uow=runtime.uow())
        an_event(runtime)
        clock.set(clock.now() + timedelta(hours=1))
        a_dispatcher(sender).dispatch_once(runtime)

        assert len(sender.requests) == 1
        assert [d.status for d in deliveries(runtime)] == ["canceled"]


class TestRetries:
    def test_an_endpoint_that_answers_500_gets_the_event_again_after_the_backoff(
        self, runtime: Runtime, clock: TestClock
    ) -> None:
        with Receiver(statuses=[500, 200]) as receiver:
            endpoint = an_endpoint(runtime, receiver.url)
            event_id = an_event(runtime)
            dispatcher = a_dispatcher()

            assert dispatcher.dispatch_once(runtime) == 0
            [failed] = deliveries(runtime)
            assert (failed.status, failed.attempts, failed.last_status_code) == ("pending", 1, 500)
            assert failed.next_attempt_at == clock.now() + timedelta(seconds=30)

            clock.set(clock.now() + timedelta(seconds=29))
            assert dispatcher.dispatch_once(runtime) == 0  # not due yet
            assert len(receiver.requests) == 1

            clock.set(clock.now() + timedelta(seconds=1))
            assert dispatcher.dispatch_once(runtime) == 1

        [delivered] = deliveries(runtime)
        assert (delivered.status, delivered.attempts, delivered.last_status_code) == (
            "delivered",
            2,
            200,
        )
        assert delivered.delivered_at == clock.now()
        assert delivered.next_attempt_at is None
        assert [r.message_id for r in receiver.requests] == [f"evt_{event_id}"] * 2
        for request in receiver.requests:
            request.verify(endpoint.secret)

    def test_an_endpoint_that_cannot_be_reached_loses_nothing(
        self, runtime: Runtime, clock: TestClock
    ) -> None:
        sender = ScriptedSender([ConnectionError, ConnectionError, 204])
        an_endpoint(runtime, "https://down.example.test/hooks")
        an_event(runtime)
        dispatcher = a_dispatcher(sender)

        dispatcher.dispatch_once(runtime)
        [first] = deliveries(runtime)
        clock.set(clock.now() + timedelta(seconds=30))
        dispatcher.dispatch_once(runtime)
        [second] = deliveries(runtime)
        clock.set(clock.now() + timedelta(seconds=60))
        assert dispatcher.dispatch_once(runtime) == 1

        assert first.last_error == "ConnectionError: connection refused"
        assert first.last_status_code is None
        assert second.attempts == 2
        assert second.next_attempt_at == clock.now()
        [done] = deliveries(runtime)
        assert (done.status, done.attempts, done.last_error) == ("delivered", 3, None)

    @pytest.mark.parametrize(
        ("status", "outcome"),
        [(200, "delivered"), (204, "delivered"), (301, "pending"), (404, "pending"),
         (410, "pending"), (503, "pending")],
    )  # fmt: skip
    def test_only_a_2xx_answer_counts_as_delivered(
        self, runtime: Runtime, status: int, outcome: str
    ) -> None:
        an_endpoint(runtime, "https://hooks.example.test/")
        an_event(runtime)

        a_dispatcher(ScriptedSender([status])).dispatch_once(runtime)

        [delivery] = deliveries(runtime)
        assert (delivery.status, delivery.last_status_code) == (outcome, status)

    def test_after_the_last_attempt_the_delivery_is_failed_and_sent_no_more(
        self, runtime: Runtime, clock: TestClock
    ) -> None:
        sender = ScriptedSender([500])
        an_endpoint(runtime, "https://hooks.example.test/")
        an_event(runtime)
        dispatcher = a_dispatcher(sender, retry=RetryPolicy(max_attempts=3))

        for _ in range(5):
            dispatcher.dispatch_once(runtime)
            clock.set(clock.now() + timedelta(hours=6))

        assert len(sender.requests) == 3
        [delivery] = deliveries(runtime)
        assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)

    def test_the_wait_doubles_from_30_seconds_and_stops_growing_at_6_hours(self) -> None:
        policy = RetryPolicy()
        failed_at = datetime(2026, 1, 31, tzinfo=UTC)

        waits = [policy.next_attempt_at(n, failed_at) for n in range(1, 13)]

        assert [w - failed_at for w in waits if w is not None] == [
            timedelta(seconds=30 * 2**n) for n in range(10)
        ] + [timedelta(hours=6)]
        assert waits[-1] is None  # the 12th failure is the last

    def test_a_retry_policy_that_would_not_wait_is_refused(self) -> None:
        with pytest.raises(ValueError):
            RetryPolicy(first_delay=timedelta(0))


class TestHighWaterMark:
    def _marks(self, rt: Runtime, endpoint: WebhookEndpoint) -> tuple[int, int | None]:
        with rt.uow() as uow:
            row = uow.connection.execute(
                select(webhook_endpoints.c.enqueued_through, webhook_endpoints.c.scan_through)
                .where(webhook_endpoints.c.id == endpoint.id)
            ).one()  # fmt: skip
        return row.enqueued_through, row.scan_through

    def test_the_mark_trails_the_newest_event_until_late_commits_are_no_longer_possible(
        self, runtime: Runtime
    ) -> None:
        wall = TestClock(datetime.now(UTC))
        sender = ScriptedSender()
        dispatcher = a_dispatcher(sender, wall_clock=wall, settle_after=timedelta(minutes=10))
        before = an_event(runtime)
        endpoint = an_endpoint(runtime, "https://hooks.example.test/")
        first = an_event(runtime)

        dispatcher.dispatch_once(runtime)
        assert self._marks(runtime, endpoint) == (before, first)

        second = an_event(runtime)
        wall.set(wall.now() + timedelta(minutes=9))
        dispatcher.dispatch_once(runtime)
        assert self._marks(runtime, endpoint) == (before, first)

        wall.set(wall.now() + timedelta(minutes=1))
        dispatcher.dispatch_once(runtime)
        assert self._marks(runtime, endpoint) == (first, second)

        assert [r.message_id for r in sender.requests] == [f"evt_{first}", f"evt_{second}"]

    def test_an_event_committed_after_a_newer_one_is_still_sent(
        self, runtime: Runtime, receiver: Receiver
    ) -> None:
        postgresql_only(runtime)
        an_endpoint(runtime, receiver.url)
        dispatcher = a_dispatcher()

        with runtime.uow() as slow:
            slow.outbox.add("acme", runtime.clock.now(), "invoice.finalized", {})
            slow.flush()  # takes its id now, commits later
            an_event(runtime, "invoice.paid")
            dispatcher.dispatch_once(runtime)
            slow.commit()
        dispatcher.dispatch_once(runtime)

        assert [r.json["type"] for r in receiver.requests] == ["invoice.paid", "invoice.finalized"]


class TestManyDispatchers:
    def test_two_dispatchers_at_once_never_deliver_one_event_twice(self, runtime: Runtime) -> None:
        sender = ScriptedSender(delay=0.002)
        an_endpoint(runtime, "https://hooks.example.test/")
        events = [an_event(runtime, n=n) for n in range(40)]
        dispatchers = [a_dispatcher(sender, batch_size=3) for _ in range(2)]
        dispatchers[0].enqueue(runtime)
        start = threading.Barrier(2)
        counts: list[int] = []

        def run(dispatcher: Dispatcher) -> None:
            start.wait()
            counts.append(dispatcher.dispatch_once(runtime))

        threads = [threading.Thread(target=run, args=(d,)) for d in dispatchers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

        sent = [r.message_id for r in sender.requests]
        assert sorted(sent) == sorted(f"evt_{e}" for e in events)  # each once
        assert sum(counts) == 40
        assert {d.status for d in deliveries(runtime)} == {"delivered"}

    def test_a_claimed_batch_is_skipped_by_other_dispatchers_not_waited_for(
        self, runtime: Runtime, clock: TestClock
    ) -> None:
        postgresql_only(runtime)
        an_endpoint(runtime, "https://hooks.example.test/")
        for n in range(5):
            an_event(runtime, n=n)
        a_dispatcher(ScriptedSender()).enqueue(runtime)
        now, lease = clock.now(), clock.now() + timedelta(minutes=10)

        with runtime.uow() as first:
            mine = first.webhooks.claim_due(now, limit=2, lease_until=lease)
            with runtime.uow() as second:
                second.connection.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
                theirs = second.webhooks.claim_due(now, limit=10, lease_until=lease)
                second.commit()
            first.commit()

        assert len(mine) == 2
        assert len(theirs) == 3
        assert not {d.event.id for d in mine} & {d.event.id for d in theirs}


class TestCommand:
    def test_tierline_webhooks_dispatch_delivers_what_is_due_in_the_configured_database(
        self, tmp_path: Path, clock: TestClock
    ) -> None:
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        engine = create_engine(url)
        migrate(engine)
        rt = Runtime(engine, clock, SandboxGateway())
        install_catalog(parse_catalog(CATALOG), uow=rt.uow(), clock=clock)
        create_account(CreateAccount(name="Acme", id="acme"), uow=rt.uow(), clock=clock)
        with Receiver() as receiver:
            endpoint = an_endpoint(rt, receiver.url)
            an_event(rt, "invoice.paid")
            an_event(rt, "invoice.finalized")

            result = CliRunner().invoke(
                app, ["webhooks", "dispatch"], env={"TIERLINE_DATABASE_URL": url}
            )
        engine.dispose()

        assert result.exit_code == 0, result.output
        assert result.output == "delivered 2 webhook(s)\n"
        assert sorted(r.verify(endpoint.secret)["type"] for r in receiver.requests) == [
            "invoice.finalized",
            "invoice.paid",
        ]
