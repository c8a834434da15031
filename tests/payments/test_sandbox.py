"""The sandbox gateway: test cards, idempotency keys, and a ledger that outlives the caller."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest
from typer.testing import CliRunner

from tests.conftest import Store
from tierline.cli import app
from tierline.clock import TestClock
from tierline.config import Settings
from tierline.errors import Invalid
from tierline.payments import (
    ChargeRequest,
    ChargeResult,
    GatewayTimeout,
    MovementKind,
    SandboxGateway,
    SqlLedger,
)
from tierline.payments.sandbox import sandbox_charges

VISA = "4242424242424242"
MASTERCARD = "5555555555554444"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
TIMES_OUT = "4000000000000119"

T = TypeVar("T")


def a_request(
    key: str = "pa_1",
    card: str = VISA,
    *,
    kind: MovementKind = "charge",
    amount: str = "10.00",
    invoice: str | None = "INV-1",
) -> ChargeRequest:
    return ChargeRequest(
        idempotency_key=key,
        kind=kind,
        token=f"tok_{card}",
        amount=Decimal(amount),
        currency="EUR",
        account_id="acme",
        payment_method="pm_1",
        invoice=invoice,
    )


def declined(code: str, message: str) -> ChargeResult:
    return ChargeResult("failed", "pa_1", code, message)


@pytest.fixture
def ledger(store: Store) -> Iterator[SqlLedger]:
    ledger = SqlLedger(store.url, schema=store.schema)
    with store.engine.begin() as conn:  # the PostgreSQL schema is shared by the whole run
        conn.execute(sandbox_charges.delete())
    yield ledger
    ledger.close()


@pytest.fixture
def sandbox(ledger: SqlLedger, clock: TestClock) -> SandboxGateway:
    return SandboxGateway(ledger=ledger, clock=clock)


def in_threads(count: int, work: Callable[[int], T]) -> list[T]:
    results: list[T | None] = [None] * count
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return [r for r in results if r is not None]


class TestCards:
    def test_visa_and_mastercard_succeed(self, gateway: SandboxGateway) -> None:
        assert gateway.charge(a_request("pa_1", VISA)).status == "succeeded"
        assert gateway.charge(a_request("pa_2", MASTERCARD)).status == "succeeded"
        assert [key for _, _, key in gateway.captured] == ["pa_1", "pa_2"]

    def test_the_declined_card_is_declined(self, gateway: SandboxGateway) -> None:
        result = gateway.charge(a_request(card=DECLINED))
        assert result == declined("card_declined", "The card was declined.")
        assert gateway.captured == []

    def test_the_insufficient_funds_card_is_declined_for_insufficient_funds(
        self, gateway: SandboxGateway
    ) -> None:
        result = gateway.charge(a_request(card=INSUFFICIENT_FUNDS))
        assert result == declined("insufficient_funds", "The card has insufficient funds.")
        assert gateway.captured == []

    def test_a_card_made_to_decline_declines_from_then_on(self, gateway: SandboxGateway) -> None:
        assert gateway.charge(a_request("pa_1")).status == "succeeded"
        gateway.decline(f"tok_{VISA}")
        assert gateway.charge(a_request("pa_2")).failure_code == "card_declined"
        assert gateway.charge(a_request("pa_1")).status == "succeeded"  # answered before

    def test_the_timeout_card_takes_the_charge_but_loses_the_first_answer(
        self, gateway: SandboxGateway
    ) -> None:
        with pytest.raises(GatewayTimeout):
            gateway.charge(a_request(card=TIMES_OUT))
        assert gateway.retrieve("pa_1") == ChargeResult("succeeded", "pa_1")
        assert gateway.charge(a_request(card=TIMES_OUT)).status == "succeeded"
        assert gateway.captured == [(f"tok_{TIMES_OUT}", Decimal("10.00"), "pa_1")]

    def test_a_refund_succeeds_even_to_a_declining_card(self, gateway: SandboxGateway) -> None:
        result = gateway.charge(a_request("re_1", DECLINED, kind="refund", amount="4.50"))
        assert result.status == "succeeded"
        assert gateway.refunded == [(f"tok_{DECLINED}", Decimal("4.50"), "re_1")]
        assert gateway.captured == []

    def test_a_replay_with_the_same_key_moves_money_once(self, gateway: SandboxGateway) -> None:
        first = gateway.charge(a_request())
        assert gateway.charge(a_request()) == first
        assert len(gateway.captured) == 1

    def test_tokenize_gives_the_brand_and_the_last_four_digits(
        self, gateway: SandboxGateway
    ) -> None:
        card = gateway.tokenize("5555 5555 5555 4444")
        assert (card.token, card.brand, card.last4) == (f"tok_{MASTERCARD}", "mastercard", "4444")
        assert gateway.tokenize(VISA).brand == "visa"

    @pytest.mark.parametrize("number", ["4242424242424241", "4242", "4242-4242-4242-4242"])
    def test_tokenize_refuses_a_number_that_is_not_a_card(
        self, gateway: SandboxGateway, number: str
    ) -> None:
        with pytest.raises(Invalid) as refused:
            gateway.tokenize(number)
        assert (refused.value.code, refused.value.param) == ("invalid_card", "card")


class TestLedger:
    def test_a_replay_with_the_same_key_moves_money_once(self, sandbox: SandboxGateway) -> None:
        first = sandbox.charge(a_request())
        assert sandbox.charge(a_request()) == first
        assert sandbox.captured == [(f"tok_{VISA}", Decimal("10.00"), "pa_1")]

    def test_the_timeout_card_records_the_charge_then_raises_and_retrieve_answers(
        self, sandbox: SandboxGateway
    ) -> None:
        with pytest.raises(GatewayTimeout):
            sandbox.charge(a_request(card=TIMES_OUT))
        assert sandbox.retrieve("pa_1") == ChargeResult("succeeded", "pa_1")
        assert sandbox.charge(a_request(card=TIMES_OUT)) == ChargeResult("succeeded", "pa_1")
        assert len(sandbox.charges()) == 1

    def test_retrieve_of_an_unknown_key_is_none(self, sandbox: SandboxGateway) -> None:
        assert sandbox.retrieve("pa_never_sent") is None

    def test_a_declined_answer_is_kept_for_retrieve_but_moves_nothing(
        self, sandbox: SandboxGateway
    ) -> None:
        sandbox.charge(a_request(card=INSUFFICIENT_FUNDS))
        assert sandbox.retrieve("pa_1") == declined(
            "insufficient_funds", "The card has insufficient funds."
        )
        assert sandbox.charges() == []

    def test_charges_lists_charges_and_refunds_in_order_at_the_clocks_time(
        self, sandbox: SandboxGateway, clock: TestClock
    ) -> None:
        sandbox.charge(a_request("pa_1"))
        sandbox.charge(a_request("pa_2", DECLINED))
        clock.set(clock.now() + timedelta(days=3))
        sandbox.charge(a_request("re_1", kind="refund", amount="2.50", invoice=None))
        assert [m.as_json() for m in sandbox.charges()] == [
            {
                "at": "2026-01-31T10:00:00Z",
                "account": "acme",
                "payment_method": "pm_1",
                "amount": "10.00",
                "kind": "charge",
                "idempotency_key": "pa_1",
                "invoice": "INV-1",
            },
            {
                "at": "2026-02-03T10:00:00Z",
                "account": "acme",
                "payment_method": "pm_1",
                "amount": "2.50",
                "kind": "refund",
                "idempotency_key": "re_1",
                "invoice": None,
            },
        ]
        assert sandbox.refunded == [(f"tok_{VISA}", Decimal("2.50"), "re_1")]

    def test_amounts_are_kept_exactly(self, sandbox: SandboxGateway) -> None:
        sandbox.charge(a_request(amount="1234567890.123456789"))
        assert sandbox.charges()[0].amount == Decimal("1234567890.123456789")

    def test_records_survive_a_new_gateway_on_the_same_database(
        self, sandbox: SandboxGateway, store: Store
    ) -> None:
        sandbox.charge(a_request("pa_1"))
        sandbox.charge(a_request("pa_2", DECLINED))
        sandbox.close()
        again = SandboxGateway.for_database(store.url, schema=store.schema)
        try:
            assert [m.idempotency_key for m in again.charges()] == ["pa_1"]
            assert again.retrieve("pa_2") == ChargeResult(
                "failed", "pa_2", "card_declined", "The card was declined."
            )
            assert again.charge(a_request("pa_1")).status == "succeeded"
            assert len(again.captured) == 1
        finally:
            again.close()

    def test_a_charge_is_on_record_when_its_caller_is_killed_right_after(
        self, sandbox: SandboxGateway, store: Store
    ) -> None:
        script = (
            "import os, signal, sys\n"
            "from decimal import Decimal\n"
            "from tierline.payments import ChargeRequest, SandboxGateway\n"
            "gateway = SandboxGateway.for_database(sys.argv[1], schema=sys.argv[2] or None)\n"
            "gateway.charge(ChargeRequest('pa_killed', 'charge', 'tok_4242424242424242',\n"
            "    Decimal('12.50'), 'EUR', 'acme', 'pm_1', 'INV-7'))\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, store.url, store.schema or ""],
            capture_output=True,
            timeout=120,
        )
        assert done.returncode == -signal.SIGKILL, done.stderr.decode()
        assert sandbox.retrieve("pa_killed") == ChargeResult("succeeded", "pa_killed")
        assert [(m.idempotency_key, m.amount) for m in sandbox.charges()] == [
            ("pa_killed", Decimal("12.50"))
        ]

    def test_fifty_concurrent_charges_with_distinct_keys_are_all_recorded(
        self, sandbox: SandboxGateway
    ) -> None:
        results = in_threads(50, lambda i: sandbox.charge(a_request(f"pa_{i}")))
        assert {r.status for r in results} == {"succeeded"}
        assert sorted(m.idempotency_key for m in sandbox.charges()) == sorted(
            f"pa_{i}" for i in range(50)
        )

    def test_twenty_threads_sending_the_same_key_record_one_movement(
        self, sandbox: SandboxGateway
    ) -> None:
        results = in_threads(20, lambda _: sandbox.charge(a_request()))
        assert results == [ChargeResult("succeeded", "pa_1")] * 20
        assert len(sandbox.charges()) == 1

    def test_two_gateways_on_one_database_sending_the_same_key_record_one_movement(
        self, sandbox: SandboxGateway, store: Store, clock: TestClock
    ) -> None:
        other = SandboxGateway(ledger=SqlLedger(store.url, schema=store.schema), clock=clock)
        try:
            gateways = [sandbox, other]
            results = in_threads(20, lambda i: gateways[i % 2].charge(a_request()))
            assert results == [ChargeResult("succeeded", "pa_1")] * 20
            assert len(sandbox.charges()) == len(other.charges()) == 1
        finally:
            other.close()


class TestInBulk:
    def test_many_charges_in_one_call_are_each_kept_and_answered_as_one_by_one(
        self, sandbox: SandboxGateway
    ) -> None:
        requests = [a_request("pa_1"), a_request("pa_2", DECLINED), a_request("pa_3", MASTERCARD)]

        answers = sandbox.charge_all(requests)

        assert answers == [
            ChargeResult("succeeded", "pa_1"),
            ChargeResult("failed", "pa_2", "card_declined", "The card was declined."),
            ChargeResult("succeeded", "pa_3"),
        ]
        assert [key for _, _, key in sandbox.captured] == ["pa_1", "pa_3"]
        assert [sandbox.retrieve(r.idempotency_key) for r in requests] == answers

    def test_a_key_sent_again_in_bulk_gets_its_first_answer_and_moves_nothing_more(
        self, sandbox: SandboxGateway
    ) -> None:
        first = sandbox.charge(a_request("pa_1", amount="10.00"))

        again = sandbox.charge_all([a_request("pa_1", amount="99.00"), a_request("pa_1")])

        assert again == [first, first]
        assert sandbox.captured == [(f"tok_{VISA}", Decimal("10.00"), "pa_1")]

    def test_a_lost_answer_in_bulk_is_none_and_the_charge_is_on_record(
        self, sandbox: SandboxGateway
    ) -> None:
        answers = sandbox.charge_all([a_request("pa_1", TIMES_OUT), a_request("pa_2")])

        assert answers == [None, ChargeResult("succeeded", "pa_2")]
        assert sandbox.retrieve("pa_1") == ChargeResult("succeeded", "pa_1")

    def test_two_gateways_sending_the_same_keys_in_bulk_record_each_movement_once(
        self, sandbox: SandboxGateway, store: Store, clock: TestClock
    ) -> None:
        other = SandboxGateway(ledger=SqlLedger(store.url, schema=store.schema), clock=clock)
        requests = [a_request(f"pa_{n}") for n in range(30)]
        try:
            gateways = [sandbox, other]
            results = in_threads(8, lambda i: gateways[i % 2].charge_all(requests))
            assert all(
                answers == [ChargeResult("succeeded", r.idempotency_key) for r in requests]
                for answers in results
            )
            assert len(sandbox.charges()) == 30
        finally:
            other.close()


class TestLatency:
    def test_latency_makes_every_charge_and_retrieve_take_at_least_that_long(
        self, clock: TestClock
    ) -> None:
        gateway = SandboxGateway(clock=clock, latency_ms=50)
        started = time.monotonic()
        gateway.charge(a_request())
        charged = time.monotonic()
        gateway.retrieve("pa_1")
        assert charged - started >= 0.05
        assert time.monotonic() - charged >= 0.05

    def test_the_latency_is_a_setting(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("TIERLINE_SANDBOX_LATENCY_MS", "200")
        assert Settings().sandbox_latency_ms == 200


class TestCommand:
    def test_sandbox_charges_prints_every_accepted_movement_as_json_lines(
        self, tmp_path: Path
    ) -> None:
        url = f"sqlite:///{tmp_path / 'tierline.db'}"
        clock = TestClock(datetime(2026, 1, 31, 10, 0, tzinfo=UTC))
        gateway = SandboxGateway.for_database(url, clock=clock)
        gateway.charge(a_request("pa_1"))
        gateway.charge(a_request("pa_2", DECLINED))
        gateway.charge(a_request("re_1", kind="refund", amount="3.00", invoice=None))
        gateway.close()

        result = CliRunner().invoke(app, ["sandbox", "charges"], env={"TIERLINE_DATABASE_URL": url})

        assert result.exit_code == 0, result.output
        lines = [json.loads(line) for line in result.output.splitlines()]
        assert [(x["idempotency_key"], x["kind"], x["amount"]) for x in lines] == [
            ("pa_1", "charge", "10.00"),
            ("re_1", "refund", "3.00"),
        ]
        assert lines[0] == {
            "at": "2026-01-31T10:00:00Z",
            "account": "acme",
            "payment_method": "pm_1",
            "amount": "10.00",
            "kind": "charge",
            "idempotency_key": "pa_1",
            "invoice": "INV-1",
        }
