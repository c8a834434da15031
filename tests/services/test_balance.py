from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from service_builders import (
    DECLINED,
    FIRST_RENEWAL,
    MASTERCARD,
    TIMES_OUT,
    VISA,
    Billing,
    at_once,
    eur,
)
from sqlalchemy import Engine

from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.domain.journal import BALANCE, CASH, REVENUE
from tierline.errors import (
    InsufficientBalance,
    Invalid,
    NotFound,
    PaymentFailed,
    SalesManaged,
    TopUpNotAllowed,
)
from tierline.services.accounts import UpdateAccount, update_account
from tierline.services.audit import Actor
from tierline.services.balance import (
    RecordUsage,
    TopUp,
    get_balance,
    record_usage,
    review_top_up,
    top_up,
)
from tierline.services.invoicing import issue_top_up_receipt
from tierline.services.on_behalf import AdjustBalance, adjust_balance
from tierline.services.queries import balance_transactions
from tierline.services.renewal import issue_due_batch
from tierline.store.uow import UnitOfWork


class TestTopUp:
    def test_a_top_up_charges_the_card_and_adds_to_the_balance(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")

        balance = billing.top_up("50.00")

        assert balance == eur("50.00") == get_balance("acme", uow=billing.uow)
        payment = billing.payments()[-1]
        assert (payment.status, payment.amount, payment.invoice_number) == (
            "succeeded", eur("50.00"), None,
        )  # fmt: skip
        entry = billing.journal()[-1]
        assert entry.kind == "top_up"
        assert {(line.ledger, line.amount) for line in entry.lines} == {
            (CASH, eur("50.00")), (BALANCE, eur("-50.00")),
        }  # fmt: skip
        assert "balance.topped_up" in billing.messages()

    def test_top_ups_add_up(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic")

        billing.top_up("10.00")
        balance = billing.top_up("12.34")

        assert balance == eur("22.34")
        assert [t.amount for t in balance_transactions("acme", uow=billing.uow)] == [
            eur("10.00"), eur("12.34"),
        ]  # fmt: skip

    def test_a_top_up_below_the_minimum_is_an_invalid_amount(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        before = billing.snapshot()

        with pytest.raises(Invalid) as refused:
            billing.top_up("9.99")

        assert (refused.value.code, refused.value.param) == ("invalid_amount", "amount")
        assert billing.snapshot() == before

    def test_a_top_up_above_the_maximum_is_an_invalid_amount(self, billing: Billing) -> None:
        billing.install(balance={"top_up_min": "10.00", "top_up_max": "100.00"})
        billing.account()
        billing.subscribe("basic")

        with pytest.raises(Invalid) as refused:
            billing.top_up("100.01")

        assert refused.value.code == "invalid_amount"
        assert billing.top_up("100.00") == eur("100.00")

    @pytest.mark.parametrize("text", ["abc", "12,50", "10.001", "-5.00", "0", "NaN"])
    def test_a_top_up_amount_that_is_not_a_positive_amount_in_cents_is_invalid(
        self, billing: Billing, acme: Account, text: str
    ) -> None:
        billing.subscribe("basic")

        with pytest.raises(Invalid) as refused:
            billing.top_up(text)

        assert (refused.value.code, refused.value.param) == ("invalid_amount", "amount")
        assert billing.balance() == eur("0.00")

    @pytest.mark.parametrize(
        "text",
        ["1e3", "1_0.00", " 10.00 ", "\u0661\u0660", "1,000.00", "+10.00", "10."],
        ids=["exponent", "underscore", "spaces", "Arabic-Indic digits", "thousands comma",
             "sign", "trailing point"],
    )  # fmt: skip
    def test_an_amount_not_written_in_plain_ascii_digits_is_refused_before_any_charge(
        self, billing: Billing, acme: Account, text: str
    ) -> None:
        billing.subscribe("basic")
        before = billing.snapshot()

        with pytest.raises(Invalid) as refused:
            billing.top_up(text)

        assert (refused.value.code, refused.value.param) == ("invalid_amount", "amount")
        assert billing.snapshot() == before

    def test_without_a_maximum_in_the_catalog_a_top_up_is_at_most_10000(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        before = billing.snapshot()

        with pytest.raises(Invalid) as refused:
            billing.top_up("999999999999")

        assert refused.value.details == {"min": "10.00", "max": "10000"}
        assert billing.snapshot() == before
        assert billing.top_up("10000") == eur("10000.00")

    def test_the_free_edition_cannot_top_up(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("free", quantity=None)

        with pytest.raises(TopUpNotAllowed) as refused:
            billing.top_up("50.00")

        assert refused.value.code == "top_up_not_allowed"
        assert billing.payments() == []

    def test_an_account_without_a_subscription_cannot_top_up(
        self, billing: Billing, acme: Account
    ) -> None:
        with pytest.raises(TopUpNotAllowed):
            billing.top_up("50.00")

    def test_a_sales_managed_account_cannot_top_up_online(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        update_account(UpdateAccount("acme", sales_managed=True), uow=billing.uow)

        with pytest.raises(SalesManaged) as refused:
            billing.top_up("50.00")

        assert refused.value.code == "sales_managed"
        assert billing.balance() == eur("0.00")

    def test_a_declined_top_up_keeps_the_attempts_and_not_the_money(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.decline(VISA)
        billing.decline(MASTERCARD)

        with pytest.raises(PaymentFailed):
            billing.top_up("50.00")

        assert billing.balance() == eur("0.00")
        assert [p.status for p in billing.payments()[1:]] == ["failed", "failed"]
        assert billing.journal()[-1].kind == "payment"

    def test_the_backup_card_pays_a_top_up_the_primary_declines(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(VISA,), backup=MASTERCARD)
        billing.subscribe("basic")
        billing.decline(VISA)

        assert billing.top_up("50.00") == eur("50.00")
        assert billing.gateway.captured[-1][0] == f"tok_{MASTERCARD}"

    def test_a_top_up_can_name_the_card_to_charge(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic")

        top_up(
            TopUp("acme", "20.00", payment_method="backup"),
            uow=billing.uow, clock=billing.clock, gateway=billing.gateway,
        )  # fmt: skip

        assert billing.payments()[-1].payment_method == "backup"
        assert billing.gateway.captured[-1][0] == f"tok_{MASTERCARD}"

    def test_a_top_up_naming_an_unknown_card_is_not_found(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")

        with pytest.raises(NotFound):
            top_up(
                TopUp("acme", "20.00", payment_method="ghost"),
                uow=billing.uow, clock=billing.clock, gateway=billing.gateway,
            )  # fmt: skip

    def test_a_top_up_on_the_card_that_times_out_is_charged_exactly_once(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(VISA,), backup=None)
        billing.subscribe("basic")
        billing.add_card(TIMES_OUT, id="slow", primary=True)

        assert billing.top_up("25.00") == eur("25.00")

        assert [(t, a) for t, a, _ in billing.gateway.captured[1:]] == [
            (f"tok_{TIMES_OUT}", eur("25.00"))
        ]
        assert billing.payments()[-1].status == "succeeded"

    def test_a_top_up_with_a_declined_primary_and_no_backup_fails(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        billing.account(cards=(VISA,), backup=None)
        billing.subscribe("basic")
        billing.add_card(DECLINED, id="bad", primary=True)

        with pytest.raises(PaymentFailed):
            billing.top_up("25.00")

        assert billing.balance() == eur("0.00")


class TestReviewTopUp:
    def test_a_review_names_the_amount_and_the_cards_and_charges_nothing(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        before = billing.snapshot()

        review = review_top_up(TopUp("acme", "50"), uow=billing.uow)

        assert (review.amount, review.currency) == (eur("50.00"), "EUR")
        assert (review.method.id, review.then and review.then.id) == ("main", "backup")
        assert billing.snapshot() == before
        assert billing.gateway.captured[1:] == []

    def test_a_review_of_a_named_card_has_no_other_card_to_fall_back_on(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")

        review = review_top_up(TopUp("acme", "20.00", payment_method="backup"), uow=billing.uow)

        assert (review.method.id, review.then) == ("backup", None)

    @pytest.mark.parametrize(
        ("amount", "edition", "refusal"),
        [("1e3", "basic", Invalid), ("9.99", "basic", Invalid), ("10001.00", "basic", Invalid),
         ("50.00", "free", TopUpNotAllowed)],
        ids=["exponent", "below the minimum", "above the maximum", "free edition"],
    )  # fmt: skip
    def test_a_review_refuses_what_the_top_up_would_refuse(
        self, billing: Billing, acme: Account, amount: str, edition: str, refusal: type[Exception]
    ) -> None:
        billing.subscribe(edition, **({"quantity": None} if edition == "free" else {}))

        with pytest.raises(refusal):
            review_top_up(TopUp("acme", amount), uow=billing.uow)


class TestTopUpReceipt:
    def test_a_top_up_receipt_names_no_invoice_the_amount_paid_and_the_method(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.top_up("50.00")
        attempt = billing.payments()[-1]

        with billing.uow:
            account = billing.uow.accounts.get("acme")
            receipt = issue_top_up_receipt(billing.uow, account, attempt, billing.clock.now())
            billing.uow.commit()

        stored = billing.receipts()[-1]
        assert stored == receipt
        assert (stored.invoice_number, stored.amount_paid, stored.payment_method) == (
            None, eur("50.00"), "main",
        )  # fmt: skip
        assert stored.lines == () and stored.number.startswith("RCT-2026-")


class TestRecordUsage:
    def test_usage_is_paid_from_the_balance(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic")
        billing.top_up("50.00")

        fee = billing.usage(120)

        assert fee == eur("6.00")
        assert billing.balance() == eur("44.00")
        entry = billing.journal()[-1]
        assert entry.kind == "usage"
        assert {(line.ledger, line.amount) for line in entry.lines} == {
            (BALANCE, eur("6.00")), (REVENUE, eur("-6.00")),
        }  # fmt: skip

    def test_usage_may_spend_the_whole_balance(self, billing: Billing, acme: Account) -> None:
        billing.subscribe("basic")
        billing.top_up("10.00")

        billing.usage(200)

        assert billing.balance() == eur("0.00")

    def test_usage_beyond_the_balance_is_refused_and_changes_nothing(
        self, billing: Billing, acme: Account
    ) -> None:
        billing.subscribe("basic")
        billing.top_up("10.00")
        before = billing.snapshot()

        with pytest.raises(InsufficientBalance) as refused:
            billing.usage(201)

        assert refused.value.code == "insufficient_balance"
        assert billing.snapshot() == before
        assert billing.balance() == eur("10.00")

    def test_a_fee_below_a_cent_is_rounded_once_half_up(self, billing: Billing) -> None:
        billing.install(
            meters=[
                {"code": "sms", "unit_price": "0.05"},
                {"code": "email", "unit_price": "0.002"},
            ]
        )
        billing.account()
        billing.subscribe("basic")
        billing.top_up("10.00")

        assert billing.usage(3, meter="email") == eur("0.01")
        assert billing.usage(2, meter="email") == eur("0.00")
        assert billing.balance() == eur("9.99")

    def test_an_unknown_meter_is_refused(self, billing: Billing, acme: Account) -> None:
        with pytest.raises(Invalid) as refused:
            billing.usage(1, meter="fax")

        assert (refused.value.code, refused.value.param) == ("unknown_meter", "meter")

    @pytest.mark.parametrize("quantity", [0, -3])
    def test_a_quantity_that_is_not_positive_is_refused(
        self, billing: Billing, acme: Account, quantity: int
    ) -> None:
        with pytest.raises(Invalid) as refused:
            billing.usage(quantity)

        assert refused.value.param == "quantity"


FINANCE = Actor("op_finance", "finance@example.com", "finance")


class TestOneBalanceSpentAtOnce:
    """On PostgreSQL two transactions may spend one balance at once: usage, an invoice that
    applies it, an operator's adjustment. Whoever reads a balance to spend it waits for the
    other to commit, then reads what is left."""

    @pytest.fixture(autouse=True)
    def _on_postgresql(self, engine: Engine) -> None:
        if engine.dialect.name != "postgresql":
            pytest.skip("SQLite takes one writer at a time: two never spend at once")

    def test_two_usages_at_once_spend_the_balance_once(
        self, billing: Billing, acme: Account, engine: Engine
    ) -> None:
        billing.subscribe("basic")
        billing.top_up("10.00")

        first, second = at_once(
            UnitOfWork(engine), _usage(billing, 150), UnitOfWork(engine), _usage(billing, 150)
        )

        assert first() == eur("7.50")
        with pytest.raises(InsufficientBalance):
            second()
        assert billing.balance() == eur("2.50")

    def test_usage_waits_for_a_renewal_that_applies_the_balance(
        self, billing: Billing, acme: Account, engine: Engine
    ) -> None:
        billing.subscribe("basic", trial=False)  # 30.00 a month
        billing.top_up("20.00")
        billing.clock.set(FIRST_RENEWAL)

        def renew(uow: UnitOfWork) -> int:
            return issue_due_batch(uow=uow, clock=billing.clock).settled

        first, second = at_once(
            UnitOfWork(engine).batch(), renew, UnitOfWork(engine), _usage(billing, 150)
        )

        assert first() == 1
        with pytest.raises(InsufficientBalance):
            second()
        [renewal] = [i for i in billing.invoices() if i.issued_at == FIRST_RENEWAL]
        assert renewal.balance_applied == eur("20.00")
        assert billing.balance() == eur("0.00")

    def test_an_adjustment_waits_for_usage_that_spends_the_balance(
        self, billing: Billing, acme: Account, engine: Engine
    ) -> None:
        billing.subscribe("basic")
        billing.top_up("10.00")

        def take_back(uow: UnitOfWork) -> Decimal:
            cmd = AdjustBalance("acme", "-5.00", "charged twice by mistake")
            return adjust_balance(FINANCE, cmd, uow=uow, clock=billing.clock).after

        first, second = at_once(
            UnitOfWork(engine), _usage(billing, 150), UnitOfWork(engine), take_back
        )

        assert first() == eur("7.50")
        with pytest.raises(Invalid) as refused:
            second()
        assert refused.value.code == "balance_below_zero"
        assert billing.balance() == eur("2.50")


def _usage(billing: Billing, quantity: int) -> Callable[[UnitOfWork], Decimal]:
    def use(uow: UnitOfWork) -> Decimal:
        return record_usage(RecordUsage("acme", "sms", quantity), uow=uow, clock=billing.clock)

    return use
