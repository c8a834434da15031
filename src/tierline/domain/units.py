"""What a quantity counts, in English words: the catalog's `quantity_unit` for one count.

A unit has a form per plural category of a language (CLDR's `zero`, `one`, `two`, `few`, `many`,
`other`): English writes "1 seat" and "12 seats". Which category a count falls in is the caller's
to say (Babel knows each language's rules); this module only holds the words.

The words come from the catalog's `quantity_unit_forms` when it declares the language, else from
the English forms Tierline knows for common units (`BUILT_IN`), else the unit as the catalog wrote
it. This is what document lines store; a reader's language gets its words from the gettext
catalogs (`tierline.documents.units`, through `Formatter.count`).
"""

from __future__ import annotations

from collections.abc import Mapping

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")

# language → plural category → word; `other` is always there.
UnitForms = Mapping[str, Mapping[str, str]]
# unit → the forms a catalog declares for it (`Catalog.units()`)
Units = Mapping[str, UnitForms]


def _forms(one: str, other: str) -> UnitForms:
    return {"en": {"one": one, "other": other}}


BUILT_IN: Mapping[str, UnitForms] = {
    "seat": _forms("seat", "seats"),
    "user": _forms("user", "users"),
    "member": _forms("member", "members"),
    "account": _forms("account", "accounts"),
    "contact": _forms("contact", "contacts"),
    "agent": _forms("agent", "agents"),
    "license": _forms("license", "licenses"),
    "licence": _forms("licence", "licences"),
    "device": _forms("device", "devices"),
    "project": _forms("project", "projects"),
    "gb": _forms("GB", "GB"),
    "tb": _forms("TB", "TB"),
}
"""English forms of common units; other languages' are in the gettext catalogs (context "unit")."""


def english_category(count: int) -> str:
    """English (CLDR) for a whole number: `one` for exactly 1, else `other`."""
    return "one" if count == 1 else "other"


def unit_word(unit: str, language: str, category: str, declared: UnitForms | None = None) -> str:
    """The word for `unit` in `language` for a count of plural `category`.

    `declared` is what the catalog says of its `quantity_unit` (language → category → word).
    """
    known = BUILT_IN.get(unit.strip().lower(), {})
    for source in (declared or {}, known):
        forms = source.get(language)
        if forms:
            return forms.get(category) or forms["other"]
    for source in (declared or {}, known):
        forms = source.get("en")
        if forms:
            return forms["one"] if category == "one" and "one" in forms else forms["other"]
    return unit
