"""What a line says, and the unit's words: English as stored, with the unit in its plural form."""

from __future__ import annotations

import pytest

from tierline.domain.lines import LineWords, Wording, describe, english_count
from tierline.domain.units import BUILT_IN, english_category, unit_word

SEATS = Wording("item", name="Professional", unit="seat")
PACKS = Wording("item", name="External user pack")


class TestEnglishDescriptions:
    @pytest.mark.parametrize(
        ("quantity", "expected"),
        [(1, "Professional × 1 seat"), (12, "Professional × 12 seats"),
         (0, "Professional × 0 seats")],
    )  # fmt: skip
    def test_an_edition_line_counts_its_units_in_the_right_form(
        self, quantity: int, expected: str
    ) -> None:
        assert describe("subscription", SEATS, quantity) == expected

    def test_a_pack_line_is_the_pack_and_how_many(self) -> None:
        assert describe("addon", PACKS, 2) == "External user pack × 2"

    def test_the_rest_and_the_unused_part_of_a_period_name_the_item(self) -> None:
        remaining = Wording("remaining", name="Pro", unit="account")
        unused = Wording("unused", name="Standard", unit="account")
        assert describe("proration_charge", remaining, 1) == "Remaining time on Pro × 1 account"
        assert describe("refund", unused, 3) == "Unused time on Standard × 3 accounts"

    def test_a_credit_for_the_old_plan_names_its_credit_note(self) -> None:
        credit = Wording("credit", reference="CN-2026-000001")
        assert (
            describe("proration_credit", credit, None) == "Credit for unused time (CN-2026-000001)"
        )
        assert describe("refund", credit, None) == "Refund for unused time (CN-2026-000001)"
        assert describe("refund", Wording("credit"), None) == "Refund for unused time"

    @pytest.mark.parametrize(
        ("topic", "expected"),
        [("refunded_to_card", "Refunded to the card"),
         ("carried_to_balance", "Carried to the balance"),
         ("paid_from_balance", "Paid from balance")],
    )  # fmt: skip
    def test_where_money_went_is_said_plainly(self, topic: str, expected: str) -> None:
        assert describe("proration_credit", Wording(topic), None) == expected

    def test_another_language_passes_its_words_and_its_counting(self) -> None:
        words = LineWords(remaining="Temps restant sur {item}")
        text = describe(
            "proration_charge", Wording("remaining", name="Pro", unit="seat"), 12,
            words=words, count=lambda n, unit: f"{n} sièges",
        )  # fmt: skip
        assert text == "Temps restant sur Pro × 12 sièges"


class TestUnitWords:
    def test_english_counts_one_and_other(self) -> None:
        assert [english_category(n) for n in (0, 1, 2, 21)] == ["other", "one", "other", "other"]

    def test_known_units_have_their_english_words(self) -> None:
        assert unit_word("seat", "en", "other") == "seats"
        assert unit_word("Seat", "en", "one") == "seat"
        assert unit_word("contact", "en", "one") == "contact"

    def test_other_languages_are_not_the_domains_to_say(self) -> None:
        # their words are in the gettext catalogs (tests/documents/test_unit_words.py)
        assert unit_word("seat", "fr", "other") == "seats"

    def test_a_missing_category_takes_the_other_form(self) -> None:
        declared = {"fr": {"one": "place", "other": "places"}, "vi": {"other": "chỗ"}}
        assert unit_word("seat", "fr", "many", declared) == "places"
        assert unit_word("seat", "vi", "one", declared) == "chỗ"

    def test_the_catalog_declared_forms_come_first(self) -> None:
        declared = {"en": {"one": "workstation", "other": "workstations"},
                    "fr": {"one": "poste", "other": "postes"}}  # fmt: skip
        assert unit_word("workstation", "fr", "other", declared) == "postes"
        assert unit_word("seat", "fr", "one", {"fr": {"one": "place", "other": "places"}}) == (
            "place"
        )
        assert english_count(declared)(3, "workstation") == "3 workstations"

    def test_a_language_without_words_reads_english_then_the_unit_as_written(self) -> None:
        declared = {"en": {"one": "workstation", "other": "workstations"}}
        assert unit_word("workstation", "it", "other", declared) == "workstations"
        assert unit_word("workstation", "it", "one", declared) == "workstation"
        assert unit_word("gizmo", "fr", "other") == "gizmo"

    def test_every_known_unit_has_its_english_one_and_other_forms(self) -> None:
        for unit, forms in BUILT_IN.items():
            assert set(forms) == {"en"}, unit
            assert set(forms["en"]) == {"one", "other"}, unit
