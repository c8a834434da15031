from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tierline.domain import events
from tierline.domain.events import (
    AutoRenewChanged,
    BalanceToppedUp,
    ChangeApplied,
    ChangeCanceled,
    ChangeScheduled,
    ContentReconciled,
    CreditNoteIssued,
    Event,
    Expired,
    InvoiceFinalized,
    InvoicePaid,
    PaymentFailed,
    PurchaseRefunded,
    Renewed,
    SubscriptionCanceled,
    SubscriptionChanged,
    SubscriptionCreated,
    TrialEnded,
    TrialStarted,
)

AT = datetime(2026, 4, 10, tzinfo=UTC)
FORMS = {"en": {"one": "seat", "other": "seats"}}

EVERY_EVENT: list[Event] = [
    TrialStarted("sub_1", "pro", "Pro", AT),
    SubscriptionCreated("sub_1", "pro", "Pro", 5, "user", "month", cycle_months=1),
    SubscriptionCreated("sub_1", "pro", "Pro", 1, "seat", "year", unit_forms=FORMS),
    AutoRenewChanged("sub_1", True),
    AutoRenewChanged("sub_1", False, AT),
    SubscriptionChanged(
        "sub_1", "upgrade", Decimal("12.50"), "USD", "pro", "Pro", "month", AT, cycle_months=1
    ),
    SubscriptionChanged("sub_1", "cycle_change", Decimal("0"), "USD", "pro", "Pro", "year", AT),
    SubscriptionChanged("sub_1", "quantity_increase", Decimal("3"), "USD", "pro", "Pro", "m", AT),
    ChangeScheduled("sub_1", "downgrade", Decimal("0"), "USD", "basic", "Basic", "month", AT),
    ChangeCanceled("sub_1"),
    ChangeApplied("sub_1", "Basic", "downgrade"),
    Renewed("sub_1", AT),
    Expired("sub_1", ended_at=AT),
    Expired("sub_1", trial=True),
    TrialEnded("sub_1"),
    SubscriptionCanceled("sub_1", "INV-2026-000002"),
    ContentReconciled(
        "sub_1", "rec_1", "pro", "basic", ({"kind": "remove"}, {"kind": "remove"}), "Basic"
    ),
    InvoiceFinalized("INV-2026-000001", Decimal("15.00"), "USD"),
    InvoicePaid("INV-2026-000001", Decimal("15.00"), "USD"),
    CreditNoteIssued("CN-2026-000001", Decimal("4.50"), "USD"),
    PaymentFailed("INV-2026-000001", "card_declined", Decimal("15.00"), "USD", "Declined."),
    PaymentFailed("INV-2026-000001", "no_payment_method", Decimal("15.00"), "USD", voided=True),
    PaymentFailed(None, "payment_failed", Decimal("20.00"), "USD"),
    BalanceToppedUp(Decimal("20.00"), Decimal("70.00"), "USD"),
    BalanceToppedUp(Decimal("20.00"), Decimal("70.00"), "USD", invoice="INV-2026-000001"),
    PurchaseRefunded("INV-2026-000001", "CN-2026-000001", Decimal("15.00"), "USD"),
]


class TestStoredAsFacts:
    @pytest.mark.parametrize("event", EVERY_EVENT, ids=lambda e: e.kind)
    def test_an_event_read_back_from_its_stored_facts_is_the_same_event(self, event: Event) -> None:
        stored = json.loads(json.dumps(event.facts()))  # as the outbox's JSON column keeps it

        assert events.read(event.kind, stored) == event
        assert events.plain_text(event.kind, stored) == event.text()

    def test_facts_hold_no_words_only_names_codes_amounts_and_instants(self) -> None:
        failed = PaymentFailed("INV-1", "no_payment_method", Decimal("15.00"), "USD")

        assert failed.facts() == {
            "invoice": "INV-1",
            "code": "no_payment_method",
            "amount": "15.00",
            "currency": "USD",
        }

    def test_a_fact_that_did_not_happen_is_left_out(self) -> None:
        assert "ends_at" not in AutoRenewChanged("sub_1", True).facts()
        assert "trial" not in Expired("sub_1", ended_at=AT).facts()
        assert Expired("sub_1", trial=True).facts() == {"subscription": "sub_1", "trial": True}


class TestKinds:
    def test_a_change_that_takes_effect_now_is_named_after_its_class(self) -> None:
        def now(change: str) -> str:
            return SubscriptionChanged("s", change, Decimal(0), "USD", "e", "E", "m", AT).kind

        assert now("upgrade") == "subscription.upgraded"
        assert now("downgrade") == "subscription.downgraded"
        assert now("cycle_change") == "subscription.updated"

    def test_a_scheduled_change_and_its_application_carry_the_change_in_their_kind(
        self,
    ) -> None:
        scheduled = ChangeScheduled("s", "downgrade", Decimal(0), "USD", "e", "E", "m", AT)

        assert scheduled.kind == "subscription.downgrade_scheduled"
        assert ChangeApplied("s", "E", "downgrade").kind == "subscription.downgrade_applied"

    def test_an_unknown_kind_reads_as_nothing_and_shows_its_kind(self) -> None:
        assert events.read("invoice.teleported", {}) is None
        assert events.plain_text("invoice.teleported", {}) == "invoice.teleported"

    def test_facts_missing_what_the_event_needs_fall_back_to_the_words_kept_with_them(
        self,
    ) -> None:
        assert events.plain_text("invoice.paid", {"text": "Paid, long ago."}) == "Paid, long ago."


class TestPlainText:
    def test_a_failed_payment_says_why_in_the_providers_words_or_its_own(self) -> None:
        declined = PaymentFailed("INV-1", "card_declined", Decimal("15.00"), "USD", "Declined.")
        no_method = PaymentFailed("INV-1", "no_payment_method", Decimal("15.00"), "USD")

        assert declined.text() == "Payment of 15.00 USD for INV-1 failed: Declined."
        assert no_method.text() == (
            "Payment of 15.00 USD for INV-1 failed: The account has no payment method to charge."
        )

    def test_a_voided_purchase_names_its_void_invoice(self) -> None:
        failed = PaymentFailed("INV-1", "card_declined", Decimal("15.00"), "USD", voided=True)

        assert failed.text().endswith("Invoice INV-1 is void; nothing was changed.")

    def test_a_license_counts_its_unit_in_the_catalogs_own_words(self) -> None:
        one = SubscriptionCreated("s", "pro", "Pro", 1, "seat", "year", unit_forms=FORMS)

        assert one.text() == "Your Pro license is active: 1 seat, billed every year."
