"""Catalog versions on a catalog sold in EUR and GBP, on both stores: each account's price is
compared in its own currency when a new version is installed, and a version may not stop selling
in a currency some account is billed in.

Basic costs 3.00 EUR / 2.50 GBP a seat a month. acme (EUR) and club (GBP) each subscribe to
basic × 10 on Jan 31 10:00 (30.00 EUR and 25.00 GBP a month; renewals on Feb 28, Mar 31 and
Apr 30 at 10:00). On Feb 1 the operator installs a new version.
"""

from __future__ import annotations

from typing import Any

import pytest
from service_builders import VISA, Billing, a_catalog, utc

from tierline.catalog import parse_catalog
from tierline.domain.catalog import Catalog
from tierline.errors import CurrencyInUse
from tierline.services.accounts import CreateAccount, create_account
from tierline.services.catalog_versions import replace_catalog

FEB_1 = utc(2026, 2, 1, 10)
MARCH_31 = utc(2026, 3, 31, 10)


def in_two_currencies(
    basic: dict[str, str] | None = None, currencies: tuple[str, ...] = ("EUR", "GBP")
) -> Catalog:
    """The default catalog sold in `currencies`, basic at `basic` a seat a month."""
    amounts = {"EUR": "3.00", "GBP": "2.50", "USD": "3.50"}

    def each(prices: dict[str, str]) -> dict[str, str]:
        return {code: prices[code] for code in currencies}

    body: dict[str, Any] = a_catalog(
        currencies=list(currencies),
        meters=[{"code": "sms", "name": "SMS", "unit_price": each({"EUR": "0.05", "GBP": "0.04",
                                                                    "USD": "0.06"})}],
        addons=[],
        balance={"top_up_min": each({"EUR": "10.00", "GBP": "8.00", "USD": "10.00"})},
    )  # fmt: skip
    body["editions"][1]["prices"][0]["per_unit"] = each({**amounts, **(basic or {})})
    body["editions"][2]["prices"][0]["per_unit"] = each({"EUR": "6.00", "GBP": "5.00",
                                                         "USD": "7.00"})  # fmt: skip
    return parse_catalog(body)


def an_account(billing: Billing, id: str, currency: str) -> None:
    create_account(
        CreateAccount(name=id.title(), id=id, currency=currency),
        uow=billing.uow, clock=billing.clock,
    )  # fmt: skip
    billing.add_card(VISA, id="main", account=id)


@pytest.fixture
def subscribed(billing: Billing) -> Billing:
    """acme (EUR) and club (GBP) on basic × 10, monthly, on Feb 1."""
    replace_catalog(in_two_currencies(), uow=billing.uow, clock=billing.clock)
    an_account(billing, "acme", "EUR")
    an_account(billing, "club", "GBP")
    billing.subscribe("basic", quantity=10, account="acme")
    billing.subscribe("basic", quantity=10, account="club")
    billing.advance(FEB_1)
    return billing


class TestAPriceChangeInOneCurrency:
    def test_only_the_subscribers_billed_in_it_are_told(self, subscribed: Billing) -> None:
        result = replace_catalog(
            in_two_currencies({"GBP": "3.00"}), existing="next_renewal",
            uow=subscribed.uow, clock=subscribed.clock,
        )  # fmt: skip

        assert (result.announced, result.moved) == (1, 1)
        assert subscribed.messages("club")[-1] == "subscription.price_changing"
        assert subscribed.message_texts("club")[-1] == (
            "The price of your Basic subscription changes from 25.00 GBP to 30.00 GBP at its "
            "renewal on 2026-03-31."
        )
        assert "subscription.price_changing" not in subscribed.messages("acme")
        club, acme = subscribed.subscription("club"), subscribed.subscription("acme")
        assert club.price_change is not None
        assert (club.price_change.version, club.price_change.at) == (2, MARCH_31)
        assert (acme.catalog_version, acme.price_change) == (2, None)

    def test_under_keep_the_subscribers_billed_in_it_keep_their_version(
        self, subscribed: Billing
    ) -> None:
        result = replace_catalog(
            in_two_currencies({"GBP": "3.00"}), existing="keep",
            uow=subscribed.uow, clock=subscribed.clock,
        )  # fmt: skip

        assert (result.kept, result.moved) == (1, 1)
        assert subscribed.subscription("club").catalog_version == 1
        assert subscribed.subscription("acme").catalog_version == 2


class TestACurrencyDropped:
    def test_a_version_that_no_longer_sells_in_an_account_s_currency_is_refused(
        self, subscribed: Billing
    ) -> None:
        before = [subscribed.snapshot(a) for a in ("acme", "club")]

        with pytest.raises(CurrencyInUse) as refused:
            replace_catalog(
                in_two_currencies(currencies=("EUR",)), existing="next_renewal",
                uow=subscribed.uow, clock=subscribed.clock,
            )  # fmt: skip

        assert (refused.value.code, refused.value.param) == ("currency_in_use", "currencies")
        assert refused.value.details == {"currencies": {"GBP": 1}}
        assert "GBP" in refused.value.message and "1 account is billed in GBP" in (
            refused.value.message
        )
        assert [subscribed.snapshot(a) for a in ("acme", "club")] == before
        with subscribed.uow:
            assert subscribed.uow.catalogs.current_version == 1

    def test_an_account_without_a_subscription_holds_its_currency_too(
        self, billing: Billing
    ) -> None:
        replace_catalog(in_two_currencies(), uow=billing.uow, clock=billing.clock)
        an_account(billing, "club", "GBP")
        an_account(billing, "pub", "GBP")

        with pytest.raises(CurrencyInUse, match="2 accounts are billed in GBP"):
            replace_catalog(
                in_two_currencies(currencies=("EUR",)), uow=billing.uow, clock=billing.clock
            )

    def test_a_currency_no_account_is_billed_in_may_be_dropped_or_added(
        self, subscribed: Billing
    ) -> None:
        replace_catalog(
            in_two_currencies(currencies=("EUR", "GBP", "USD")),
            uow=subscribed.uow, clock=subscribed.clock,
        )  # fmt: skip

        result = replace_catalog(in_two_currencies(), uow=subscribed.uow, clock=subscribed.clock)

        assert (result.version, result.moved) == (3, 2)
