"""Operator texts given per language: edition, add-on, meter and cycle names, limit labels and
transition messages."""

from __future__ import annotations

from typing import Any

import pytest

from tierline.catalog import CatalogError, catalog_to_dict, parse_catalog

PRICE = [{"cycle": "month", "per_unit": "5.00"}]
MINIMAL: dict[str, Any] = {
    "currency": "EUR",
    "quantity_unit": "seat",
    "cycles": [{"code": "month", "months": 1}],
    "editions": [
        {"code": "free", "rank": 0, "free": True},
        {"code": "pro", "rank": 1, "prices": PRICE, "limits": {"attachment_upload_gb": 5}},
    ],
}
PROFESSIONAL = {"en": "Professional", "fr": "Professionnel", "it": "Professionale"}


def with_edition_name(name: object) -> dict[str, Any]:
    pro = {**MINIMAL["editions"][1], "name": name}
    return {**MINIMAL, "editions": [MINIMAL["editions"][0], pro]}


def issues(data: dict[str, Any]) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    return [str(issue) for issue in caught.value.issues]


class TestTranslatedTexts:
    def test_a_name_given_as_a_string_reads_the_same_in_every_language(self) -> None:
        catalog = parse_catalog(with_edition_name("Professional"))
        pro = catalog.edition("pro")
        assert pro is not None
        assert pro.name == "Professional"
        assert pro.names == {}
        assert pro.name_in("fr") == "Professional"

    def test_a_name_given_per_language_keeps_its_english_as_the_name(self) -> None:
        catalog = parse_catalog(with_edition_name(PROFESSIONAL))
        pro = catalog.edition("pro")
        assert pro is not None
        assert pro.name == "Professional"
        assert pro.name_in("fr-CA") == "Professionnel"
        assert pro.name_in("vi") == "Professional"
        assert parse_catalog(catalog_to_dict(catalog)) == catalog

    def test_a_name_per_language_needs_its_english(self) -> None:
        assert issues(with_edition_name({"fr": "Professionnel"})) == [
            "editions[1].name.en: required: the English text"
        ]

    def test_an_unknown_language_is_refused_with_its_path(self) -> None:
        assert issues(with_edition_name({"en": "Professional", "de": "Professionell"})) == [
            "editions[1].name.de: unknown language (one of en, fr, it, vi)"
        ]

    def test_a_translation_is_a_text(self) -> None:
        assert issues(with_edition_name({"en": "Professional", "fr": " "})) == [
            "editions[1].name.fr: must not be empty"
        ]
        assert issues(with_edition_name(["Professional"])) == [
            "editions[1].name: must be a text, or a mapping of language to text such as "
            "{en: …, fr: …}"
        ]

    def test_addon_cycle_and_meter_names_and_messages_may_be_translated(self) -> None:
        data = {
            **MINIMAL,
            "cycles": [{"code": "month", "months": 1, "name": {"en": "Month", "it": "Mese"}}],
            "addons": [{"code": "up", "name": {"en": "Uploads", "fr": "Envois"}, "prices": PRICE}],
            "meters": [{"code": "sms", "name": {"en": "SMS", "vi": "Tin nhắn"},
                        "unit_price": "0.05"}],
            "policies": {"transitions": [{"from": ["pro"], "to": ["free"], "message": {
                "en": "Cancel first.", "fr": "Résiliez d'abord."}}]},
        }  # fmt: skip
        catalog = parse_catalog(data)
        assert catalog.cycles[0].name_in("it") == "Mese"
        assert catalog.addons[0].name_in("fr") == "Envois"
        assert catalog.meters[0].name_in("vi") == "Tin nhắn"
        rule = catalog.transition_rule("pro", "free")
        assert rule is not None
        assert (rule.message, rule.message_in("fr")) == ("Cancel first.", "Résiliez d'abord.")
        assert parse_catalog(catalog_to_dict(catalog)) == catalog

    def test_a_translated_message_needs_its_english_too(self) -> None:
        data = {**MINIMAL, "policies": {"transitions": [
            {"from": ["pro"], "to": ["free"], "message": {"it": "Annulla prima."}}]}}  # fmt: skip
        assert issues(data) == ["policies.transitions[0].message.en: required: the English text"]

    def test_a_limit_takes_a_label_per_language(self) -> None:
        label = {"en": "Attachment uploads (GB)", "fr": "Pièces jointes envoyées (Go)"}
        catalog = parse_catalog({**MINIMAL, "limit_labels": {"attachment_upload_gb": label}})
        assert catalog.limit_label("attachment_upload_gb", "fr") == "Pièces jointes envoyées (Go)"
        assert catalog.limit_label("attachment_upload_gb", "it") == "Attachment uploads (GB)"
        assert catalog.limit_label("external_users", "fr") is None
        assert parse_catalog(catalog_to_dict(catalog)) == catalog

    def test_a_label_names_a_known_limit(self) -> None:
        labels = {"uploads": "Uploads", "attachment_upload_gb": {"en": "Uploads", "xx": "?"}}
        assert issues({**MINIMAL, "limit_labels": labels}) == [
            "limit_labels.uploads: unknown limit 'uploads' (no edition or add-on has it)",
            "limit_labels.attachment_upload_gb.xx: unknown language (one of en, fr, it, vi)",
        ]
