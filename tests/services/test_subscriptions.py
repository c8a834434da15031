from __future__ import annotations

from dataclasses import replace

import pytest
from service_builders import (
    DECLINED,
    FIRST_RENEWAL,
    INSUFFICIENT_FUNDS,
    MASTERCARD,
    START,
    TIMES_OUT,
    VISA,
    Billing,
    a_catalog,
    eur,
    utc,
)
from sqlalchemy import Engine

from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.domain.journal import CASH, RECEIVABLE, REVENUE
from tierline.errors import (
    Conflict,
    Invalid,
    NoPaymentMethod,
    NotAvailableOnEdition,
    NotFound,
    PaymentFailed,
    QuantityOutOfRange,
    SalesManaged,
    StaleVersion,
)
from tierline.services.subscriptions import SetAutoRenew, next_payment_at, set_auto_renew
from tierline.store.uow import UnitOfWork


class TestSubscribe:
    def test_a_paid_edition_starts_active_for_one_anchored_period(
        self, billing: Billing, acme: Account
    ) -> None:
        sub = billing.subscribe("basic", quantity=10)

        assert sub.status == "active"
        assert (sub.period.start, sub.period.end) == (START, FIRST_RENEWAL)
        assert sub.anchor == START
        assert replace(billing.subscription(), version=sub.version) == sub

    def test_a_paid_edition_issues_an_invoice_paid_by_the_primary_card(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", quantity=10)

        [invoice] = billing.invoices()
        assert invoice.number == "INV-2026-000001"
        assert (invoice.reason, invoice.status) == ("subscription_create", "paid")
        assert (invoice.subtotal, invoice.total, invoice.amount_paid) == (
            eur("30.00"), eur("30.00"), eur("30.00"),
        )  # fmt: skip
        [line] = invoice.lines
        assert (line.kind, line.quantity, line.unit_amount, line.amount) == (
            "subscription", 10, eur("3.00"), eur("30.00"),
        )  # fmt: skip
        assert line.period is not None and line.period.end == FIRST_RENEWAL
        [payment] = billing.payments()
        assert (payment.payment_method, payment.status, payment.amount) == (
            "main", "succeeded", eur("30.00"),
        )  # fmt: skip
        assert billing.gateway.captured == [(f"tok_{VISA}", eur("30.00"), payment.idempotency_key)]

    def test_a_paid_subscription_gets_a_receipt_for_what_was_paid(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", quantity=10)

        [receipt] = billing.receipts()
        assert receipt.number == "RCT-2026-000001"
        assert (receipt.invoice_number, receipt.payment_method) == ("INV-2026-000001", "main")
        assert receipt.amount_paid == eur("30.00")
        assert [line.amount for line in receipt.lines] == [eur("30.00")]

    def test_a_paid_subscription_journals_the_invoice_and_the_payment(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", quantity=10)

        entries = billing.journal()
        assert [(e.kind, e.reference) for e in entries] == [
            ("invoice", "INV-2026-000001"),
            ("payment", "INV-2026-000001"),
        ]
        assert {(line.ledger, line.amount) for line in entries[0].lines} == {
            (RECEIVABLE, eur("30.00")), (REVENUE, eur("-30.00")),
        }  # fmt: skip
        assert {(line.ledger, line.amount) for line in entries[1].lines} == {
            (CASH, eur("30.00")), (RECEIVABLE, eur("-30.00")),
        }  # fmt: skip

    def test_add_ons_are_invoiced_with_the_edition(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic", quantity=10, addons={"external-users": 2})

        [invoice] = billing.invoices()
        assert [(line.kind, line.amount) for line in invoice.lines] == [
            ("subscription", eur("30.00")), ("addon", eur("18.00")),
        ]  # fmt: skip
        assert invoice.total == eur("48.00")

    def test_a_trial_needs_no_payment_method_and_issues_no_invoice(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(), backup=None)

        sub = billing.subscribe("pro", quantity=5)

        assert sub.status == "trialing"
        assert sub.trial_end == utc(2026, 2, 14, 10)
        assert billing.invoices() == []
        assert billing.payments() == []

    def test_a_trial_is_invoiced_when_the_clock_reaches_its_end(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("pro", quantity=5)

        billing.advance(utc(2026, 2, 14, 9, 59))
        assert billing.invoices() == []
        billing.advance(utc(2026, 2, 14, 10))

        sub = billing.subscription()
        assert sub.status == "active"
        assert (sub.period.start, sub.period.end) == (utc(2026, 2, 14, 10), utc(2026, 3, 14, 10))
        [invoice] = billing.invoices()
        assert (invoice.reason, invoice.status, invoice.total) == (
            "trial_end",
            "paid",
            eur("30.00"),
        )
        assert invoice.issued_at == utc(2026, 2, 14, 10)

    def test_a_trial_with_auto_renew_off_expires_at_its_end_without_an_invoice(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("pro", quantity=5, auto_renew=False)

        billing.advance(utc(2026, 3, 1))

        sub = billing.subscription()
        assert (sub.status, sub.ended_at) == ("expired", utc(2026, 2, 14, 10))
        assert billing.invoices() == []

    def test_a_trial_can_be_skipped_to_pay_at_once(self, billing: Billing, acme: Account) -> None:
        sub = billing.subscribe("pro", quantity=5, trial=False)

        assert sub.status == "active"
        assert billing.invoices()[0].total == eur("30.00")

    def test_a_free_edition_issues_no_invoice_and_needs_no_card(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(), backup=None)

        sub = billing.subscribe("free", quantity=None)

        assert (sub.status, sub.plan.quantity) == ("active", 10)
        assert billing.invoices() == []
        assert billing.journal() == []

    def test_the_default_quantity_is_the_editions(self, billing: Billing, acme: Account) -> None:
        sub = billing.subscribe("basic", quantity=None)

        assert sub.plan.quantity == 10

    def test_a_sales_managed_account_cannot_buy_a_paid_edition_online(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(sales_managed=True)

        with pytest.raises(SalesManaged) as refused:
            billing.subscribe("basic")

        assert refused.value.code == "sales_managed"
        assert not billing.has_subscription()
        assert billing.payments() == []

    def test_a_sales_managed_account_may_take_the_free_edition(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(sales_managed=True)

        assert billing.subscribe("free", quantity=None).status == "active"

    def test_a_second_subscription_is_refused_as_already_subscribed(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")

        with pytest.raises(Conflict) as refused:
            billing.subscribe("pro")

        assert refused.value.code == "already_subscribed"
        assert len(billing.invoices()) == 1

    def test_an_account_whose_subscription_expired_may_subscribe_again(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", auto_renew=False)
        billing.advance(utc(2026, 3, 1))

        sub = billing.subscribe("pro", trial=False)

        assert sub.status == "active"
        assert billing.subscription().id == sub.id

    def test_packs_are_not_available_on_the_free_edition(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(NotAvailableOnEdition) as refused:
            billing.subscribe("free", quantity=None, addons={"external-users": 1})

        assert refused.value.code == "not_available_on_edition"
        assert refused.value.param == "addons.external-users"
        assert not billing.has_subscription()

    def test_packs_are_not_available_during_a_trial(self, billing: Billing, acme: Account) -> None:
        with pytest.raises(NotAvailableOnEdition) as refused:
            billing.subscribe("pro", addons={"external-users": 1})

        assert refused.value.code == "not_available_on_edition"
        assert not billing.has_subscription()

    def test_an_unknown_edition_is_refused(self, billing: Billing, acme: Account) -> None:
        with pytest.raises(Invalid) as refused:
            billing.subscribe("platinum")

        assert (refused.value.code, refused.value.param) == ("unknown_edition", "edition")

    def test_a_quantity_outside_the_editions_range_is_refused(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(QuantityOutOfRange):
            billing.subscribe("basic", quantity=101)

        assert not billing.has_subscription()

    def test_an_edition_with_no_maximum_is_still_sold_at_most_a_million_units(
        self, billing: Billing
    ) -> None:
        editions = a_catalog()["editions"]
        editions[1]["quantity"] = {"min": 1, "max": None, "default": 10}
        billing.install(editions=editions)
        billing.account()

        with pytest.raises(QuantityOutOfRange) as refused:
            billing.subscribe("basic", quantity=2**63)

        assert (refused.value.param, refused.value.details) == (
            "quantity", {"max": 1_000_000, "asked": 2**63},
        )  # fmt: skip
        assert not billing.has_subscription()
        assert billing.invoices() == []

    def test_packs_past_a_million_are_refused_naming_the_pack(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(QuantityOutOfRange) as refused:
            billing.subscribe("basic", addons={"external-users": 10**25}, trial=False)

        assert refused.value.param == "addons.external-users"
        assert not billing.has_subscription()
        assert billing.invoices() == []

    def test_a_declined_card_voids_the_invoice_and_starts_no_subscription(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(DECLINED,), backup=None)

        with pytest.raises(PaymentFailed) as refused:
            billing.subscribe("basic")

        assert refused.value.code == "payment_failed"
        assert not billing.has_subscription()
        [void] = billing.invoices()
        assert (void.number, void.status, void.total) == ("INV-2026-000001", "void", eur("30.00"))
        assert billing.receipts() == []
        assert [e.kind for e in billing.journal()] == ["invoice", "invoice_void"]
        [attempt] = billing.payments()
        assert (attempt.status, attempt.payment_method, attempt.amount) == (
            "failed", "main", eur("30.00"),
        )  # fmt: skip
        assert attempt.failure_code == "card_declined"
        assert attempt.idempotency_key == attempt.id
        assert billing.gateway.captured == []

    def test_a_declined_purchase_keeps_its_number_and_the_next_takes_another(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(INSUFFICIENT_FUNDS,), backup=None)
        with pytest.raises(PaymentFailed):
            billing.subscribe("basic")
        billing.add_card(VISA, id="good", primary=True)

        billing.subscribe("basic")

        assert [(i.number, i.status) for i in billing.invoices()] == [
            ("INV-2026-000001", "void"), ("INV-2026-000002", "paid"),
        ]  # fmt: skip
        assert [r.number for r in billing.receipts()] == ["RCT-2026-000001"]

    def test_no_payment_method_refuses_a_paid_edition(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(), backup=None)

        with pytest.raises(NoPaymentMethod) as refused:
            billing.subscribe("basic")

        assert refused.value.code == "no_payment_method"
        assert not billing.has_subscription()
        assert billing.invoices() == []

    def test_the_backup_card_pays_when_the_primary_declines(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(DECLINED,), backup=MASTERCARD)

        billing.subscribe("basic")

        [invoice] = billing.invoices()
        assert invoice.status == "paid"
        assert [(p.payment_method, p.status) for p in billing.payments()] == [
            ("main", "failed"), ("backup", "succeeded"),
        ]  # fmt: skip
        assert billing.receipts()[0].payment_method == "backup"
        assert [token for token, _, _ in billing.gateway.captured] == [f"tok_{MASTERCARD}"]

    def test_the_card_that_times_out_is_charged_exactly_once(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(TIMES_OUT,), backup=None)

        billing.subscribe("basic")

        assert [(amount, token) for token, amount, _ in billing.gateway.captured] == [
            (eur("30.00"), f"tok_{TIMES_OUT}")
        ]
        [invoice] = billing.invoices()
        assert (invoice.status, invoice.amount_paid) == ("paid", eur("30.00"))
        assert [p.status for p in billing.payments()] == ["succeeded"]


class TestSetAutoRenew:
    def test_turning_auto_renew_off_keeps_the_service_until_the_period_ends(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")

        sub = set_auto_renew(SetAutoRenew("acme", False), uow=billing.uow, clock=billing.clock)

        assert (sub.status, sub.auto_renew) == ("active", False)
        with billing.uow:
            assert next_payment_at(sub, billing.uow.catalog) is None
        assert "subscription.auto_renew_changed" in billing.messages()

    def test_setting_the_same_value_changes_nothing(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic")
        before = billing.subscription()

        set_auto_renew(SetAutoRenew("acme", True), uow=billing.uow, clock=billing.clock)

        assert billing.subscription() == before

    def test_an_account_without_a_subscription_is_not_found(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(NotFound) as refused:
            set_auto_renew(SetAutoRenew("acme", False), uow=billing.uow, clock=billing.clock)

        assert refused.value.code == "no_subscription"


class TestSavingASubscription:
    def test_saving_a_stale_version_raises_stale_version(
        self, billing: Billing, acme: Account, engine: Engine
    ) -> None:
        sub_id = billing.subscribe("basic").id
        first, second = UnitOfWork(engine), UnitOfWork(engine)
        with first:
            mine = first.subscriptions.get(sub_id)
        with second:
            theirs = second.subscriptions.get(sub_id)
        with first:
            first.subscriptions.save(replace(mine, auto_renew=False))
            first.commit()

        with second, pytest.raises(StaleVersion) as refused:
            second.subscriptions.save(replace(theirs, plan=replace(theirs.plan, quantity=20)))

        assert refused.value.code == "stale_version"
        sub = billing.subscription()
        assert (sub.auto_renew, sub.plan.quantity, sub.version) == (False, 10, 2)

    def test_saving_the_current_version_bumps_it(self, billing: Billing, acme: Account) -> None:
        sub = billing.subscribe("basic")
        with billing.uow:
            saved = billing.uow.subscriptions.save(replace(sub, version=1, auto_renew=False))
            billing.uow.commit()

        assert saved.version == 2
        assert billing.subscription().version == 2
