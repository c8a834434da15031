"""Exact money: Decimal amounts in a currency, rounded once per line, half up.

Amounts are stored as integer minor units; the exponent of each currency comes from ISO 4217.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache, lru_cache

# ISO 4217 minor-unit exponents that differ from 2. Every other code uses 2.
_EXPONENTS: dict[str, int] = {
    "BHD": 3, "BIF": 0, "CLF": 4, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3,
    "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0, "TND": 3,
    "UGX": 0, "UYI": 0, "UYW": 4, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}  # fmt: skip


def currency_exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def is_currency_code(code: str) -> bool:
    return len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()


@cache
def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-currency_exponent(currency))


def round_amount(value: Decimal | Fraction | int, currency: str) -> Decimal:
    """Round once, half up, to the currency's minor unit."""
    if isinstance(value, Fraction):
        return round_fraction(value, currency)  # a Decimal division would round first
    return Decimal(value).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def multiply(amount: Decimal, factor: Fraction, currency: str) -> Decimal:
    """amount × factor, computed exactly and rounded once."""
    exact = Fraction(amount) * factor
    return round_fraction(exact, currency)


def round_fraction(value: Fraction, currency: str) -> Decimal:
    scale = 10 ** currency_exponent(currency)
    scaled = value * scale
    sign = -1 if scaled < 0 else 1
    magnitude = abs(scaled)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    if 2 * rest >= magnitude.denominator:
        whole += 1
    return Decimal(sign * whole).scaleb(-currency_exponent(currency))


@lru_cache(maxsize=4096)  # a batch stores the same few amounts many times over
def to_minor(amount: Decimal, currency: str) -> int:
    scaled = amount.scaleb(currency_exponent(currency))
    units = int(scaled)
    if units != scaled:
        raise ValueError(f"{amount} has more decimals than {currency} allows")
    return units


def from_minor(units: int, currency: str) -> Decimal:
    return Decimal(units).scaleb(-currency_exponent(currency)).quantize(quantum(currency))


def zero(currency: str) -> Decimal:
    return Decimal(0).quantize(quantum(currency))
