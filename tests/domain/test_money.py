from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from tierline.domain.money import (
    currency_exponent,
    from_minor,
    is_currency_code,
    multiply,
    quantum,
    round_amount,
    round_fraction,
    to_minor,
    zero,
)


class TestExponents:
    def test_usd_has_two_decimals(self) -> None:
        assert currency_exponent("USD") == 2

    def test_jpy_has_no_decimals(self) -> None:
        assert currency_exponent("JPY") == 0

    def test_kwd_has_three_decimals(self) -> None:
        assert currency_exponent("KWD") == 3

    def test_an_unlisted_currency_has_two_decimals(self) -> None:
        assert currency_exponent("EUR") == 2

    def test_the_quantum_is_one_minor_unit(self) -> None:
        assert (quantum("USD"), quantum("JPY"), quantum("KWD")) == (
            Decimal("0.01"),
            Decimal("1"),
            Decimal("0.001"),
        )

    def test_zero_carries_the_currency_decimals(self) -> None:
        assert str(zero("USD")) == "0.00"
        assert str(zero("JPY")) == "0"
        assert str(zero("KWD")) == "0.000"

    def test_a_currency_code_is_three_upper_case_letters(self) -> None:
        assert is_currency_code("EUR")
        assert not is_currency_code("eur")
        assert not is_currency_code("EURO")
        assert not is_currency_code("E1R")


class TestRounding:
    def test_half_a_cent_rounds_up(self) -> None:
        assert round_amount(Decimal("2.345"), "USD") == Decimal("2.35")

    def test_less_than_half_a_cent_rounds_down(self) -> None:
        assert round_amount(Decimal("2.3449"), "USD") == Decimal("2.34")

    def test_half_a_yen_rounds_up_to_one_yen(self) -> None:
        assert round_amount(Decimal("0.5"), "JPY") == Decimal("1")

    def test_kwd_rounds_to_the_fils(self) -> None:
        assert round_amount(Decimal("1.2345"), "KWD") == Decimal("1.235")

    def test_negative_amounts_round_symmetrically(self) -> None:
        assert round_amount(Decimal("-2.345"), "USD") == Decimal("-2.35")
        assert round_amount(Decimal("-0.5"), "JPY") == Decimal("-1")

    def test_an_exact_fraction_is_rounded_once_not_first_to_28_digits(self) -> None:
        just_below_half = Fraction(2345 * 10**27 - 1, 10**30)  # 2.344999…9 (31 digits)
        assert round_amount(just_below_half, "USD") == Decimal("2.34")

    def test_a_fraction_of_exactly_half_rounds_up(self) -> None:
        assert round_fraction(Fraction(469, 200), "USD") == Decimal("2.35")

    def test_a_negative_fraction_rounds_symmetrically(self) -> None:
        assert round_fraction(Fraction(-469, 200), "USD") == Decimal("-2.35")

    def test_a_rounded_fraction_carries_the_currency_decimals(self) -> None:
        assert str(round_fraction(Fraction(1, 3), "USD")) == "0.33"
        assert str(round_fraction(Fraction(0), "KWD")) == "0.000"


class TestMultiply:
    def test_multiplying_by_an_exact_fraction_rounds_once(self) -> None:
        # 25.00 × 16/31 = 12.9032… → 12.90
        assert multiply(Decimal("25.00"), Fraction(16, 31), "EUR") == Decimal("12.90")

    def test_multiplying_by_a_third_three_times_can_differ_from_the_whole(self) -> None:
        third = multiply(Decimal("10.00"), Fraction(1, 3), "EUR")
        assert third == Decimal("3.33")
        assert multiply(Decimal("10.00"), Fraction(1), "EUR") == Decimal("10.00")

    def test_multiplying_rounds_half_up_on_the_exact_product(self) -> None:
        # 0.01 × 1/2 = 0.005 exactly → 0.01
        assert multiply(Decimal("0.01"), Fraction(1, 2), "EUR") == Decimal("0.01")

    def test_multiplying_yen_rounds_to_whole_yen(self) -> None:
        assert multiply(Decimal("1000"), Fraction(1, 3), "JPY") == Decimal("333")


class TestMinorUnits:
    @pytest.mark.parametrize(
        ("amount", "currency", "units"),
        [
            ("12.34", "USD", 1234),
            ("-12.34", "USD", -1234),
            ("1250", "JPY", 1250),
            ("1.234", "KWD", 1234),
            ("0.00", "EUR", 0),
        ],
    )
    def test_to_minor_and_from_minor_round_trip(
        self, amount: str, currency: str, units: int
    ) -> None:
        assert to_minor(Decimal(amount), currency) == units
        assert from_minor(units, currency) == Decimal(amount)

    def test_from_minor_carries_the_currency_decimals(self) -> None:
        assert str(from_minor(1250, "USD")) == "12.50"
        assert str(from_minor(7, "KWD")) == "0.007"

    def test_trailing_zeros_beyond_the_minor_unit_are_accepted(self) -> None:
        assert to_minor(Decimal("1.230"), "USD") == 123

    def test_to_minor_refuses_more_decimals_than_the_currency_has(self) -> None:
        with pytest.raises(ValueError, match="more decimals than USD"):
            to_minor(Decimal("1.234"), "USD")

    def test_to_minor_refuses_fractional_yen(self) -> None:
        with pytest.raises(ValueError):
            to_minor(Decimal("0.5"), "JPY")
