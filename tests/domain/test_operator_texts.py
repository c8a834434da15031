"""Picking an operator's text for a reader: their language, else English."""

from __future__ import annotations

from tierline.domain.catalog import (
    Catalog,
    Cycle,
    Edition,
    Policies,
    TransitionRule,
    language_code,
    pick_text,
)
from tierline.domain.periods import CycleLength

TEXTS = {"en": "Professional", "fr": "Professionnel"}


class TestPickText:
    def test_the_readers_language_is_picked(self) -> None:
        assert pick_text(TEXTS, "fr") == "Professionnel"

    def test_a_regional_tag_reads_its_language(self) -> None:
        assert pick_text(TEXTS, "fr-CA") == "Professionnel"
        assert pick_text(TEXTS, "fr_FR") == "Professionnel"

    def test_a_language_without_a_text_reads_english(self) -> None:
        assert pick_text(TEXTS, "it") == "Professional"
        assert pick_text(TEXTS, None) == "Professional"

    def test_no_texts_read_the_default(self) -> None:
        assert pick_text({}, "fr", "Pro") == "Pro"

    def test_the_language_of_a_tag_is_its_first_part_in_lowercase(self) -> None:
        assert language_code("VI_vn") == "vi"
        assert language_code("") == "en"


class TestTheCatalogInALanguage:
    def test_names_and_messages_are_the_readers(self) -> None:
        catalog = Catalog(
            currency="EUR",
            quantity_unit="seat",
            cycles=(Cycle("month", CycleLength(months=1)),),
            editions=(
                Edition("free", "Free", 0, free=True),
                Edition("pro", "Professional", 1, names=TEXTS),
            ),
            policies=Policies(
                transitions=(
                    TransitionRule(
                        frozenset({"pro"}), frozenset({"free"}), False, "Cancel first.",
                        messages={"en": "Cancel first.", "fr": "Résiliez d'abord."},
                    ),
                )
            ),
        )  # fmt: skip
        french = catalog.in_language("fr")
        assert [e.name for e in french.editions] == ["Free", "Professionnel"]
        rule = french.transition_rule("pro", "free")
        assert rule is not None and rule.message == "Résiliez d'abord."
        assert catalog.names_in("fr") == {"Professional": "Professionnel"}
        assert catalog.names_in("it") == {}
