"""Changes of one subscription sent at the same time through the HTTP API.

A change that the card pays now is a purchase: its invoice and first payment attempt are committed
before the card is charged, and the subscription's version moves with them, so of two changes
decided at once one loses (409 `stale_version` or `payment_in_progress`) before its card is
charged. Each request here has its own TestClient (its own event loop), so the two run at once
in the app's thread pool; a `threading.Barrier` lets them go together.

On PostgreSQL both are decided at the same moment and the loser's version check fails
(`stale_version`); on SQLite writers take turns (BEGIN IMMEDIATE), so the loser is decided once the
winner's purchase is committed and finds it waiting for its payment (`payment_in_progress`).
The sandbox answers after 200 ms, so the winner's payment is still on its way when the loser is
decided; with an instant sandbox, SQLite may decide the second change after the first was paid
and applied, and then both are (rightly) charged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.builders import an_account, base_of, error_of, subscribed, whole_list
from tierline.api.app import create_app
from tierline.payments import ChargeRequest, ChargeResult, SandboxGateway
from tierline.runtime import Runtime

SUBSCRIPTIONS = "/v1/subscriptions"
ROUNDS = 10
LATENCY_MS = 200
LOST = {"stale_version", "payment_in_progress"}


@pytest.fixture
def gateway() -> SandboxGateway:
    """A sandbox that answers after 200 ms, as a provider would."""
    return SandboxGateway(latency_ms=LATENCY_MS)


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    return create_app(runtime)


Request = tuple[str, str, dict[str, Any]]  # method, path, JSON body


def at_once(app: FastAPI, api_key: str, requests: list[Request]) -> list[httpx.Response]:
    """Send the requests from as many threads, all let go together; the responses in order."""
    barrier = threading.Barrier(len(requests))
    responses: list[httpx.Response | None] = [None] * len(requests)
    failures: list[BaseException] = []

    def send(i: int) -> None:
        method, path, body = requests[i]
        own = TestClient(app, headers={"Authorization": f"Bearer {api_key}"})
        try:
            barrier.wait(10)
            responses[i] = own.request(method, path, json=body)
        except BaseException as error:  # re-raised in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    if failures:
        raise failures[0]
    assert all(r is not None for r in responses), "a request did not finish"
    return [r for r in responses if r is not None]


def change(client: TestClient, account: str, **body: Any) -> Request:
    return ("POST", f"{base_of(client, account)}/change", body)


def payments(client: TestClient, account: str = "acme") -> list[dict[str, Any]]:
    return whole_list(client, f"/v1/accounts/{account}/payments", {"limit": 100})


def invoices(client: TestClient, account: str = "acme") -> list[dict[str, Any]]:
    return whole_list(client, f"/v1/accounts/{account}/invoices", {"limit": 100})


def subscription(client: TestClient, account: str = "acme") -> dict[str, Any]:
    response = client.get(base_of(client, account))
    assert response.status_code == 200, response.text
    sub: dict[str, Any] = response.json()
    return sub


def charged_keys(gateway: SandboxGateway) -> list[str]:
    return [key for _, _, key in gateway.captured]


def one_winner(responses: list[httpx.Response]) -> tuple[int, httpx.Response]:
    """The index and response of the one change that succeeded, after checking that the other
    lost with 409 before anything was charged for it."""
    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [200, 409], [r.text for r in responses]
    winner = statuses.index(200)
    loser = responses[1 - winner]
    assert error_of(loser, 409)["code"] in LOST, loser.text
    return winner, responses[winner]


def assert_charges_are_the_succeeded_payments(
    client: TestClient, gateway: SandboxGateway, accounts: list[str], changes: int
) -> None:
    """Every accepted charge is a succeeded payment of these accounts and the other way round,
    one to one; one charge per subscription plus one per change that succeeded; nothing paid
    back (a change charged and then not applied would be)."""
    succeeded = [
        p["id"] for a in accounts for p in payments(client, a) if p["status"] == "succeeded"
    ]
    keys = charged_keys(gateway)
    assert len(keys) == len(set(keys)), "a key charged twice"
    assert sorted(keys) == sorted(succeeded)
    assert len(keys) == len(accounts) + changes
    assert gateway.refunded == []


def assert_every_invoice_is_paid_and_numbered_without_gaps(
    client: TestClient, accounts: list[str]
) -> None:
    """A loser issued no invoice that stayed: every invoice is paid, and the numbers run on."""
    found = [i for a in accounts for i in invoices(client, a)]
    assert {i["status"] for i in found} == {"paid"}
    numbers = sorted(int(i["number"].rsplit("-", 1)[1]) for i in found)
    assert numbers == list(range(1, len(found) + 1))


class TestTwoChangesAtOnce:
    def test_of_two_seat_expansions_sent_together_one_is_charged_and_applied_the_other_refused(
        self, client: TestClient, app: FastAPI, api_key: str, gateway: SandboxGateway
    ) -> None:
        subscribed(client, quantity=5)

        for _ in range(ROUNDS):
            quantity = subscription(client)["quantity"]
            known = {p["id"] for p in payments(client)}
            targets = [quantity + 1, quantity + 2]

            responses = at_once(app, api_key, [change(client, "acme", quantity=q) for q in targets])

            winner, won = one_winner(responses)
            assert won.json()["subscription"]["quantity"] == targets[winner]
            assert subscription(client)["quantity"] == targets[winner]
            new = [p for p in payments(client) if p["id"] not in known]
            assert [(p["status"], p["invoice"]) for p in new] == [
                ("succeeded", won.json()["invoice"])
            ]
            assert charged_keys(gateway)[-1] == new[0]["id"]

        assert_charges_are_the_succeeded_payments(client, gateway, ["acme"], ROUNDS)
        assert_every_invoice_is_paid_and_numbered_without_gaps(client, ["acme"])

    def test_of_a_seat_expansion_and_a_pack_sent_together_only_the_winner_is_charged(
        self, client: TestClient, app: FastAPI, api_key: str, gateway: SandboxGateway
    ) -> None:
        subscribed(client, quantity=5)

        for _ in range(ROUNDS):
            before = subscription(client)
            quantity, packs = before["quantity"], before["addons"].get("storage", 0)

            responses = at_once(
                app,
                api_key,
                [
                    change(client, "acme", quantity=quantity + 1),
                    change(client, "acme", addons={"storage": packs + 1}),
                ],
            )

            winner, won = one_winner(responses)
            after = subscription(client)
            if winner == 0:
                assert (after["quantity"], after["addons"].get("storage", 0)) == (
                    quantity + 1,
                    packs,
                )
            else:
                assert (after["quantity"], after["addons"]["storage"]) == (quantity, packs + 1)
            paid = client.get(f"/v1/invoices/{won.json()['invoice']}").json()
            assert paid["status"] == "paid"
            assert Decimal(paid["amount_paid"]) == Decimal(gateway.captured[-1][1])

        assert_charges_are_the_succeeded_payments(client, gateway, ["acme"], ROUNDS)
        assert_every_invoice_is_paid_and_numbered_without_gaps(client, ["acme"])

    def test_the_same_upgrade_sent_twice_at_once_is_charged_once(
        self, client: TestClient, app: FastAPI, api_key: str, gateway: SandboxGateway
    ) -> None:
        accounts = [f"acme-{n}" for n in range(ROUNDS)]
        for account in accounts:
            subscribed(client, account, edition="pro", quantity=5)

            responses = at_once(app, api_key, [change(client, account, edition="max")] * 2)

            _, won = one_winner(responses)
            assert won.json()["subscription"]["edition"] == "max"
            assert subscription(client, account)["edition"] == "max"
            assert [i["status"] for i in invoices(client, account)] == ["paid", "paid"]

        assert_charges_are_the_succeeded_payments(client, gateway, accounts, ROUNDS)
        assert_every_invoice_is_paid_and_numbered_without_gaps(client, accounts)

    def test_of_two_first_subscriptions_sent_together_one_is_charged_the_other_refused(
        self, client: TestClient, app: FastAPI, api_key: str, gateway: SandboxGateway
    ) -> None:
        accounts = [f"acme-{n}" for n in range(ROUNDS)]
        for account in accounts:
            an_account(client, account)
            body = {"cycle": "month", "quantity": 5, "trial": False}

            responses = at_once(
                app,
                api_key,
                [
                    ("POST", SUBSCRIPTIONS, {**body, "account_id": account, "edition": e})
                    for e in ("pro", "max")
                ],
            )

            statuses = sorted(r.status_code for r in responses)
            assert statuses == [201, 409], [r.text for r in responses]
            won = next(r for r in responses if r.status_code == 201)
            lost = next(r for r in responses if r.status_code == 409)
            assert error_of(lost, 409)["code"] in LOST | {"already_subscribed"}
            assert subscription(client, account)["edition"] == won.json()["edition"]
            assert [i["status"] for i in invoices(client, account)] == ["paid"]

        assert_charges_are_the_succeeded_payments(client, gateway, accounts, 0)
        assert_every_invoice_is_paid_and_numbered_without_gaps(client, accounts)


class TestTwoChangesAtOnceWithAnInstantGateway:
    @pytest.fixture
    def gateway(self) -> SandboxGateway:
        return SandboxGateway()

    def test_each_change_that_succeeds_is_charged_once_and_each_refused_one_never(
        self, client: TestClient, app: FastAPI, api_key: str, gateway: SandboxGateway
    ) -> None:
        subscribed(client, quantity=5)
        succeeded = 0

        for _ in range(ROUNDS):
            quantity = subscription(client)["quantity"]
            known = {p["id"] for p in payments(client)}

            responses = at_once(
                app, api_key, [change(client, "acme", quantity=quantity + n) for n in (1, 2)]
            )

            won = [r for r in responses if r.status_code == 200]
            for response in responses:
                if response.status_code != 200:
                    assert error_of(response, 409)["code"] in LOST
            assert won, [r.text for r in responses]
            charged = [r.json()["invoice"] for r in won if r.json()["invoice"]]
            new = [p for p in payments(client) if p["id"] not in known]
            assert sorted(p["invoice"] for p in new) == sorted(charged)
            assert {p["status"] for p in new} <= {"succeeded"}
            succeeded += len(charged)

        assert_charges_are_the_succeeded_payments(client, gateway, ["acme"], succeeded)
        assert_every_invoice_is_paid_and_numbered_without_gaps(client, ["acme"])


class HeldGateway(SandboxGateway):
    """The sandbox, holding each charge once `hold()` was called until `release()`: a payment
    on its way for as long as a test needs."""

    def __init__(self) -> None:
        super().__init__()
        self.sending = threading.Event()
        self._released = threading.Event()
        self._released.set()

    def hold(self) -> None:
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    @property
    def answers_at_once(self) -> bool:  # it may hold an answer: charges go one by one
        return False

    def charge(self, request: ChargeRequest) -> ChargeResult:
        if not self._released.is_set():
            self.sending.set()
            assert self._released.wait(30), "the test never released the charge"
        return super().charge(request)


class TestAChangeWhileAPurchaseIsBeingPaid:
    @pytest.fixture
    def gateway(self) -> Iterator[HeldGateway]:
        held = HeldGateway()
        yield held
        held.release()

    def _upgrade_held(
        self, app: FastAPI, api_key: str, gateway: HeldGateway, body: dict[str, Any]
    ) -> tuple[threading.Thread, list[httpx.Response]]:
        """Send the change from another thread; return once its payment is being sent."""
        gateway.hold()
        done: list[httpx.Response] = []

        def send() -> None:
            own = TestClient(app, headers={"Authorization": f"Bearer {api_key}"})
            done.append(own.post(base_of(own) + "/change", json=body))

        thread = threading.Thread(target=send)
        thread.start()
        assert gateway.sending.wait(10), "the change's payment was never sent"
        return thread, done

    def test_a_second_change_while_an_upgrade_is_being_paid_is_refused_uncharged(
        self, client: TestClient, app: FastAPI, api_key: str, gateway: HeldGateway
    ) -> None:
        subscribed(client, quantity=5)
        thread, done = self._upgrade_held(app, api_key, gateway, {"edition": "max"})

        second = client.post(base_of(client) + "/change", json={"quantity": 9})
        gateway.release()
        thread.join(30)

        assert error_of(second, 409)["code"] == "payment_in_progress"
        assert [r.status_code for r in done] == [200]
        assert (subscription(client)["edition"], subscription(client)["quantity"]) == ("max", 5)
        assert_charges_are_the_succeeded_payments(client, gateway, ["acme"], 1)

    def test_switching_auto_renewal_while_an_upgrade_is_being_paid_does_not_undo_the_upgrade(
        self, client: TestClient, app: FastAPI, api_key: str, gateway: HeldGateway
    ) -> None:
        """The design: a concurrent change loses before anything is charged. Auto-renewal is
        part of the subscription; switching it meanwhile must not make the paid upgrade be
        refunded instead of applied."""
        subscribed(client, quantity=5)
        thread, done = self._upgrade_held(app, api_key, gateway, {"edition": "max"})

        switched = client.put(base_of(client) + "/auto_renew", json={"enabled": False})
        gateway.release()
        thread.join(30)

        assert [r.status_code for r in done] == [200], [r.text for r in done]
        assert subscription(client)["edition"] == "max"
        assert gateway.refunded == []
        if switched.status_code == 409:
            assert error_of(switched, 409)["code"] == "payment_in_progress"
            assert subscription(client)["auto_renew"] is True
        else:
            assert switched.status_code == 200, switched.text
            assert subscription(client)["auto_renew"] is False
        assert_charges_are_the_succeeded_payments(client, gateway, ["acme"], 1)

    def test_a_paid_change_that_can_no_longer_be_applied_is_not_answered_as_a_success(
        self, client: TestClient, app: FastAPI, api_key: str, gateway: HeldGateway,
        runtime: Runtime,
    ) -> None:  # fmt: skip
        """Another writer (here the store itself, as another process would) saves the
        subscription while the upgrade is being paid: the money goes back on a credit note, and
        the caller must learn that the upgrade was not applied."""
        subscribed(client, quantity=5)
        thread, done = self._upgrade_held(app, api_key, gateway, {"edition": "max"})

        with runtime.uow() as uow:
            sub = uow.subscriptions.current_for("acme")
            assert sub is not None
            uow.subscriptions.save(sub)
            uow.commit()
        gateway.release()
        thread.join(30)

        assert subscription(client)["edition"] == "pro"
        assert [amount for _, amount, _ in gateway.refunded] == [Decimal("49.00")]
        assert len(done) == 1
        response = done[0]
        assert response.status_code != 200 or response.json()["subscription"]["edition"] == "max", (
            f"answered 200 for an upgrade that was paid back: {response.text}"
        )
        assert error_of(response, 409)["code"] == "purchase_paid_back"

    def test_cancelling_a_scheduled_change_while_a_pack_is_being_paid_does_not_undo_the_pack(
        self, client: TestClient, app: FastAPI, api_key: str, gateway: HeldGateway
    ) -> None:
        subscribed(client, quantity=5)
        scheduled = client.post(base_of(client) + "/change", json={"quantity": 3})
        assert scheduled.json()["subscription"]["pending_change"] is not None
        thread, done = self._upgrade_held(app, api_key, gateway, {"addons": {"storage": 1}})

        cancelled = client.delete(base_of(client) + "/pending_change")
        gateway.release()
        thread.join(30)

        assert [r.status_code for r in done] == [200], [r.text for r in done]
        assert subscription(client)["addons"] == {"storage": 1}
        assert gateway.refunded == []
        if cancelled.status_code == 409:
            assert error_of(cancelled, 409)["code"] == "payment_in_progress"
        else:
            assert cancelled.status_code == 200, cancelled.text
            assert subscription(client)["pending_change"] is None
        assert_charges_are_the_succeeded_payments(client, gateway, ["acme"], 1)
