"""The Stripe adapter against a local Stripe, through Tierline's services, on both stores:
methods added through SetupIntents, purchases and renewals paid by off-session PaymentIntents
keyed by the attempt, a declined card falling back to the backup, a refund, and answers lost or
a process stopped between `sent` and the outcome, settled without a second charge.

acme subscribes to basic × 10 (30.00 EUR a month) on Jan 31; it renews on Feb 28.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.payments.stripe_billing import (
    DECLINES_CHARGES,
    IBAN,
    NEEDS_AUTHENTICATION,
    VISA,
    StripeBilling,
)
from tests.payments.stripe_doubles import Crash, RecordingClient
from tests.services.service_builders import FIRST_RENEWAL, MID_FEBRUARY, policy
from tierline.errors import PaymentPending, RawCardRefused
from tierline.services.accounts import AddPaymentMethod, add_payment_method
from tierline.services.outcomes import reconcile_payments

PAYMENT_INTENTS = "/v1/payment_intents"


def intents_of(billing: StripeBilling, key: str) -> list[dict[str, object]]:
    assert billing.stripe is not None
    return [
        i for i in billing.stripe.payment_intents() if i["metadata"].get("tierline_attempt") == key
    ]


class TestPaymentMethods:
    def test_a_card_set_up_at_stripe_is_stored_with_its_brand_last4_and_expiry(
        self, on_stripe: StripeBilling
    ) -> None:
        method = on_stripe.add_card(VISA)

        assert method.id == method.token and method.token.startswith("pm_")
        assert (method.brand, method.last4, method.expiry, method.is_primary) == (
            "visa", "4242", "2030-12", True,
        )  # fmt: skip
        with on_stripe.uow.reading():
            account = on_stripe.uow.accounts.get("acme")
        assert account.provider_customer_id is not None
        assert account.provider_customer_id.startswith("cus_")

    def test_one_customer_serves_every_setup_of_the_account(self, on_stripe: StripeBilling) -> None:
        on_stripe.add_card(VISA)
        on_stripe.add_iban(IBAN, use_as="backup")

        assert on_stripe.stripe is not None
        customers = on_stripe.stripe.get("/v1/customers", limit=100)["data"]
        assert [c["metadata"] for c in customers] == [{"tierline_account": "acme"}]

    def test_an_iban_set_up_at_stripe_is_a_sepa_debit_method_with_its_bank(
        self, on_stripe: StripeBilling
    ) -> None:
        method = on_stripe.add_iban(IBAN, use_as="backup")

        assert (method.brand, method.last4, method.bank, method.is_backup) == (
            "sepa_debit", "3000", "37040044", True,
        )  # fmt: skip

    def test_a_raw_card_number_is_refused_outside_the_sandbox(
        self, on_stripe: StripeBilling
    ) -> None:
        with pytest.raises(RawCardRefused):
            add_payment_method(
                AddPaymentMethod("acme", VISA), uow=on_stripe.uow, clock=on_stripe.clock,
                gateway=on_stripe.gateway,
            )  # fmt: skip

        assert on_stripe.methods() == {}


class TestCharges:
    def test_a_subscription_is_paid_by_an_off_session_payment_intent_keyed_by_the_attempt(
        self, on_stripe: StripeBilling, stripe_http: RecordingClient
    ) -> None:
        card = on_stripe.add_card(VISA)

        on_stripe.subscribe("basic")

        [invoice] = on_stripe.invoices()
        assert invoice.status == "paid"
        assert [r.invoice_number for r in on_stripe.receipts()] == [invoice.number]
        attempt = on_stripe.attempt()
        [intent] = intents_of(on_stripe, attempt.id)
        assert (intent["amount"], intent["currency"], intent["status"]) == (
            3000,
            "eur",
            "succeeded",
        )
        assert intent["payment_method"] == card.token
        assert intent["metadata"]["invoice"] == invoice.number
        assert (attempt.status, attempt.provider_reference) == ("succeeded", intent["id"])
        [sent] = stripe_http.posts_to(PAYMENT_INTENTS)
        assert sent.headers["Idempotency-Key"] == attempt.id
        assert sent.params["off_session"] == ["true"] and sent.params["confirm"] == ["true"]
        with on_stripe.uow.reading():
            customer = on_stripe.uow.accounts.get("acme").provider_customer_id
        assert sent.params["customer"] == [customer]

    def test_a_renewal_is_paid_off_session_with_the_saved_card(
        self, on_stripe: StripeBilling
    ) -> None:
        on_stripe.add_card(VISA)
        on_stripe.subscribe("basic")

        on_stripe.advance(FIRST_RENEWAL)

        _, renewal = on_stripe.invoices()
        assert (renewal.status, renewal.amount_paid) == ("paid", Decimal("30.00"))
        assert on_stripe.subscription().status == "active"
        assert [len(intents_of(on_stripe, p.id)) for p in on_stripe.payments()] == [1, 1]

    def test_a_declined_card_falls_back_to_the_backup_with_the_providers_code_and_message(
        self, on_stripe: StripeBilling
    ) -> None:
        primary = on_stripe.add_card(DECLINES_CHARGES)
        backup = on_stripe.add_card(VISA, use_as="backup")

        on_stripe.subscribe("basic")

        assert [(p.payment_method, p.status, p.failure_code, p.failure_message)
                for p in on_stripe.payments()] == [
            (primary.id, "failed", "card_declined", "Your card was declined."),
            (backup.id, "succeeded", None, None),
        ]  # fmt: skip
        assert on_stripe.invoices()[0].status == "paid"
        assert on_stripe.subscription().plan.edition == "basic"

    def test_a_payment_that_asks_for_authentication_waits_for_the_customer(
        self, on_stripe: StripeBilling
    ) -> None:
        on_stripe.add_card(NEEDS_AUTHENTICATION)

        with pytest.raises(PaymentPending):
            on_stripe.subscribe("basic")

        attempt = on_stripe.attempt()
        assert attempt.status == "requires_action"
        assert attempt.provider_reference is not None
        assert on_stripe.invoices()[0].status == "open"
        action = on_stripe.adapter.payment_action(attempt.provider_reference)
        assert action is not None
        assert action.client_secret.startswith(attempt.provider_reference + "_secret_")


class TestRefunds:
    def test_a_refund_pays_back_the_payment_intent_of_the_invoice_under_the_attempts_key(
        self, on_stripe: StripeBilling, stripe_http: RecordingClient
    ) -> None:
        on_stripe.install(policies={"downgrade": policy("immediate", "prorate", "refund")})
        on_stripe.add_card(VISA)
        on_stripe.subscribe("pro", quantity=10, trial=False)  # 60.00
        on_stripe.advance(MID_FEBRUARY)

        on_stripe.change(edition="basic")  # 30.00 of pro unused, 15.00 of basic due: 15.00 back

        refund = on_stripe.attempt()
        assert (refund.kind, refund.status, refund.amount) == (
            "refund",
            "refunded",
            Decimal("15.00"),
        )
        paid = on_stripe.payments()[0]
        assert on_stripe.stripe is not None
        [made] = on_stripe.stripe.refunds()
        assert (made["amount"], made["payment_intent"]) == (1500, paid.provider_reference)
        assert made["metadata"] == {"tierline_attempt": refund.id}
        assert refund.provider_reference == made["id"]
        [sent] = stripe_http.posts_to("/v1/refunds")
        assert sent.headers["Idempotency-Key"] == refund.id


class TestUnknownOutcomes:
    def test_a_lost_answer_is_found_by_the_attempts_key_and_not_charged_again(
        self, on_stripe: StripeBilling, stripe_http: RecordingClient
    ) -> None:
        on_stripe.add_card(VISA)
        stripe_http.lose_answer_to = PAYMENT_INTENTS

        on_stripe.subscribe("basic")

        attempt = on_stripe.attempt()
        assert attempt.status == "succeeded"
        assert len(intents_of(on_stripe, attempt.id)) == 1
        assert len(stripe_http.posts_to(PAYMENT_INTENTS)) == 1
        assert on_stripe.invoices()[0].status == "paid"

    def test_a_stop_between_sent_and_the_outcome_is_settled_by_reconcile_without_a_second_charge(
        self, on_stripe: StripeBilling, stripe_http: RecordingClient
    ) -> None:
        on_stripe.add_card(VISA)
        stripe_http.crash_after = PAYMENT_INTENTS
        with pytest.raises(Crash):
            on_stripe.subscribe("basic")
        attempt = on_stripe.attempt()
        assert attempt.status == "sent"
        assert on_stripe.invoices()[0].status == "open"
        on_stripe.clock.set(on_stripe.clock.now() + timedelta(minutes=20))

        report = reconcile_payments(
            uow=on_stripe.uow, clock=on_stripe.clock, gateway=on_stripe.gateway,
            older_than=timedelta(minutes=15),
        )  # fmt: skip

        assert (report.asked, report.recorded, report.not_received) == (1, 1, 0)
        assert on_stripe.attempt().status == "succeeded"
        assert on_stripe.invoices()[0].status == "paid"
        assert on_stripe.subscription().plan.edition == "basic"
        assert len(intents_of(on_stripe, attempt.id)) == 1
        assert len(stripe_http.posts_to(PAYMENT_INTENTS)) == 1

    def test_reconcile_leaves_an_attempt_younger_than_the_threshold(
        self, on_stripe: StripeBilling, stripe_http: RecordingClient
    ) -> None:
        on_stripe.add_card(VISA)
        stripe_http.crash_after = PAYMENT_INTENTS
        with pytest.raises(Crash):
            on_stripe.subscribe("basic")

        report = reconcile_payments(
            uow=on_stripe.uow, clock=on_stripe.clock, gateway=on_stripe.gateway,
            older_than=timedelta(minutes=15),
        )  # fmt: skip

        assert report.asked == 0
        assert on_stripe.attempt().status == "sent"
