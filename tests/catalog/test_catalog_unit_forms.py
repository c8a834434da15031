"""`quantity_unit_forms`: how the catalog's unit is written, per language and plural form."""

from __future__ import annotations

from typing import Any

import pytest

from tierline.catalog import CatalogError, catalog_to_dict, parse_catalog

MINIMAL: dict[str, Any] = {
    "currency": "EUR",
    "quantity_unit": "workstation",
    "cycles": [{"code": "month", "months": 1}],
    "editions": [{"code": "pro", "rank": 1, "prices": [{"cycle": "month", "per_unit": "5.00"}]}],
}

FORMS = {
    "en": {"one": "workstation", "other": "workstations"},
    "fr": {"one": "poste", "many": "de postes", "other": "postes"},
    "vi": {"other": "máy trạm"},
}


def issues(forms: object) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog({**MINIMAL, "quantity_unit_forms": forms})
    return [str(issue) for issue in caught.value.issues]


class TestUnitForms:
    def test_they_are_optional(self) -> None:
        catalog = parse_catalog(MINIMAL)
        assert catalog.quantity_unit_forms == {}
        assert catalog.units() == {}

    def test_declared_forms_are_kept_and_stored_back(self) -> None:
        catalog = parse_catalog({**MINIMAL, "quantity_unit_forms": FORMS})
        assert catalog.quantity_unit_forms == FORMS
        assert catalog.units() == {"workstation": FORMS}
        assert parse_catalog(catalog_to_dict(catalog)) == catalog

    def test_a_language_is_a_lowercase_code(self) -> None:
        assert issues({"French": {"other": "postes"}}) == [
            "quantity_unit_forms.French: not a language code such as en or fr"
        ]

    def test_a_form_is_a_plural_category(self) -> None:
        assert issues({"fr": {"plural": "postes", "other": "postes"}}) == [
            "quantity_unit_forms.fr.plural: not a plural category "
            "(one of zero, one, two, few, many, other)"
        ]

    def test_the_other_form_is_required(self) -> None:
        assert issues({"fr": {"one": "poste"}}) == [
            "quantity_unit_forms.fr.other: required: the form for most counts"
        ]

    def test_a_form_is_a_word(self) -> None:
        assert issues({"fr": {"other": ""}}) == ["quantity_unit_forms.fr.other: must not be empty"]
        assert issues({"fr": {"other": 3}}) == ["quantity_unit_forms.fr.other: must be a string"]
