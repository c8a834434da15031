"""Catalog versions on both stores: a price rise kept away from existing subscriptions, or
announced for a renewal at least 30 days away.

acme subscribes to basic × 10 seats on Jan 31 10:00 (10 × 3.00 = 30.00 a month; renewals on
Feb 28, Mar 31 and Apr 30 at 10:00). On Feb 1 the operator raises basic to 3.50 a seat (35.00).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from service_builders import FIRST_RENEWAL, Billing, a_catalog, eur, utc

from tierline.catalog import parse_catalog
from tierline.domain.catalog_versions import Existing
from tierline.services.catalog_versions import CatalogReplaced, replace_catalog

FEB_1 = utc(2026, 2, 1, 10)
MARCH_31 = utc(2026, 3, 31, 10)
APRIL_30 = utc(2026, 4, 30, 10)


def raised(basic: str = "3.50", **sections: Any) -> Any:
    body = a_catalog(**sections)
    body["editions"][1]["prices"][0]["per_unit"] = basic
    return parse_catalog(body)


def replaced(billing: Billing, existing: Existing, catalog: Any = None) -> CatalogReplaced:
    return replace_catalog(
        catalog or raised(), existing=existing, uow=billing.uow, clock=billing.clock
    )


def renewals(billing: Billing, account: str = "acme") -> list[tuple[Any, Decimal]]:
    return [(i.period_start, i.total) for i in billing.invoices(account) if i.reason == "renewal"]


def on_basic_until_february(billing: Billing) -> None:
    billing.install()
    billing.account()
    billing.subscribe("basic", quantity=10)
    billing.advance(FEB_1)


class TestKeep:
    def test_existing_subscriptions_renew_at_the_price_they_were_sold_at(
        self, billing: Billing
    ) -> None:
        on_basic_until_february(billing)

        result = replaced(billing, "keep")

        billing.advance(APRIL_30)
        assert (result.version, result.kept, result.announced) == (2, 1, 0)
        assert renewals(billing) == [
            (FIRST_RENEWAL, eur("30.00")), (MARCH_31, eur("30.00")), (APRIL_30, eur("30.00")),
        ]  # fmt: skip
        assert billing.subscription().catalog_version == 1
        assert "subscription.price_changing" not in billing.messages()

    def test_a_new_subscription_is_sold_at_the_new_price(self, billing: Billing) -> None:
        on_basic_until_february(billing)
        replaced(billing, "keep")

        billing.account("globex")
        billing.subscribe("basic", quantity=10, account="globex")

        [first] = billing.invoices("globex")
        assert first.total == eur("35.00")
        assert billing.subscription("globex").catalog_version == 2

    def test_a_change_of_plan_moves_the_subscription_to_the_new_prices(
        self, billing: Billing
    ) -> None:
        on_basic_until_february(billing)
        replaced(billing, "keep")

        billing.change(quantity=12)  # quantity_increase: immediate, prorate
        billing.advance(MARCH_31)

        assert billing.subscription().catalog_version == 2
        assert renewals(billing)[-1] == (MARCH_31, eur("42.00"))  # 12 × 3.50


class TestNextRenewal:
    def test_the_customer_is_told_the_old_and_new_amounts_and_the_date(
        self, billing: Billing
    ) -> None:
        on_basic_until_february(billing)

        result = replaced(billing, "next_renewal")

        assert (result.announced, result.kept) == (1, 0)
        # Feb 1 + 30 days = Mar 3: the renewal on Feb 28 is too close, the one on Mar 31 is not.
        assert billing.messages()[-1] == "subscription.price_changing"
        assert billing.message_texts()[-1] == (
            "The price of your Basic subscription changes from 30.00 EUR to 35.00 EUR at its "
            "renewal on 2026-03-31."
        )
        change = billing.subscription().price_change
        assert change is not None and (change.version, change.at) == (2, MARCH_31)

    def test_the_new_price_reaches_the_announced_renewal_and_not_before(
        self, billing: Billing
    ) -> None:
        on_basic_until_february(billing)
        replaced(billing, "next_renewal")

        billing.advance(APRIL_30)

        assert renewals(billing) == [
            (FIRST_RENEWAL, eur("30.00")), (MARCH_31, eur("35.00")), (APRIL_30, eur("35.00")),
        ]  # fmt: skip
        sub = billing.subscription()
        assert (sub.catalog_version, sub.price_change) == (2, None)

    def test_a_shorter_notice_reaches_the_next_renewal(self, billing: Billing) -> None:
        on_basic_until_february(billing)

        replaced(billing, "next_renewal", raised(renewal={"price_change_notice_days": 14}))
        billing.advance(MARCH_31)

        assert renewals(billing) == [(FIRST_RENEWAL, eur("35.00")), (MARCH_31, eur("35.00"))]

    def test_a_subscription_whose_price_does_not_change_moves_without_a_notice(
        self, billing: Billing
    ) -> None:
        on_basic_until_february(billing)

        result = replaced(billing, "next_renewal", raised("3.00", meters=[]))

        assert (result.moved, result.announced) == (1, 0)
        assert billing.subscription().catalog_version == 2
        assert "subscription.price_changing" not in billing.messages()

    def test_subscriptions_on_several_versions_renew_in_one_billing_run(
        self, billing: Billing
    ) -> None:
        on_basic_until_february(billing)
        replaced(billing, "keep")  # acme keeps 3.00
        billing.account("globex")
        billing.subscribe("basic", quantity=10, account="globex")  # 3.50, renews on Mar 1
        replaced(billing, "next_renewal", raised("4.00"))  # both told; acme from Mar 31

        billing.advance(MARCH_31)

        assert renewals(billing) == [(FIRST_RENEWAL, eur("30.00")), (MARCH_31, eur("40.00"))]
        # globex, sold on Feb 1 at 35.00: Feb 1 + 30 days = Mar 3, so Apr 1 takes 40.00.
        assert renewals(billing, "globex") == [(utc(2026, 3, 1, 10), eur("35.00"))]
