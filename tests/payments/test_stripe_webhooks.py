"""Stripe's webhook events through `POST /v1/providers/stripe/webhooks`, on both stores: the
events are the local Stripe's own (a SEPA debit that fails some time after it was made), signed
with the webhook secret as Stripe signs them. A bad signature is refused and changes nothing; an
event that comes twice is processed once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.payments.stripe_billing import FAILING_IBAN, VISA, StripeBilling
from tests.payments.stripe_doubles import signed
from tierline.api.app import create_app
from tierline.errors import PaymentPending
from tierline.runtime import Runtime
from tierline.services.operators import create_api_key

WEBHOOKS = "/v1/providers/stripe/webhooks"


@pytest.fixture
def runtime(on_stripe: StripeBilling, engine: Engine) -> Runtime:
    return Runtime(engine, on_stripe.clock, on_stripe.gateway)


@pytest.fixture
def api(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime)) as client:
        yield client


@pytest.fixture
def operator_key(runtime: Runtime) -> str:
    return create_api_key("tests", uow=runtime.uow(), clock=runtime.clock).secret


def deliver(api: TestClient, event: dict[str, Any]) -> Any:
    payload, signature = signed(event)
    return api.post(WEBHOOKS, content=payload, headers={"Stripe-Signature": signature})


def failed_debit(on_stripe: StripeBilling) -> dict[str, Any]:
    """Subscribe on the failing IBAN: the debit is processing; Stripe's event saying it failed."""
    with pytest.raises(PaymentPending):
        on_stripe.subscribe("basic")
    attempt = on_stripe.attempt()
    assert attempt.status == "processing"
    assert on_stripe.stripe is not None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for event in on_stripe.stripe.events("payment_intent.payment_failed"):
            if event["data"]["object"]["metadata"].get("tierline_attempt") == attempt.id:
                return dict(event)
        time.sleep(0.1)
    raise AssertionError("the local Stripe sent no payment_intent.payment_failed")


class TestSepaDebits:
    def test_a_sepa_debit_failing_by_webhook_voids_the_purchase_when_no_method_is_left(
        self, on_stripe: StripeBilling, api: TestClient
    ) -> None:
        on_stripe.add_iban(FAILING_IBAN)
        event = failed_debit(on_stripe)

        response = deliver(api, event)

        assert response.status_code == 200
        assert response.json() == {
            "id": event["id"], "type": "payment_intent.payment_failed", "duplicate": False,
        }  # fmt: skip
        attempt = on_stripe.attempt()
        assert (attempt.status, attempt.failure_code) == ("failed", "card_declined")
        [invoice] = on_stripe.invoices()
        assert invoice.status == "void"
        assert not on_stripe.has_subscription()
        assert on_stripe.messages()[-1] == "payment.failed"

    def test_a_sepa_debit_failing_by_webhook_is_paid_by_the_backup_card(
        self, on_stripe: StripeBilling, api: TestClient
    ) -> None:
        on_stripe.add_iban(FAILING_IBAN)
        card = on_stripe.add_card(VISA, use_as="backup")
        event = failed_debit(on_stripe)

        deliver(api, event)

        debit, charge = on_stripe.payments()
        assert (debit.status, charge.status, charge.payment_method) == (
            "failed", "succeeded", card.id,
        )  # fmt: skip
        assert on_stripe.invoices()[0].status == "paid"
        assert on_stripe.subscription().plan.edition == "basic"


class TestDelivery:
    def test_an_event_delivered_twice_is_processed_once(
        self, on_stripe: StripeBilling, api: TestClient
    ) -> None:
        on_stripe.add_iban(FAILING_IBAN)
        on_stripe.add_card(VISA, use_as="backup")
        event = failed_debit(on_stripe)

        first = deliver(api, event)
        second = deliver(api, event)

        assert (first.json()["duplicate"], second.json()["duplicate"]) == (False, True)
        assert second.status_code == 200
        assert [p.status for p in on_stripe.payments()] == ["failed", "succeeded"]
        assert on_stripe.messages().count("payment.failed") == 0  # the backup paid it
        assert len(on_stripe.receipts()) == 1

    def test_a_bad_signature_is_refused_and_records_nothing(
        self, on_stripe: StripeBilling, api: TestClient
    ) -> None:
        on_stripe.add_iban(FAILING_IBAN)
        event = failed_debit(on_stripe)
        payload, _ = signed(event, secret="whsec_someone_else")
        _, good = signed(event)

        refused = api.post(WEBHOOKS, content=payload, headers={"Stripe-Signature": "t=1,v1=00"})
        forged = api.post(
            WEBHOOKS, content=payload, headers={"Stripe-Signature": signed(event, "whsec_x")[1]}
        )
        unsigned = api.post(WEBHOOKS, content=payload)

        for response in (refused, forged, unsigned):
            assert response.status_code == 400
            assert response.json()["error"]["code"] == "invalid_signature"
        assert on_stripe.attempt().status == "processing"
        assert on_stripe.invoices()[0].status == "open"
        accepted = api.post(WEBHOOKS, content=payload, headers={"Stripe-Signature": good})
        assert accepted.json()["duplicate"] is False  # the refused ones left no trace
        assert on_stripe.attempt().status == "failed"

    def test_an_event_signed_longer_ago_than_the_tolerance_is_refused(
        self, on_stripe: StripeBilling, api: TestClient
    ) -> None:
        on_stripe.add_iban(FAILING_IBAN)
        event = failed_debit(on_stripe)
        payload, signature = signed(event, at=int(time.time()) - 301)

        response = api.post(WEBHOOKS, content=payload, headers={"Stripe-Signature": signature})

        assert response.status_code == 400
        assert on_stripe.attempt().status == "processing"

    def test_an_event_about_nothing_of_tierlines_is_acknowledged(
        self, on_stripe: StripeBilling, api: TestClient
    ) -> None:
        event = {"id": "evt_other", "object": "event", "type": "customer.created",
                 "data": {"object": {"id": "cus_other", "object": "customer"}}}  # fmt: skip

        response = deliver(api, event)

        assert response.status_code == 200
        assert response.json()["duplicate"] is False
        assert deliver(api, event).json()["duplicate"] is True


class TestSetupByApi:
    def test_a_method_set_up_through_the_api_appears_when_stripe_confirms_it(
        self, on_stripe: StripeBilling, api: TestClient, operator_key: str
    ) -> None:
        auth = {"Authorization": f"Bearer {operator_key}"}
        started = api.post(
            "/v1/accounts/acme/payment_methods/setup", json={"type": "card"}, headers=auth
        )
        assert started.status_code == 201
        body = started.json()
        assert (body["type"], body["publishable_key"]) == ("card", "pk_test_tierline")
        assert on_stripe.stripe is not None
        on_stripe.stripe.confirm_setup(
            body["client_secret"],
            {"type": "card", "card": {"number": VISA, "exp_month": "12", "exp_year": "2030",
                                      "cvc": "123"}},
        )  # fmt: skip
        assert api.get("/v1/accounts/acme/payment_methods", headers=auth).json()["data"] == []
        setup = on_stripe.stripe.get(f"/v1/setup_intents/{body['id']}")
        event = {"id": "evt_setup", "object": "event", "type": "setup_intent.succeeded",
                 "created": int(time.time()), "data": {"object": setup}}  # fmt: skip

        assert deliver(api, event).status_code == 200

        [method] = api.get("/v1/accounts/acme/payment_methods", headers=auth).json()["data"]
        assert (method["brand"], method["last4"], method["is_primary"]) == ("visa", "4242", True)
        assert method["id"] == setup["payment_method"]
