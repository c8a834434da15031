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
         ("fr", 2, "Seat", "2 sièges")],
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
            same_word = {("fr", "contact"), ("fr", "agent"), ("fr", "licence"), ("it", "account")}
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
