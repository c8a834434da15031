"""A catalog sold in EUR and GBP, compared with a new version in every currency: a price changed
in GBP alone is a change, for the diff, for catalog equality and for the subscriptions billed in
GBP; and a version may not stop selling in a currency an account is billed in.

Pro costs 6.00 EUR / 5.00 GBP a seat a month (a year is 12 months at 20 % off); the new version
raises it to 5.50 GBP a seat and leaves the euro price as it was.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tierline.domain.catalog import Catalog, Cycle, Edition, Price, QuantityRange, in_currencies
from tierline.domain.catalog_diff import Affected, PriceMove, diff_catalogs, for_customers
from tierline.domain.catalog_versions import check_currencies
from tierline.domain.errors import CurrencyInUse
from tierline.domain.periods import CycleLength
from tierline.domain.plan import Plan


def priced(currency: str, per_seat: str, currencies: tuple[str, ...]) -> Catalog:
    return Catalog(
        currency=currency,
        quantity_unit="seat",
        cycles=(
            Cycle("month", CycleLength(months=1)),
            Cycle("year", CycleLength(months=12), discount_percent=Decimal(20)),
        ),
        editions=(
            Edition(
                "pro",
                "Pro",
                1,
                quantity=QuantityRange(1, 100, 10),
                prices=(Price("month", per_unit=Decimal(per_seat)),),
            ),
        ),
        currencies=currencies,
    )


def pro_at(eur: str = "6.00", gbp: str = "5.00") -> Catalog:
    both = ("EUR", "GBP")
    return in_currencies({"EUR": priced("EUR", eur, both), "GBP": priced("GBP", gbp, both)})["EUR"]


BEFORE, AFTER = pro_at(), pro_at(gbp="5.50")
PRO = Plan("pro", "month", 10)


class TestAPriceChangedInOneCurrency:
    def test_makes_another_catalog(self) -> None:
        assert pro_at() == BEFORE
        assert AFTER != BEFORE
        assert pro_at(eur="6.50") != BEFORE

    def test_is_listed_in_that_currency_alone(self) -> None:
        moves = for_customers(BEFORE, AFTER).prices

        assert moves == (
            PriceMove("edition", "pro", "Pro", "month", "GBP", 10, True,
                      Decimal("5.00"), Decimal("5.50")),
            PriceMove("edition", "pro", "Pro", "year", "GBP", 10, True,
                      Decimal("48.00"), Decimal("52.80")),
        )  # fmt: skip

    def test_a_subscription_billed_in_it_pays_more_and_one_in_another_the_same(self) -> None:
        affected = for_customers(BEFORE, AFTER, [(PRO, "GBP"), (PRO, "EUR")]).affected

        assert affected == Affected(more=1, same=1)

    def test_is_a_change_of_the_stored_body_section_by_section(self) -> None:
        def body(gbp: str) -> dict[str, object]:
            price = {"cycle": "month", "per_unit": {"EUR": "6.00", "GBP": gbp}}
            return {"currency": "EUR", "currencies": ["EUR", "GBP"],
                    "editions": [{"code": "pro", "name": "Pro", "prices": [price]}]}  # fmt: skip

        [change] = diff_catalogs(body("5.00"), body("5.50"))

        assert (change.section, change.code, change.field) == ("editions", "pro", "prices.month")
        assert change.after == {"cycle": "month", "per_unit": {"EUR": "6.00", "GBP": "5.50"}}


class TestCheckCurrencies:
    def test_a_version_that_sells_in_every_currency_accounts_are_billed_in_passes(self) -> None:
        check_currencies(AFTER, {"EUR": 3, "GBP": 1})

    def test_a_currency_no_account_is_billed_in_may_go(self) -> None:
        check_currencies(priced("EUR", "6.00", ()), {"EUR": 3, "GBP": 0})

    def test_a_currency_accounts_are_billed_in_is_refused_with_their_number(self) -> None:
        euro_only = priced("EUR", "6.00", ())

        with pytest.raises(CurrencyInUse) as refused:
            check_currencies(euro_only, {"EUR": 3, "USD": 1, "GBP": 2})

        assert (refused.value.code, refused.value.param) == ("currency_in_use", "currencies")
        assert refused.value.details == {"currencies": {"GBP": 2, "USD": 1}}
        assert refused.value.message.startswith(
            "The new catalog does not sell in GBP, USD: 2 accounts are billed in GBP, 1 in USD."
        )
