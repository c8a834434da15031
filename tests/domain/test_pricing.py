from __future__ import annotations

from decimal import Decimal

from builders import a_catalog, a_cycle, an_addon, an_edition, flat, per_unit

from tierline.domain.catalog import Catalog, Price, Tier
from tierline.domain.pricing import addon_quote, base_price, edition_quote, quote

VOLUME = Price(
    cycle="year",
    tiers_mode="volume",
    tiers=(
        Tier(up_to=500, flat=Decimal("290.00")),
        Tier(up_to=1000, flat=Decimal("490.00")),
        Tier(up_to=None, per_unit=Decimal("0.45")),
    ),
)
GRADUATED = Price(
    cycle="month",
    tiers_mode="graduated",
    tiers=(
        Tier(up_to=10, per_unit=Decimal("5.00")),
        Tier(up_to=50, per_unit=Decimal("4.00")),
        Tier(up_to=None, per_unit=Decimal("3.00"), flat=Decimal("20.00")),
    ),
)


def seed_001_catalog() -> Catalog:
    """Agent accounts billed monthly, quarterly (5 % off) or yearly (20 % off)."""
    return a_catalog(
        quantity_unit="account",
        cycles=(
            a_cycle("month", months=1),
            a_cycle("quarter", months=3, discount="5"),
            a_cycle("year", months=12, discount="20"),
        ),
        editions=(an_edition("standard", prices=(per_unit("2.50"),)),),
        addons=(),
    )


class TestPerUnit:
    def test_total_is_price_times_quantity(self) -> None:
        q = quote(per_unit("2.50"), 500, "EUR")
        assert (q.unit_amount, q.amount) == (Decimal("2.50"), Decimal("1250.00"))

    def test_the_unit_price_is_rounded_to_the_currency_before_multiplying(self) -> None:
        q = quote(per_unit("0.125"), 10, "EUR")
        assert (q.unit_amount, q.amount) == (Decimal("0.13"), Decimal("1.30"))

    def test_a_yen_unit_price_has_no_decimals(self) -> None:
        assert quote(per_unit("300"), 3, "JPY").amount == Decimal("900")


class TestFlat:
    def test_a_flat_price_ignores_the_quantity(self) -> None:
        q = quote(flat("49.00"), 7, "EUR")
        assert (q.unit_amount, q.amount, q.quantity) == (None, Decimal("49.00"), 7)


class TestVolumeTiers:
    def test_the_first_tier_applies_up_to_its_bound(self) -> None:
        assert quote(VOLUME, 500, "EUR").amount == Decimal("290.00")

    def test_one_unit_more_moves_every_unit_to_the_next_tier(self) -> None:
        assert quote(VOLUME, 501, "EUR").amount == Decimal("490.00")

    def test_the_open_tier_prices_every_unit_at_its_rate(self) -> None:
        q = quote(VOLUME, 2000, "EUR")
        assert (q.unit_amount, q.amount) == (Decimal("0.45"), Decimal("900.00"))

    def test_a_flat_tier_has_no_unit_price(self) -> None:
        assert quote(VOLUME, 10, "EUR").unit_amount is None


class TestGraduatedTiers:
    def test_units_within_the_first_tier_cost_its_rate(self) -> None:
        assert quote(GRADUATED, 4, "EUR").amount == Decimal("20.00")

    def test_each_tier_prices_only_its_own_units(self) -> None:
        # 10 × 5.00 + 30 × 4.00
        assert quote(GRADUATED, 40, "EUR").amount == Decimal("170.00")

    def test_entering_a_tier_adds_its_flat_fee(self) -> None:
        # 10 × 5.00 + 40 × 4.00 + (20.00 + 10 × 3.00)
        assert quote(GRADUATED, 60, "EUR").amount == Decimal("260.00")

    def test_graduated_quotes_have_no_single_unit_price(self) -> None:
        assert quote(GRADUATED, 40, "EUR").unit_amount is None


class TestDerivedPrices:
    def test_a_yearly_price_is_derived_from_the_monthly_with_the_discount(self) -> None:
        catalog = a_catalog()
        basic, year = catalog.edition("basic"), catalog.cycle("year")
        assert basic is not None and year is not None
        price = base_price(basic, year, catalog)
        assert price is not None
        assert (price.cycle, price.per_unit) == ("year", Decimal("24.00"))  # 2.50 × 12 × 0.8

    def test_a_derived_yearly_quote_is_the_derived_unit_times_quantity(self) -> None:
        catalog = a_catalog()
        basic, year = catalog.edition("basic"), catalog.cycle("year")
        assert basic is not None and year is not None
        q = edition_quote(catalog, basic, year, 500)
        assert q is not None
        assert (q.unit_amount, q.amount) == (Decimal("24.00"), Decimal("12000.00"))

    def test_an_explicit_price_wins_over_a_derived_one(self) -> None:
        catalog = a_catalog()
        pack, year = catalog.addon("external-users"), catalog.cycle("year")
        assert pack is not None and year is not None
        q = addon_quote(catalog, pack, year, 2)
        assert q is not None
        assert q.amount == Decimal("180.00")  # 90.00 explicit, not 9.00 × 12 × 0.8

    def test_derived_tiers_are_each_scaled_and_rounded(self) -> None:
        catalog = a_catalog(editions=(an_edition("tiered", prices=(GRADUATED,)),))
        tiered, year = catalog.edition("tiered"), catalog.cycle("year")
        assert tiered is not None and year is not None
        price = base_price(tiered, year, catalog)
        assert price is not None
        assert [(t.up_to, t.per_unit, t.flat) for t in price.tiers] == [
            (10, Decimal("48.00"), Decimal("0.00")),
            (50, Decimal("38.40"), Decimal("0.00")),
            (None, Decimal("28.80"), Decimal("192.00")),
        ]
        assert price.tiers_mode == "graduated"

    def test_no_price_is_derived_for_a_shorter_cycle(self) -> None:
        catalog = a_catalog(editions=(an_edition("yearly", prices=(per_unit("24.00", "year"),)),))
        yearly, month = catalog.edition("yearly"), catalog.cycle("month")
        assert yearly is not None and month is not None
        assert base_price(yearly, month, catalog) is None

    def test_no_price_is_derived_between_month_and_day_cycles(self) -> None:
        catalog = a_catalog(cycles=(a_cycle("month", months=1), a_cycle("30d", days=30)))
        basic, days = catalog.edition("basic"), catalog.cycle("30d")
        assert basic is not None and days is not None
        assert base_price(basic, days, catalog) is None

    def test_a_longer_cycle_with_a_bigger_discount_costs_less_per_month(self) -> None:
        catalog = seed_001_catalog()
        standard = catalog.edition("standard")
        assert standard is not None
        per_month = []
        for code in ("month", "quarter", "year"):
            cycle = catalog.cycle(code)
            assert cycle is not None
            q = edition_quote(catalog, standard, cycle, 10)
            assert q is not None
            per_month.append(q.amount / cycle.length.months)
        assert per_month == sorted(per_month, reverse=True)

    def test_a_derived_unit_price_is_rounded_before_it_is_multiplied(self) -> None:
        catalog = seed_001_catalog()
        standard, quarter = catalog.edition("standard"), catalog.cycle("quarter")
        assert standard is not None and quarter is not None
        q = edition_quote(catalog, standard, quarter, 10)
        assert q is not None
        # 2.50 × 3 × 0.95 = 7.125 → 7.13 per account; the customer can recompute 7.13 × 10.
        assert (q.unit_amount, q.amount) == (Decimal("7.13"), Decimal("71.30"))


class TestEditionAndAddonQuotes:
    def test_a_free_edition_costs_nothing(self) -> None:
        catalog = a_catalog()
        free, month = catalog.edition("free"), catalog.cycle("month")
        assert free is not None and month is not None
        q = edition_quote(catalog, free, month, 10)
        assert q is not None
        assert str(q.amount) == "0.00"

    def test_an_addon_is_priced_per_pack(self) -> None:
        catalog = a_catalog(addons=(an_addon("pack", prices=(per_unit("9.00"),)),))
        pack, month = catalog.addon("pack"), catalog.cycle("month")
        assert pack is not None and month is not None
        q = addon_quote(catalog, pack, month, 3)
        assert q is not None
        assert q.amount == Decimal("27.00")
