"""The collector: how committed attempts reach the provider, and how lost answers are found."""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal

from tierline.payments import ChargeRequest, ChargeResult, SandboxGateway
from tierline.payments.collector import Collector, Sending

TIMES_OUT = "4000000000000119"


def a_request(key: str, card: str = "4242424242424242") -> ChargeRequest:
    return ChargeRequest(
        idempotency_key=key, kind="charge", token=f"tok_{card}", amount=Decimal("10.00"),
        currency="EUR", account_id="acme", payment_method="pm_1", invoice="INV-1",
    )  # fmt: skip


class Counting(SandboxGateway):
    """The sandbox, counting how it is called."""

    def __init__(self, *, pause: float = 0.0, says_at_once: bool = False) -> None:
        super().__init__()
        self.pause = pause
        self.says_at_once = says_at_once
        self.one_by_one: list[str] = []
        self.in_bulk: list[list[str]] = []
        self.asked: list[str] = []

    @property
    def answers_at_once(self) -> bool:
        return self.says_at_once

    def charge(self, request: ChargeRequest) -> ChargeResult:
        time.sleep(self.pause)
        self.one_by_one.append(request.idempotency_key)
        return super().charge(request)

    def charge_all(self, requests: Sequence[ChargeRequest]) -> list[ChargeResult | None]:
        self.in_bulk.append([r.idempotency_key for r in requests])
        return super().charge_all(requests)

    def retrieve(self, idempotency_key: str) -> ChargeResult | None:
        self.asked.append(idempotency_key)
        return super().retrieve(idempotency_key)


def at_once(gateway: Counting) -> Collector:
    """A collector for which every answer of the in-process sandbox counts as immediate, however
    busy the machine is."""
    return Collector(gateway, at_once=60.0)


def sent(collector: Collector, sendings: list[Sending]) -> dict[str, ChargeResult | None]:
    return {s.request.idempotency_key: answer for s, answer in collector.send(sendings)}


class TestAProviderThatAnswersAtOnce:
    def test_its_pace_is_learnt_one_by_one_then_the_rest_go_in_one_call(self) -> None:
        gateway = Counting()
        sendings = [Sending(a_request(f"pa_{n}")) for n in range(10)]

        answers = sent(at_once(gateway), sendings)

        assert gateway.one_by_one == ["pa_0"]  # answered within the pace: no more timing needed
        assert gateway.in_bulk == [[f"pa_{n}" for n in range(1, 10)]]
        assert answers == {f"pa_{n}": ChargeResult("succeeded", f"pa_{n}") for n in range(10)}

    def test_one_that_says_so_gets_every_new_attempt_in_one_call_however_busy_the_machine(
        self,
    ) -> None:
        gateway = Counting(says_at_once=True)
        sendings = [Sending(a_request(f"pa_{n}")) for n in range(10)]

        with Collector(gateway, at_once=0.0) as collector:  # no answer would count as quick
            answers = sent(collector, sendings)
            assert not collector.waits_for_answers

        assert gateway.one_by_one == []
        assert gateway.in_bulk == [[f"pa_{n}" for n in range(10)]]
        assert len(answers) == 10

    def test_the_sandbox_says_it_answers_at_once_only_without_a_latency(self) -> None:
        assert SandboxGateway().answers_at_once
        assert not SandboxGateway(latency_ms=200).answers_at_once

    def test_an_attempt_sent_before_is_asked_about_and_not_charged_again(self) -> None:
        gateway = Counting()
        gateway.charge(a_request("pa_lost"))  # taken by the provider; the answer never came back
        collector = at_once(gateway)
        sent(collector, [Sending(a_request("pa_first"))])

        answers = sent(collector, [Sending(a_request("pa_lost"), sent_before=True)])

        assert answers == {"pa_lost": ChargeResult("succeeded", "pa_lost")}
        assert gateway.asked == ["pa_lost"]
        assert len(gateway.charges()) == 2

    def test_an_answer_lost_in_a_bulk_call_is_asked_for_by_its_key(self) -> None:
        gateway = Counting()
        collector = at_once(gateway)
        sent(collector, [Sending(a_request("pa_first"))])

        answers = sent(
            collector, [Sending(a_request("pa_1", TIMES_OUT)), Sending(a_request("pa_2"))]
        )

        assert answers["pa_1"] == ChargeResult("succeeded", "pa_1")
        assert gateway.asked == ["pa_1"]
        assert len(gateway.charges()) == 3


class TestAProviderThatTakesItsTime:
    def test_it_is_sent_many_at_once_and_every_attempt_is_answered(self) -> None:
        gateway = Counting(pause=0.01)
        sendings = [Sending(a_request(f"pa_{n}")) for n in range(12)]

        with Collector(gateway, concurrency=4) as collector:
            answers = sent(collector, sendings)
            assert collector.waits_for_answers

        assert gateway.in_bulk == []
        assert sorted(gateway.one_by_one) == sorted(f"pa_{n}" for n in range(12))
        assert (
            set(answers.values()) == {ChargeResult("succeeded", f"pa_{n}") for n in range(12)}
            and len(answers) == 12
        )
