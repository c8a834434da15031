"""A catalog priced in several currencies, in the domain: which currency a new account is billed
in, and the catalog in each currency, with no file, database or clock."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tierline.domain.account import billing_currency
from tierline.domain.catalog import Catalog, Cycle, Edition, Meter, Price, in_currencies
from tierline.domain.errors import Invalid, UnsupportedCurrency
from tierline.domain.periods import CycleLength
from tierline.domain.pricing import edition_quote


def priced(currency: str, per_seat: str, sms: str = "0.05") -> Catalog:
    """One edition at `per_seat` a seat a month, a year at 20 % off, SMS at `sms`."""
    return Catalog(
        currency=currency,
        quantity_unit="seat",
        cycles=(
            Cycle("month", CycleLength(months=1)),
            Cycle("year", CycleLength(months=12), discount_percent=Decimal(20)),
        ),
        editions=(Edition("pro", "Pro", 1, prices=(Price("month", per_unit=Decimal(per_seat)),)),),
        meters=(Meter("sms", "SMS", Decimal(sms)),),
        currencies=("EUR", "GBP"),
    )


def eur_and_gbp(eur: str = "6.00", gbp: str = "5.00") -> Catalog:
    return in_currencies({"EUR": priced("EUR", eur), "GBP": priced("GBP", gbp, "0.04")})["EUR"]


class TestBillingCurrency:
    def test_an_account_takes_the_currency_it_asks_for_among_the_catalogs(self) -> None:
        assert billing_currency(eur_and_gbp(), "GBP") == "GBP"

    def test_without_asking_an_account_takes_the_catalogs_currency(self) -> None:
        assert billing_currency(eur_and_gbp(), None) == "EUR"

    def test_a_code_is_read_in_capitals(self) -> None:
        assert billing_currency(eur_and_gbp(), " gbp ") == "GBP"

    @pytest.mark.parametrize("asked", ["USD", "", "EURO"])
    def test_a_currency_the_catalog_does_not_sell_in_is_refused_naming_the_field(
        self, asked: str
    ) -> None:
        with pytest.raises(UnsupportedCurrency) as refused:
            billing_currency(eur_and_gbp(), asked)

        assert isinstance(refused.value, Invalid)
        assert (refused.value.code, refused.value.param) == ("unsupported_currency", "currency")
        assert refused.value.details["supported"] == ["EUR", "GBP"]

    def test_a_catalog_without_currencies_sells_in_its_currency_alone(self) -> None:
        alone = replace(priced("EUR", "6.00"), currencies=())

        assert alone.billing_currencies() == ("EUR",)
        with pytest.raises(UnsupportedCurrency):
            billing_currency(alone, "GBP")


class TestInCurrency:
    def test_each_currency_prices_from_its_own_amounts(self) -> None:
        catalog = eur_and_gbp()
        gbp = catalog.in_currency("GBP")
        pro, month = gbp.editions[0], gbp.cycles[0]

        quote = edition_quote(gbp, pro, month, 10)

        assert quote is not None and quote.amount == Decimal("50.00")
        assert gbp.meters[0].unit_price == Decimal("0.04")
        assert catalog.in_currency("EUR") is catalog

    def test_a_currency_without_prices_is_refused_as_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="no prices in USD"):
            eur_and_gbp().in_currency("USD")

    def test_a_translated_catalog_keeps_its_other_currencies(self) -> None:
        catalog = eur_and_gbp()

        gbp = catalog.in_language("fr").in_currency("GBP")

        assert gbp.editions[0].prices[0].per_unit == Decimal("5.00")
        assert gbp.in_currency("EUR").editions[0].prices[0].per_unit == Decimal("6.00")


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)


@given(eur=amounts, gbp=amounts, quantity=st.integers(1, 500), cycle=st.sampled_from([0, 1]))
def test_a_quote_in_a_currency_is_the_quote_of_that_currencys_catalog_alone(
    eur: Decimal, gbp: Decimal, quantity: int, cycle: int
) -> None:
    """Derived prices (a year from the month, less its discount) and their rounding come from
    the chosen currency's amounts only, whatever the other currency's are."""
    catalog = eur_and_gbp(str(eur), str(gbp))
    for code, amount in (("EUR", eur), ("GBP", gbp)):
        alone = replace(priced(code, str(amount)), currencies=())
        mine = catalog.in_currency(code)

        got = edition_quote(mine, mine.editions[0], mine.cycles[cycle], quantity)
        expected = edition_quote(alone, alone.editions[0], alone.cycles[cycle], quantity)

        assert got == expected
        assert catalog.in_currency("GBP").in_currency(code) is mine
