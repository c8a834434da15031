"""Amounts and dates as an account reads them: its locale, its timezone, the document's currency."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval
from babel.numbers import format_currency

from tierline.documents.labels import CATALOGUES, EN, Labels
from tierline.domain.periods import Period

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

    @classmethod
    def of(cls, locale: str | None, timezone: str | None, currency: str) -> Formatter:
        resolved = resolve_locale(locale)
        return cls(
            locale=resolved,
            timezone=resolve_timezone(timezone),
            currency=currency.upper(),
            labels=CATALOGUES.get(resolved.language, EN),
        )

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

    def date(self, instant: datetime, *, style: str = "long") -> str:
        """The calendar day of an instant in the account's timezone."""
        return format_date(instant.astimezone(self.timezone).date(), style, locale=self.locale)

    def period(self, period: Period) -> str:
        start = period.start.astimezone(self.timezone).date()
        end = period.end.astimezone(self.timezone).date()
        if start == end:
            return format_date(start, "medium", locale=self.locale)
        return format_interval(start, end, "yMMMd", locale=self.locale)
