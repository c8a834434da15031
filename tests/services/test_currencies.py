"""An account is billed in the currency chosen at its creation, for life: its invoices, payments,
balance and messages are all in it, priced from the catalog's amounts in that currency.

The catalog is the default one (`service_builders.a_catalog`) sold in EUR and GBP: basic 3.00
EUR / 2.50 GBP and pro 6.00 EUR / 5.00 GBP a seat a month, the external user pack 9.00 EUR /
8.00 GBP, SMS 0.05 EUR / 0.04 GBP, top-ups of at least 10.00 EUR / 8.00 GBP.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from service_builders import FIRST_RENEWAL, MID_FEBRUARY, VISA, Billing, utc
from sqlalchemy import event

from tierline.domain.account import Account
from tierline.domain.catalog import Catalog
from tierline.errors import CurrencyInUse, Invalid, UnsupportedCurrency
from tierline.services.accounts import (
    CreateAccount,
    UpdateAccount,
    create_account,
    update_account,
)
from tierline.services.catalog import quote_price
from tierline.services.renewal import issue_due_batch
from tierline.services.tax_report import tax_report_for


def two_currencies(billing: Billing, **sections: Any) -> Catalog:
    return billing.install(
        currencies=["EUR", "GBP"],
        editions=[
            {"code": "free", "rank": 0, "free": True, "quantity": {"min": 10, "max": 10}},
            {
                "code": "basic",
                "rank": 1,
                "quantity": {"min": 1, "max": 100, "default": 10},
                "prices": [{"cycle": "month", "per_unit": {"EUR": "3.00", "GBP": "2.50"}}],
            },
            {
                "code": "pro",
                "rank": 2,
                "quantity": {"min": 1, "max": 100, "default": 10},
                "prices": [{"cycle": "month", "per_unit": {"EUR": "6.00", "GBP": "5.00"}}],
            },
        ],
        addons=[
            {
                "code": "external-users",
                "grants": {"external_users": 100},
                "prices": [{"cycle": "month", "per_unit": {"EUR": "9.00", "GBP": "8.00"}}],
            }
        ],
        meters=[{"code": "sms", "name": "SMS", "unit_price": {"EUR": "0.05", "GBP": "0.04"}}],
        balance={"top_up_min": {"EUR": "10.00", "GBP": "8.00"}},
        **sections,
    )


@pytest.fixture
def catalog(billing: Billing) -> Catalog:
    return two_currencies(billing)


def an_account(billing: Billing, id: str, currency: str | None) -> Account:
    account = create_account(
        CreateAccount(name=id.title(), id=id, currency=currency),
        uow=billing.uow, clock=billing.clock,
    )  # fmt: skip
    billing.add_card(VISA, id="main", account=id)
    return account


@pytest.fixture
def club(billing: Billing, catalog: Catalog) -> Account:
    return an_account(billing, "club", "GBP")


class TestCreateAccount:
    def test_an_account_is_billed_in_the_currency_it_chose(self, club: Account) -> None:
        assert club.currency == "GBP"

    def test_without_a_currency_an_account_is_billed_in_the_catalogs(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        assert an_account(billing, "atelier", None).currency == "EUR"

    def test_a_currency_the_catalog_does_not_sell_in_is_refused_and_nothing_stored(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        with pytest.raises(UnsupportedCurrency) as refused:
            create_account(
                CreateAccount(name="Acme", id="acme", currency="USD"),
                uow=billing.uow, clock=billing.clock,
            )  # fmt: skip

        assert (refused.value.code, refused.value.param) == ("unsupported_currency", "currency")
        assert isinstance(refused.value, Invalid)
        with billing.uow:
            assert billing.uow.accounts.find("acme") is None

    def test_the_currency_is_read_again_as_chosen(self, billing: Billing, club: Account) -> None:
        with billing.uow:
            assert billing.uow.accounts.get("club").currency == "GBP"


class TestBilledInItsCurrency:
    def test_a_subscription_is_priced_and_charged_in_the_accounts_currency(
        self, billing: Billing, club: Account
    ) -> None:
        """10 seats × 2.50 GBP = 25.00 GBP, charged in GBP."""
        billing.subscribe(edition="basic", quantity=10, account="club")

        (invoice,) = billing.invoices("club")
        assert (invoice.lines[0].unit_amount, invoice.total) == (Decimal("2.50"), Decimal("25.00"))
        entries = [e for e in billing.gateway.ledger.entries() if e.account == "club"]
        assert [(e.amount, e.currency) for e in entries] == [(Decimal("25.00"), "GBP")]
        assert "Invoice INV-2026-000001 issued: 25.00 GBP to pay." in billing.message_texts("club")

    def test_a_change_is_prorated_at_the_accounts_prices(
        self, billing: Billing, club: Account
    ) -> None:
        """Half of February left: pro 10 × 5.00 × 14/28 = 25.00, less basic 25.00 × 14/28 =
        12.50: 12.50 GBP."""
        billing.subscribe(edition="basic", quantity=10, account="club")
        billing.advance(MID_FEBRUARY)

        result = billing.change(account="club", edition="pro")

        assert result.preview.total_now == Decimal("12.50")
        change = billing.invoices("club")[-1]
        assert [line.amount for line in change.lines] == [Decimal("25.00"), Decimal("-12.50")]

    def test_renewals_in_a_batch_keep_each_accounts_currency(
        self, billing: Billing, club: Account
    ) -> None:
        """The billing run renews a GBP and a EUR account together: 10 × 2.50 GBP = 25.00 and
        10 × 3.00 EUR = 30.00, each charged in its currency."""
        an_account(billing, "atelier", "EUR")
        billing.subscribe(edition="basic", quantity=10, account="club")
        billing.subscribe(edition="basic", quantity=10, account="atelier")

        billing.advance(FIRST_RENEWAL)

        renewals = {a: billing.invoices(a)[-1] for a in ("club", "atelier")}
        assert {a: (i.reason, i.total) for a, i in renewals.items()} == {
            "club": ("renewal", Decimal("25.00")),
            "atelier": ("renewal", Decimal("30.00")),
        }
        charged = [(e.account, e.amount, e.currency) for e in billing.gateway.ledger.entries()]
        assert charged[-2:] == [
            ("club", Decimal("25.00"), "GBP"),
            ("atelier", Decimal("30.00"), "EUR"),
        ] or charged[-2:] == [
            ("atelier", Decimal("30.00"), "EUR"),
            ("club", Decimal("25.00"), "GBP"),
        ]

    def test_the_balance_is_topped_up_and_spent_in_the_accounts_currency(
        self, billing: Billing, club: Account
    ) -> None:
        """8.00 is the GBP minimum (10.00 in EUR); 100 SMS × 0.04 GBP = 4.00."""
        billing.subscribe(edition="basic", quantity=10, account="club")

        billing.top_up("8.00", account="club")
        fee = billing.usage(100, account="club")

        assert (fee, billing.balance("club")) == (Decimal("4.00"), Decimal("4.00"))
        assert billing.gateway.ledger.entries()[-1].currency == "GBP"

    def test_the_top_up_minimum_is_the_accounts_currency_one(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        an_account(billing, "atelier", "EUR")
        billing.subscribe(edition="basic", quantity=10, account="atelier")

        with pytest.raises(Invalid) as refused:
            billing.top_up("8.00", account="atelier")

        assert (refused.value.code, refused.value.details["min"]) == ("invalid_amount", "10.00")
        assert refused.value.message.endswith(" EUR.")

    def test_a_catalog_that_no_longer_sells_in_the_accounts_currency_is_not_installed(
        self, billing: Billing, club: Account
    ) -> None:
        with pytest.raises(CurrencyInUse) as refused:
            billing.install()  # the default catalog: EUR alone

        assert refused.value.param == "currencies"
        billing.subscribe(edition="basic", quantity=10, account="club")
        assert [i.total for i in billing.invoices("club")] == [Decimal("25.00")]  # 10 × 2.50 GBP


class TestQuote:
    def test_a_quote_is_in_the_currency_asked(self, billing: Billing, catalog: Catalog) -> None:
        quote = quote_price("pro", "month", 4, uow=billing.uow, currency="GBP")

        assert (quote.total, quote.currency) == (Decimal("20.00"), "GBP")

    def test_a_quote_is_in_the_catalogs_currency_by_default(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        quote = quote_price("pro", "month", 4, uow=billing.uow)

        assert (quote.total, quote.currency) == (Decimal("24.00"), "EUR")

    def test_a_quote_in_a_currency_not_sold_is_refused(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        with pytest.raises(UnsupportedCurrency) as refused:
            quote_price("pro", "month", 4, uow=billing.uow, currency="USD")

        assert refused.value.param == "currency"


class TestTaxReport:
    def test_a_tax_report_sums_the_documents_of_one_currency(
        self, billing: Billing, club: Account
    ) -> None:
        """French VAT at 20 %: 10 × 2.50 GBP = 25.00 taxed 5.00 GBP; 10 × 3.00 EUR = 30.00
        taxed 6.00 EUR. Never 55.00 of nothing in particular."""
        seller = {"name": "Tierline SAS", "country": "FR", "tax_id": "FR40303265045"}
        two_currencies(billing, seller=seller, tax={"rates": [{"country": "FR", "rate": "20"}]})
        an_account(billing, "atelier", "EUR")
        for account in ("club", "atelier"):
            update_account(UpdateAccount(account, country="FR"), uow=billing.uow)
            billing.subscribe(edition="basic", quantity=10, account=account)

        day = billing.clock.now().date()
        reports = {
            code: tax_report_for(day, day, uow=billing.uow, currency=code)
            for code in ("GBP", "EUR", None)
        }

        assert {code: (r.currency, r.taxable, r.tax) for code, r in reports.items()} == {
            "GBP": ("GBP", Decimal("25.00"), Decimal("5.00")),
            "EUR": ("EUR", Decimal("30.00"), Decimal("6.00")),
            None: ("EUR", Decimal("30.00"), Decimal("6.00")),
        }


class TestBatchReads:
    def test_a_batch_reads_the_accounts_currency_with_its_accounts(
        self, billing: Billing, catalog: Catalog
    ) -> None:
        """Twice the subscriptions in a batch run the same statements: no query per account
        for its currency. Two accounts subscribe on Jan 31 and renew on Feb 28; four more
        subscribe on Feb 28 and renew on Mar 28, before the first two renew again (Mar 31)."""
        engine = billing.uow.batch()._engine

        def statements_renewing(accounts: list[tuple[str, str]], due: datetime) -> int:
            for account_id, currency in accounts:
                an_account(billing, account_id, currency)
                billing.subscribe(edition="basic", quantity=10, account=account_id)
            billing.clock.set(due)
            seen: list[str] = []

            def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
                seen.append(statement)

            event.listen(engine, "before_cursor_execute", count)
            try:
                renewed = issue_due_batch(uow=billing.uow.batch(), clock=billing.clock).settled
            finally:
                event.remove(engine, "before_cursor_execute", count)
            assert renewed == len(accounts)
            return len(seen)

        few = statements_renewing([("a1", "GBP"), ("a2", "EUR")], FIRST_RENEWAL)
        many = statements_renewing(
            [("b1", "GBP"), ("b2", "EUR"), ("b3", "GBP"), ("b4", "EUR")], utc(2026, 3, 28, 10)
        )

        assert many == few
