"""The Stripe adapter where the local Stripe lacks an endpoint or differs from Stripe, answered
at the `stripe` package's HTTP layer by responses shaped as Stripe's (`RecordedStripe`), on both
stores:

- a SEPA Direct Debit set up with its mandate (`GET /v1/mandates/{id}`, absent locally);
- a SEPA debit that stays `processing` until the webhook says `succeeded` (the local Stripe
  settles a good IBAN at once), and the same events arriving out of order;
- a decline carrying its PaymentIntent and decline code, and one asking for authentication;
- a lost answer found through `GET /v1/payment_intents/search` (absent locally).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.payments.stripe_billing import StripeBilling
from tests.payments.stripe_doubles import (
    PUBLISHABLE_KEY,
    SECRET_KEY,
    WEBHOOK_SECRET,
    RecordedStripe,
    signed,
)
from tierline.api.app import create_app
from tierline.clock import TestClock
from tierline.errors import PaymentPending
from tierline.payments.stripe import StripeGateway
from tierline.runtime import Runtime
from tierline.services.payment_setup import FinishSetup, StartSetup
from tierline.services.payment_setup import finish_payment_setup as finish
from tierline.services.payment_setup import start_payment_setup as start
from tierline.store.uow import UnitOfWork

CUSTOMER = {"id": "cus_R3c0rded", "object": "customer", "metadata": {"tierline_account": "acme"}}
IBAN_METHOD = {
    "id": "pm_1SepaR3c0rded", "object": "payment_method", "type": "sepa_debit",
    "customer": "cus_R3c0rded",
    "sepa_debit": {"bank_code": "37040044", "branch_code": "", "country": "DE",
                   "fingerprint": "Zx9", "last4": "3000"},
}  # fmt: skip
CARD_METHOD = {
    "id": "pm_1CardR3c0rded", "object": "payment_method", "type": "card",
    "customer": "cus_R3c0rded",
    "card": {"brand": "mastercard", "last4": "4444", "exp_month": 3, "exp_year": 2031},
}  # fmt: skip


def a_setup(method: dict[str, Any], *, use_as: str = "primary") -> dict[str, Any]:
    return {
        "id": f"seti_{method['id'][3:]}", "object": "setup_intent", "status": "succeeded",
        "client_secret": f"seti_{method['id'][3:]}_secret_x", "customer": "cus_R3c0rded",
        "payment_method": method, "usage": "off_session",
        "payment_method_types": [method["type"]],
        "mandate": "mandate_1R3c0rded" if method["type"] == "sepa_debit" else None,
        "metadata": {"tierline_account": "acme", "tierline_use_as": use_as},
    }  # fmt: skip


MANDATE = {
    "id": "mandate_1R3c0rded", "object": "mandate", "status": "active", "type": "multi_use",
    "payment_method": "pm_1SepaR3c0rded",
    "payment_method_details": {"type": "sepa_debit", "sepa_debit": {
        "reference": "TLMANDATE0001", "url": "https://stripe.test/mandate"}},
}  # fmt: skip


def an_intent(status: str, method: dict[str, Any], metadata: dict[str, str], **more: Any) -> Any:
    return {
        "id": "pi_3R3c0rded", "object": "payment_intent", "amount": 3000, "currency": "eur",
        "status": status, "customer": "cus_R3c0rded", "payment_method": method["id"],
        "client_secret": "pi_3R3c0rded_secret_y", "metadata": metadata,
        "last_payment_error": None, **more,
    }  # fmt: skip


def an_event(event_id: str, kind: str, intent: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": event_id, "object": "event", "type": kind, "api_version": "2025-09-30.clover",
        "created": int(time.time()), "livemode": False, "data": {"object": intent},
    }  # fmt: skip


@pytest.fixture
def recorded() -> RecordedStripe:
    http = RecordedStripe()
    http.answer("POST", "/v1/customers", CUSTOMER)
    return http


@pytest.fixture
def on_recorded(uow: UnitOfWork, clock: TestClock, recorded: RecordedStripe) -> StripeBilling:
    gateway = StripeGateway(
        SECRET_KEY, publishable_key=PUBLISHABLE_KEY, webhook_secret=WEBHOOK_SECRET,
        api_base="http://stripe.test", http_client=recorded,
    )  # fmt: skip
    billing = StripeBilling(uow, clock, gateway)  # type: ignore[arg-type]
    billing.install()
    billing.stripe_account()
    return billing


@pytest.fixture
def api(on_recorded: StripeBilling, engine: Engine) -> Iterator[TestClient]:
    runtime = Runtime(engine, on_recorded.clock, on_recorded.gateway)
    with TestClient(create_app(runtime)) as client:
        yield client


def set_up(billing: StripeBilling, http: RecordedStripe, method: dict[str, Any]) -> Any:
    setup = a_setup(method)
    http.answer("POST", "/v1/setup_intents", {**setup, "status": "requires_payment_method",
                                              "payment_method": None})  # fmt: skip
    http.answer("GET", f"/v1/setup_intents/{setup['id']}", setup)
    started = start(StartSetup("acme", method["type"]), uow=billing.uow, gateway=billing.gateway)
    done = finish(
        FinishSetup(started.id, "acme"), uow=billing.uow, clock=billing.clock,
        gateway=billing.gateway,
    )  # fmt: skip
    assert done.method is not None
    return done.method


def deliver(api: TestClient, event: dict[str, Any]) -> Any:
    payload, signature = signed(event)
    return api.post(
        "/v1/providers/stripe/webhooks", content=payload, headers={"Stripe-Signature": signature}
    )


class TestSepaMandate:
    def test_a_sepa_method_keeps_its_mandate_reference(
        self, on_recorded: StripeBilling, recorded: RecordedStripe
    ) -> None:
        recorded.answer("GET", "/v1/mandates/mandate_1R3c0rded", MANDATE)

        method = set_up(on_recorded, recorded, IBAN_METHOD)

        assert (method.brand, method.last4, method.bank, method.mandate_reference) == (
            "sepa_debit", "3000", "37040044", "TLMANDATE0001",
        )  # fmt: skip
        setup_create = next(s for s in recorded.sent if s.path == "/v1/setup_intents")
        assert setup_create.params["payment_method_types[0]"] == ["sepa_debit"]
        assert setup_create.params["customer"] == ["cus_R3c0rded"]


class TestSepaDebitByWebhook:
    def subscribe_processing(
        self, on_recorded: StripeBilling, recorded: RecordedStripe
    ) -> dict[str, Any]:
        recorded.answer("GET", "/v1/mandates/mandate_1R3c0rded", MANDATE)
        set_up(on_recorded, recorded, IBAN_METHOD)
        recorded.answer("POST", "/v1/payment_intents", an_intent("processing", IBAN_METHOD, {}))
        with pytest.raises(PaymentPending):
            on_recorded.subscribe("basic")
        attempt = on_recorded.attempt()
        assert (attempt.status, attempt.provider_reference) == ("processing", "pi_3R3c0rded")
        metadata = {"tierline_attempt": attempt.id, "invoice": on_recorded.invoices()[0].number}
        return an_intent("processing", IBAN_METHOD, metadata)

    def test_a_sepa_debit_is_processing_until_the_webhook_says_it_succeeded(
        self, on_recorded: StripeBilling, recorded: RecordedStripe, api: TestClient
    ) -> None:
        intent = self.subscribe_processing(on_recorded, recorded)
        assert not on_recorded.has_subscription()

        response = deliver(
            api,
            an_event(
                "evt_succeeded", "payment_intent.succeeded", {**intent, "status": "succeeded"}
            ),
        )

        assert response.status_code == 200
        assert on_recorded.attempt().status == "succeeded"
        [invoice] = on_recorded.invoices()
        assert invoice.status == "paid"
        assert on_recorded.subscription().plan.edition == "basic"
        assert len(on_recorded.receipts()) == 1

    def test_a_processing_event_arriving_after_succeeded_changes_nothing(
        self, on_recorded: StripeBilling, recorded: RecordedStripe, api: TestClient
    ) -> None:
        intent = self.subscribe_processing(on_recorded, recorded)
        succeeded = an_event("evt_2", "payment_intent.succeeded", {**intent, "status": "succeeded"})
        processing = an_event("evt_1", "payment_intent.processing", intent)

        deliver(api, succeeded)
        late = deliver(api, processing)

        assert late.json()["duplicate"] is False
        assert on_recorded.attempt().status == "succeeded"
        assert on_recorded.invoices()[0].status == "paid"
        assert len(on_recorded.receipts()) == 1

    def test_a_failure_event_after_success_changes_nothing(
        self, on_recorded: StripeBilling, recorded: RecordedStripe, api: TestClient
    ) -> None:
        intent = self.subscribe_processing(on_recorded, recorded)
        failed = {**intent, "status": "requires_payment_method", "last_payment_error": {
            "code": "payment_method_provider_decline", "message": "The debit failed."}}  # fmt: skip

        deliver(
            api, an_event("evt_ok", "payment_intent.succeeded", {**intent, "status": "succeeded"})
        )
        deliver(api, an_event("evt_ko", "payment_intent.payment_failed", failed))

        assert on_recorded.attempt().status == "succeeded"
        assert on_recorded.subscription().plan.edition == "basic"


class TestDeclines:
    def test_a_decline_reads_the_decline_code_and_message_of_its_payment_intent(
        self, on_recorded: StripeBilling, recorded: RecordedStripe
    ) -> None:
        set_up(on_recorded, recorded, CARD_METHOD)
        error = {"code": "card_declined", "decline_code": "insufficient_funds",
                 "message": "Your card has insufficient funds.", "type": "card_error"}  # fmt: skip
        intent = an_intent("requires_payment_method", CARD_METHOD, {}, last_payment_error=error)
        recorded.answer(
            "POST", "/v1/payment_intents", {"error": {**error, "payment_intent": intent}}, 402
        )

        with pytest.raises(Exception, match="insufficient funds"):
            on_recorded.subscribe("basic")

        attempt = on_recorded.attempt()
        assert (attempt.status, attempt.failure_code, attempt.provider_reference) == (
            "failed", "insufficient_funds", "pi_3R3c0rded",
        )  # fmt: skip
        assert on_recorded.invoices()[0].status == "void"

    def test_an_off_session_payment_needing_authentication_waits_for_the_customer(
        self, on_recorded: StripeBilling, recorded: RecordedStripe
    ) -> None:
        set_up(on_recorded, recorded, CARD_METHOD)
        error = {
            "code": "authentication_required", "decline_code": "authentication_required",
            "message": "This payment requires authentication.", "type": "card_error",
        }  # fmt: skip
        intent = an_intent("requires_payment_method", CARD_METHOD, {}, last_payment_error=error)
        recorded.answer(
            "POST", "/v1/payment_intents", {"error": {**error, "payment_intent": intent}}, 402
        )
        recorded.answer("GET", "/v1/payment_intents/pi_3R3c0rded", intent)

        with pytest.raises(PaymentPending):
            on_recorded.subscribe("basic")

        attempt = on_recorded.attempt()
        assert (attempt.status, attempt.provider_reference) == ("requires_action", "pi_3R3c0rded")
        action = on_recorded.adapter.payment_action("pi_3R3c0rded")
        assert action is not None
        assert (action.client_secret, action.payment_method) == (
            "pi_3R3c0rded_secret_y", CARD_METHOD["id"],
        )  # fmt: skip


class TestSearch:
    def test_a_lost_answer_is_found_by_searching_the_attempts_key_in_metadata(
        self, on_recorded: StripeBilling, recorded: RecordedStripe
    ) -> None:
        set_up(on_recorded, recorded, CARD_METHOD)
        recorded.answer("POST", "/v1/payment_intents", {"error": {"type": "api_error",
                        "message": "An unknown error occurred"}}, 500)  # fmt: skip
        nothing = {"object": "search_result", "data": [], "has_more": False}
        recorded.answer("GET", "/v1/payment_intents/search", nothing)
        recorded.answer("GET", "/v1/payment_intents", {**nothing, "object": "list"})
        recorded.answer("GET", "/v1/refunds", {**nothing, "object": "list"})

        with pytest.raises(PaymentPending):  # the answer was lost; search has not seen it yet
            on_recorded.subscribe("basic")
        attempt = on_recorded.attempt()
        assert attempt.status == "sent"
        found = an_intent("succeeded", CARD_METHOD, {"tierline_attempt": attempt.id})
        recorded.answers[("GET", "/v1/payment_intents/search")] = [
            (200, {**nothing, "data": [found]})
        ]

        result = on_recorded.gateway.retrieve(attempt.id)

        assert result is not None and (result.status, result.reference) == (
            "succeeded", "pi_3R3c0rded",
        )  # fmt: skip
        searched = [s for s in recorded.sent if s.path == "/v1/payment_intents/search"][-1]
        assert searched.params["query"] == [f"metadata['tierline_attempt']:'{attempt.id}'"]
        assert len([s for s in recorded.sent if s.path == "/v1/payment_intents"
                    and s.method == "POST"]) == 1  # fmt: skip
