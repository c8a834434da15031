"""A count and its unit in the reader's language, with the language's plural rules: the words of
the units Tierline knows come from the gettext catalogs, a catalog's own forms first."""

from __future__ import annotations

import pytest

from tierline.documents.formatting import Formatter
from tierline.domain.units import BUILT_IN


def count(locale: str, n: int, unit: str, units: dict | None = None) -> str:
    return Formatter.of(locale, "UTC", "EUR", units).count(n, unit)


class TestKnownUnits:
    @pytest.mark.parametrize(
        ("locale", "n", "unit", "said"),
        [("en", 1, "seat", "1 seat"), ("en", 15, "seat", "15 seats"),
         ("fr", 0, "seat", "0 siège"), ("fr", 1, "seat", "1 siège"),
         ("fr", 15, "seat", "15 sièges"),
         ("fr", 1_000_000, "seat", "1\u202f000\u202f000 sièges"),
         ("it", 1, "contact", "1 contatto"), ("it", 5000, "contact", "5.000 contatti"),
         ("vi", 1, "seat", "1 chỗ"), ("vi", 12, "account", "12 tài khoản"),
         ("fr", 2, "Seat", "2 sièges"), ("fr", 500, "GB", "500 Go"), ("en", 1, "gb", "1 GB"),
         ("vi", 2, "TB", "2 TB")],
    )  # fmt: skip
    def test_the_count_is_in_the_readers_words_and_plural_form(
        self, locale: str, n: int, unit: str, said: str
    ) -> None:
        assert count(locale, n, unit) == said

    @pytest.mark.parametrize("locale", ["fr", "it", "vi"])
    def test_every_known_unit_is_translated(self, locale: str) -> None:
        for unit, forms in BUILT_IN.items():
            english = forms["en"]["other"]
            said = count(locale, 12, unit)
            assert said.startswith("12 ")
            same_word = {("fr", "contact"), ("fr", "agent"), ("fr", "licence"), ("it", "account"),
                         ("it", "gb"), ("it", "tb"), ("vi", "gb"), ("vi", "tb")}  # fmt: skip
            if (locale, unit) not in same_word:
                assert not said.endswith(f" {english}"), (locale, unit, said)


class TestTheCatalogsOwnWords:
    def test_they_come_before_the_known_words(self) -> None:
        units = {"seat": {"fr": {"one": "place", "other": "places"}}}
        assert count("fr", 3, "seat", units) == "3 places"
        assert count("it", 3, "seat", units) == "3 postazioni"

    def test_a_unit_tierline_does_not_know_reads_the_catalogs_english_then_as_written(
        self,
    ) -> None:
        units = {"workstation": {"en": {"one": "workstation", "other": "workstations"}}}
        assert count("fr", 3, "workstation", units) == "3 workstations"
        assert count("fr", 3, "gizmo") == "3 gizmo"


def unit_name(locale: str, unit: str, *, plural: bool = False, units: dict | None = None) -> str:
    return Formatter.of(locale, "UTC", "EUR", units).unit_name(unit, plural=plural)


class TestTheUnitAlone:
    @pytest.mark.parametrize(
        ("locale", "unit", "one", "many"),
        [("en", "seat", "seat", "seats"), ("fr", "seat", "siège", "sièges"),
         ("it", "seat", "postazione", "postazioni"), ("vi", "seat", "chỗ", "chỗ"),
         ("fr", "Seat", "siège", "sièges"), ("it", "contact", "contatto", "contatti"),
         ("vi", "account", "tài khoản", "tài khoản"),
         ("fr-CA", "user", "utilisateur", "utilisateurs"), ("fr", "GB", "Go", "Go"),
         ("en", "tb", "TB", "TB")],
    )  # fmt: skip
    def test_a_known_unit_reads_in_the_readers_words_singular_and_plural(
        self, locale: str, unit: str, one: str, many: str
    ) -> None:
        assert unit_name(locale, unit) == one
        assert unit_name(locale, unit, plural=True) == many

    @pytest.mark.parametrize("locale", ["fr", "it", "vi"])
    def test_every_known_unit_alone_is_the_word_its_count_uses(self, locale: str) -> None:
        for unit in BUILT_IN:
            assert count(locale, 12, unit) == f"12 {unit_name(locale, unit, plural=True)}"
            assert count(locale, 1, unit) == f"1 {unit_name(locale, unit)}"

    def test_the_catalogs_own_words_come_first_one_for_one_and_other_for_all(self) -> None:
        units = {"seat": {"fr": {"one": "place", "other": "places"}, "vi": {"other": "ghế"}}}
        assert unit_name("fr", "seat", units=units) == "place"
        assert unit_name("fr", "seat", plural=True, units=units) == "places"
        assert unit_name("vi", "seat", units=units) == "ghế"
        assert unit_name("it", "seat", plural=True, units=units) == "postazioni"

    def test_a_unit_tierline_does_not_know_reads_the_catalogs_english_then_as_written(
        self,
    ) -> None:
        units = {"workstation": {"en": {"one": "workstation", "other": "workstations"}}}
        assert unit_name("fr", "workstation", units=units) == "workstation"
        assert unit_name("fr", "workstation", plural=True, units=units) == "workstations"
        assert unit_name("vi", "gizmo", plural=True) == "gizmo"
