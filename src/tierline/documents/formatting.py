"""Amounts and dates as an account reads them: its locale, its timezone, the document's currency."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, localcontext
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval
from babel.numbers import format_currency, format_decimal

from tierline.documents.labels import CATALOGUES, EN, Labels
from tierline.documents.units import unit_count, unit_name
from tierline.domain.account import Account
from tierline.domain.lines import Line, describe
from tierline.domain.periods import Period
from tierline.domain.units import Units, unit_word
from tierline.domain.values import replace
from tierline.i18n import words

FALLBACK_LOCALE = "en"


def resolve_locale(tag: str | None) -> Locale:
    """The Babel locale for an account's locale tag (`fr`, `fr-CA`, `vi_VN`).

    A tag Babel does not know, or whose language has no catalogue, gives English: a document is
    printed in one language, its words and its numbers alike.
    """
    try:
        locale = Locale.parse((tag or FALLBACK_LOCALE).strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return Locale.parse(FALLBACK_LOCALE)
    if locale.language not in CATALOGUES:
        return Locale.parse(FALLBACK_LOCALE)
    return locale


def labels_for(tag: str | None) -> Labels:
    """The catalogue of an account's locale tag; English when the language is not supported."""
    return CATALOGUES.get(resolve_locale(tag).language, EN)


def resolve_timezone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def text(value: str) -> str:
    """Text as printed: composed Unicode (NFC), so 'ệ' is one glyph whatever its source."""
    return unicodedata.normalize("NFC", value)


@dataclass(frozen=True)
class Formatter:
    locale: Locale
    timezone: ZoneInfo
    currency: str
    labels: Labels
    # unit → the forms the catalog declares for it (its `quantity_unit_forms`)
    units: Units = field(default_factory=dict, compare=False)
    # edition and add-on names as lines store them (English) → in this language (the catalog's)
    names: Mapping[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def of(
        cls,
        locale: str | None,
        timezone: str | None,
        currency: str,
        units: Units | None = None,
        names: Mapping[str, str] | None = None,
    ) -> Formatter:
        resolved = resolve_locale(locale)
        return cls(
            locale=resolved,
            timezone=resolve_timezone(timezone),
            currency=currency.upper(),
            labels=CATALOGUES.get(resolved.language, EN),
            units=units or {},
            names=names or {},
        )

    @classmethod
    def for_account(cls, account: Account, units: Units | None = None) -> Formatter:
        """How `account` reads: its locale, its timezone, its currency."""
        return cls.of(account.locale, account.timezone, account.currency, units)

    @property
    def language(self) -> str:
        return str(self.locale.language)

    def money(self, amount: Decimal) -> str:
        """An amount with its currency, never rounded: a unit price may have more decimals."""
        if amount == 0:
            amount = abs(amount)  # no "-0,00 €"
        return format_currency(
            amount, self.currency, locale=self.locale, decimal_quantization=False
        )

    def number(self, value: int) -> str:
        with localcontext() as exact:  # Babel rounds in the current context: room for every digit
            exact.prec = max(exact.prec, len(str(abs(value))) + 4)
            return format_decimal(value, locale=self.locale)

    def number_text(self, value: Decimal) -> str:
        """An exact decimal such as a tax rate, in the reader's digits: 19,6 in French."""
        with localcontext() as exact:
            exact.prec = max(exact.prec, len(str(abs(value))) + 4)
            return format_decimal(value.normalize(), locale=self.locale,
                                  decimal_quantization=False)  # fmt: skip

    def count(self, quantity: int, unit: str | None) -> str:
        """A quantity and its unit in the form the language uses for it: "12 seats", "1 siège";
        without a unit (packs), the number alone.

        The catalog's own forms for this language come first (`quantity_unit_forms`), then the
        gettext catalogs' for the units Tierline knows, then the catalog's English forms, then
        the unit as the catalog wrote it."""
        if unit is None:
            return self.number(quantity)
        declared = self.units.get(unit)
        if not (declared and declared.get(self.language)):
            known = unit_count(words(self.language), unit, quantity, self.number(quantity))
            if known is not None:
                return known
        category = self.locale.plural_form(quantity)
        word = unit_word(unit, self.language, category, declared)
        return f"{self.number(quantity)} {word}"

    def unit_name(self, unit: str, *, plural: bool = False) -> str:
        """A unit alone, without a number: one of it ("seat", "siège": "8,00 $US par siège"), or
        the plural naming them all ("seats", "sièges": "Sièges : utilisés / achetés").

        Found as `count` finds its words: the catalog's own forms for this language (`one`, or
        `other` for the plural), then the gettext catalogs' for the units Tierline knows, then
        the catalog's English forms, then the unit as the catalog wrote it."""
        declared = self.units.get(unit)
        if not (declared and declared.get(self.language)):
            known = unit_name(words(self.language), unit, plural=plural)
            if known is not None:
                return known
        return unit_word(unit, self.language, "other" if plural else "one", declared)

    def describe(self, line: Line) -> str:
        """A line's description in this language; a line written before lines had a wording
        keeps the description it was stored with."""
        if line.wording is None:
            return line.description
        words = self.labels.lines
        wording = line.wording
        if wording.name is not None and wording.name in self.names:
            wording = replace(wording, name=self.names[wording.name])
        return describe(line.kind, wording, line.quantity, words=words, count=self.count)

    def date(self, instant: datetime, *, style: str = "long") -> str:
        """The calendar day of an instant in the account's timezone."""
        return format_date(instant.astimezone(self.timezone).date(), style, locale=self.locale)

    def period(self, period: Period) -> str:
        start = period.start.astimezone(self.timezone).date()
        end = period.end.astimezone(self.timezone).date()
        if start == end:
            return format_date(start, "medium", locale=self.locale)
        return format_interval(start, end, "yMMMd", locale=self.locale)
