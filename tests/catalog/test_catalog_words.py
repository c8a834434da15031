"""Catalog words a reader reads where the operator wrote none: cycle and limit names."""

from __future__ import annotations

from tierline.catalog.words import cycle_name, humanize
from tierline.domain.catalog import Cycle
from tierline.domain.periods import CycleLength


class TestCatalogWords:
    def test_an_unnamed_cycle_is_named_by_its_length_in_the_readers_language(self) -> None:
        assert cycle_name(Cycle("m", CycleLength(months=1)), "fr") == "Mensuel"
        assert cycle_name(Cycle("y", CycleLength(months=12)), "it") == "Annuale"
        assert cycle_name(Cycle("q", CycleLength(months=3)), "en") == "Every 3 months"
        assert cycle_name(Cycle("d", CycleLength(days=30)), "fr") == "Tous les 30 jours"

    def test_a_named_cycle_keeps_the_operators_name(self) -> None:
        cycle = Cycle(
            "m", CycleLength(months=1), name="Month", names={"en": "Month", "vi": "Tháng"}
        )
        assert cycle_name(cycle, "vi") == "Tháng"
        assert cycle_name(cycle, "fr") == "Month"

    def test_a_limit_code_reads_as_words_with_its_size_unit_in_capitals(self) -> None:
        assert humanize("attachment_upload_gb") == "Attachment upload (GB)"
        assert humanize("external_users") == "External users"
