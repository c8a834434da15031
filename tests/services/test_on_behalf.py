"""Actions on behalf of an account from the console: the role allows them or refuses them, they
go through the portal's services, and each is in the audit log with before and after."""

from __future__ import annotations

from decimal import Decimal

import pytest
from service_builders import FIRST_RENEWAL, Billing

from tierline.domain.account import Account
from tierline.errors import (
    Invalid,
    InvoiceNotVoidable,
    OperatorNotPermitted,
    PaymentFailed,
    SalesManaged,
)
from tierline.services.audit import Actor, audit_entries
from tierline.services.invoice_void import VoidInvoice, void_invoice
from tierline.services.on_behalf import (
    AdjustBalance,
    ChangeOnBehalf,
    adjust_balance,
    cancel_change_for,
    change_for,
    portal_link_for,
    preview_balance_adjustment,
    preview_change_for,
    retry_payment_for,
    set_auto_renew_for,
    set_sales_managed_for,
)

OWNER = Actor("op_owner", "owner@example.com", "owner")
SUPPORT = Actor("op_support", "support@example.com", "support")
FINANCE = Actor("op_finance", "finance@example.com", "finance")
DEBIT_CARD = "4000056655665556"  # declined after the first payment
READ_ONLY = Actor("op_read", "read@example.com", "read_only")


def last_entry(billing: Billing) -> dict[str, object]:
    entry = audit_entries(OWNER, uow=billing.uow, limit=1)[0]
    return {
        "by": entry.operator_email, "action": entry.action, "account": entry.account_id,
        "before": entry.before, "after": entry.after,
    }  # fmt: skip


class TestChange:
    def test_support_previews_then_applies_an_upgrade_and_the_log_has_both_plans(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", "month", 10)
        cmd = ChangeOnBehalf("acme", quantity=20)

        preview = preview_change_for(SUPPORT, cmd, uow=billing.uow, clock=billing.clock)
        result = change_for(SUPPORT, cmd, uow=billing.uow, clock=billing.clock,
                            gateway=billing.gateway)  # fmt: skip

        assert result.preview.total_now == preview.total_now
        assert billing.subscription().plan.quantity == 20
        entry = last_entry(billing)
        assert (entry["by"], entry["action"], entry["account"]) == (
            "support@example.com",
            "subscription.change",
            "acme",
        )
        assert entry["before"]["quantity"] == 10  # type: ignore[index]
        assert entry["after"]["quantity"] == 20  # type: ignore[index]
        assert entry["after"]["invoice"] == result.invoice  # type: ignore[index]

    def test_read_only_and_finance_may_not_change_a_plan(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", "month", 10)
        for actor in (READ_ONLY, FINANCE):
            with pytest.raises(OperatorNotPermitted):
                change_for(actor, ChangeOnBehalf("acme", quantity=20), uow=billing.uow,
                           clock=billing.clock, gateway=billing.gateway)  # fmt: skip
        assert billing.subscription().plan.quantity == 10

    def test_an_operator_changes_the_plan_of_a_sales_managed_account_which_itself_cannot(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic", "month", 10)
        set_sales_managed_for(SUPPORT, "acme", True, uow=billing.uow, clock=billing.clock)
        with pytest.raises(SalesManaged) as refused:
            billing.change(quantity=20)  # the customer, in the portal or with an API key
        assert (refused.value.code, billing.subscription().plan.quantity) == ("sales_managed", 10)

        cmd = ChangeOnBehalf("acme", quantity=20)
        preview = preview_change_for(SUPPORT, cmd, uow=billing.uow, clock=billing.clock)
        result = change_for(SUPPORT, cmd, uow=billing.uow, clock=billing.clock,
                            gateway=billing.gateway)  # fmt: skip

        assert result.preview.total_now == preview.total_now > 0
        assert billing.subscription().plan.quantity == 20
        assert last_entry(billing)["action"] == "subscription.change"
        with pytest.raises(SalesManaged):
            billing.change(quantity=30)  # still offline only for the customer
        assert billing.subscription().plan.quantity == 20

    def test_a_scheduled_change_can_be_canceled(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic", "month", 10)
        billing.change(quantity=5)  # a decrease waits for the renewal
        assert billing.subscription().pending is not None

        cancel_change_for(SUPPORT, "acme", uow=billing.uow, clock=billing.clock)

        assert billing.subscription().pending is None
        entry = last_entry(billing)
        assert entry["before"]["pending"]["quantity"] == 5  # type: ignore[index]
        assert entry["after"]["pending"] is None  # type: ignore[index]

    def test_auto_renewal_off_is_logged(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic", "month", 10)
        set_auto_renew_for(SUPPORT, "acme", False, uow=billing.uow, clock=billing.clock)
        assert billing.subscription().auto_renew is False
        assert last_entry(billing)["after"] == {"auto_renew": False}


class TestAccount:
    def test_a_sales_managed_account_can_no_longer_buy_online(
        self, billing: Billing, acme: Account
    ) -> None:
        set_sales_managed_for(SUPPORT, "acme", True, uow=billing.uow, clock=billing.clock)

        with pytest.raises(SalesManaged):
            billing.subscribe("basic", "month", 10)
        assert last_entry(billing)["before"] == {"sales_managed": False}

    def test_a_portal_link_is_logged_without_its_secret(
        self, billing: Billing, acme: Account
    ) -> None:
        link = portal_link_for(SUPPORT, "acme", "admin", uow=billing.uow, clock=billing.clock)
        entry = last_entry(billing)
        assert entry["action"] == "portal.link"
        assert link.token not in str(entry)


class TestMoney:
    def test_retrying_a_declined_renewal_with_a_new_card_pays_it(
        self, billing: Billing, catalog: object
    ) -> None:
        billing.account("acme", cards=(DEBIT_CARD,), backup=None)
        billing.subscribe("basic", "month", 10, trial=False)
        billing.decline(DEBIT_CARD)
        billing.advance(FIRST_RENEWAL)  # the renewal is declined
        invoice = next(i for i in billing.invoices() if i.status == "open")
        billing.add_card("4242424242424242", id="new", primary=True)

        paid = retry_payment_for(SUPPORT, "acme", invoice.number, uow=billing.uow,
                                 clock=billing.clock, gateway=billing.gateway)  # fmt: skip

        assert paid.invoice.status == "paid"
        assert last_entry(billing)["after"] == {"status": "paid", "receipt": paid.receipt.number}

    def test_a_retry_that_is_declined_again_is_logged_and_refused(
        self, billing: Billing, catalog: object
    ) -> None:
        billing.account("acme", cards=(DEBIT_CARD,), backup=None)
        billing.subscribe("basic", "month", 10, trial=False)
        billing.decline(DEBIT_CARD)
        billing.advance(FIRST_RENEWAL)
        invoice = next(i for i in billing.invoices() if i.status == "open")

        with pytest.raises(PaymentFailed):
            retry_payment_for(SUPPORT, "acme", invoice.number, uow=billing.uow,
                              clock=billing.clock, gateway=billing.gateway)  # fmt: skip
        assert last_entry(billing)["action"] == "invoice.retry_payment"

    def test_finance_adjusts_the_balance_with_a_reason_after_a_preview(
        self, billing: Billing, acme: Account
    ) -> None:
        cmd = AdjustBalance("acme", "12.50", "goodwill for the outage")
        preview = preview_balance_adjustment(FINANCE, cmd, uow=billing.uow)
        done = adjust_balance(FINANCE, cmd, uow=billing.uow, clock=billing.clock)

        assert preview == done
        assert (done.before, done.after) == (Decimal(0), Decimal("12.50"))
        assert billing.balance() == Decimal("12.50")
        assert last_entry(billing)["after"] == {
            "balance": "12.50", "amount": "12.50", "reason": "goodwill for the outage"
        }  # fmt: skip
        [entry] = [e for e in billing.journal() if e.kind == "balance_adjustment"]
        assert sum(line.amount for line in entry.lines) == 0

    def test_the_balance_never_goes_below_zero_and_a_reason_is_required(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(Invalid) as below:
            adjust_balance(FINANCE, AdjustBalance("acme", "-1.00", "x"), uow=billing.uow,
                           clock=billing.clock)  # fmt: skip
        with pytest.raises(Invalid) as no_reason:
            adjust_balance(FINANCE, AdjustBalance("acme", "1.00", " "), uow=billing.uow,
                           clock=billing.clock)  # fmt: skip
        assert (below.value.code, below.value.param) == ("balance_below_zero", "amount")
        assert (no_reason.value.code, no_reason.value.param) == ("reason_required", "reason")

    def test_support_may_not_adjust_a_balance(self, billing: Billing, acme: Account) -> None:
        with pytest.raises(OperatorNotPermitted):
            adjust_balance(SUPPORT, AdjustBalance("acme", "1.00", "x"), uow=billing.uow,
                           clock=billing.clock)  # fmt: skip


class TestVoid:
    def test_voiding_a_declined_renewal_forgives_it_and_the_subscription_is_active_again(
        self, billing: Billing, catalog: object
    ) -> None:
        billing.account("acme", cards=(DEBIT_CARD,), backup=None)
        billing.subscribe("basic", "month", 10, trial=False)
        billing.decline(DEBIT_CARD)
        billing.advance(FIRST_RENEWAL)
        invoice = next(i for i in billing.invoices() if i.status == "open")
        assert billing.subscription().status == "past_due"

        voided = void_invoice(FINANCE, VoidInvoice("acme", invoice.number, "outage month"),
                              uow=billing.uow, clock=billing.clock)  # fmt: skip

        assert voided.status == "void" and voided.number == invoice.number
        assert billing.subscription().status == "active"
        void_entry = next(e for e in billing.journal() if e.kind == "invoice_void")
        assert sum(line.amount for line in void_entry.lines) == 0
        assert last_entry(billing)["after"] == {"status": "void", "reason": "outage month"}

    def test_a_paid_invoice_is_not_voided(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic", "month", 10)
        paid = billing.invoices()[0]
        with pytest.raises(InvoiceNotVoidable) as refused:
            void_invoice(FINANCE, VoidInvoice("acme", paid.number, "x"), uow=billing.uow,
                         clock=billing.clock)  # fmt: skip
        assert refused.value.param == "invoice"

    def test_support_may_not_void_an_invoice(self, billing: Billing, acme: Account) -> None:
        with pytest.raises(OperatorNotPermitted):
            void_invoice(SUPPORT, VoidInvoice("acme", "INV-X", "x"), uow=billing.uow,
                         clock=billing.clock)  # fmt: skip
