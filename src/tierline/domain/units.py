"""What a quantity counts, in words: the catalog's `quantity_unit` for one count, in one language.

A unit has a form per plural category of a language (CLDR's `zero`, `one`, `two`, `few`, `many`,
`other`): English and Italian write "1 seat" and "12 seats", French counts 0 and 1 as `one`,
Vietnamese has one form only. Which category a count falls in is the caller's to say (Babel knows
each language's rules); this module only holds the words.

The words come from the catalog's `quantity_unit_forms` when it declares the language, else from
the forms Tierline knows for common units (`BUILT_IN`), else from English, else the unit as the
catalog wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")

# language → plural category → word; `other` is always there.
UnitForms = Mapping[str, Mapping[str, str]]
# unit → the forms a catalog declares for it (`Catalog.units()`)
Units = Mapping[str, UnitForms]


def _forms(en: tuple[str, str], fr: tuple[str, str], it: tuple[str, str], vi: str) -> UnitForms:
    return {
        "en": {"one": en[0], "other": en[1]},
        "fr": {"one": fr[0], "other": fr[1]},
        "it": {"one": it[0], "other": it[1]},
        "vi": {"other": vi},
    }


BUILT_IN: Mapping[str, UnitForms] = {
    "seat": _forms(("seat", "seats"), ("siège", "sièges"), ("postazione", "postazioni"), "chỗ"),
    "user": _forms(
        ("user", "users"), ("utilisateur", "utilisateurs"), ("utente", "utenti"), "người dùng"
    ),
    "member": _forms(
        ("member", "members"), ("membre", "membres"), ("membro", "membri"), "thành viên"
    ),
    "account": _forms(
        ("account", "accounts"), ("compte", "comptes"), ("account", "account"), "tài khoản"
    ),
    "contact": _forms(
        ("contact", "contacts"), ("contact", "contacts"), ("contatto", "contatti"), "liên hệ"
    ),
    "agent": _forms(("agent", "agents"), ("agent", "agents"), ("agente", "agenti"), "nhân viên"),
    "license": _forms(
        ("license", "licenses"), ("licence", "licences"), ("licenza", "licenze"), "giấy phép"
    ),
    "licence": _forms(
        ("licence", "licences"), ("licence", "licences"), ("licenza", "licenze"), "giấy phép"
    ),
    "device": _forms(
        ("device", "devices"), ("appareil", "appareils"), ("dispositivo", "dispositivi"), "thiết bị"
    ),
    "project": _forms(
        ("project", "projects"), ("projet", "projets"), ("progetto", "progetti"), "dự án"
    ),
}


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
