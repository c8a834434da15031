"""Words in the reader's language, from gettext catalogs.

    translations(locale) -> Translations   # the catalog of a locale tag (Babel's)
    words(locale) -> Words                 # gettext for Python code, values filled in
    language_of(locale) -> str             # "fr" for "fr-CA"; "en" when unsupported

The catalogs are `tierline/locale/<language>/LC_MESSAGES/tierline.po` (English, French, Italian,
Vietnamese), compiled to the `.mo` files beside them, which are kept in the repository (a test
checks they match their `.po`). A message id is the English text; its values are written
`%(name)s` and a literal percent sign `%%`, as Jinja2's new-style gettext reads them. The same
English said two ways in another language carries a context (`pgettext("change", "Upgrade")`).
Counts use `ngettext`, whose forms follow each language's CLDR plural rules (`%(num)s` is the
count). A locale whose language has no catalog reads English; so does a message id a catalog lacks.

Templates read the same catalogs: `tierline.i18n_templates`.

Catalogs are updated with `make translations` (Babel's extract, update and compile; `babel.cfg`
says where the words are).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations

DOMAIN = "tierline"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "fr", "it", "vi")
"""The languages Tierline has catalogs for; English is the source language."""
DEFAULT_LANGUAGE = "en"

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "Words",
    "is_supported",
    "language_of",
    "translations",
    "words",
]


def language_of(locale: str | None) -> str:
    """The catalog language of a locale tag (`fr`, `fr-CA`, `vi_VN`); English when Babel does not
    know the tag or Tierline has no catalog for its language."""
    try:
        parsed = Locale.parse((locale or DEFAULT_LANGUAGE).strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return DEFAULT_LANGUAGE
    language = str(parsed.language)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def is_supported(locale: str) -> bool:
    """Whether `locale` is a locale tag Babel knows, in a language Tierline has a catalog for
    (`fr`, `fr-CA`, `vi_VN`; not `de`, `xx-YY` or `fr-`)."""
    try:
        parsed = Locale.parse(locale.strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return False
    return bool(locale.strip()) and str(parsed.language) in LANGUAGES


@cache
def _catalog(language: str) -> NullTranslations:
    found = Translations.load(LOCALE_DIR, [language], DOMAIN)
    if not isinstance(found, Translations):  # a missing `.mo` is an installation fault
        raise FileNotFoundError(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo")
    return found


def translations(locale: str | None) -> NullTranslations:
    """The catalog a reader of `locale` reads; loaded once per language."""
    return _catalog(language_of(locale))


@dataclass(frozen=True)
class Words:
    """gettext for Python code: each call returns the translated text with its values filled in
    (`%` formatting, always, as in templates: `%%` is a percent sign).

    Babel extracts the message ids of calls named `gettext`, `ngettext`, `pgettext` and
    `npgettext`, so call them by those names: `w.gettext("Invoice %(number)s", number=n)`.
    """

    language: str
    catalog: NullTranslations

    def gettext(self, message: str, /, **values: Any) -> str:
        return self.catalog.gettext(message) % values

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """The form of `n` in the reader's language; `%(num)s` is `n` unless given."""
        values.setdefault("num", n)
        return self.catalog.ngettext(singular, plural, n) % values

    def pgettext(self, context: str, message: str, /, **values: Any) -> str:
        return str(self.catalog.pgettext(context, message)) % values

    def npgettext(self, context: str, singular: str, plural: str, n: int, /, **values: Any) -> str:
        values.setdefault("num", n)
        return str(self.catalog.npgettext(context, singular, plural, n)) % values


def words(locale: str | None) -> Words:
    """The words of a reader of `locale`."""
    language = language_of(locale)
    return Words(language, _catalog(language))
