"""What a new catalog version changes: items matched by code, prices by cycle."""

from __future__ import annotations

from tierline.domain.catalog_diff import CatalogChange, diff_catalogs

BEFORE = {
    "currency": "EUR",
    "editions": [
        {"code": "basic", "name": "Basic", "prices": [{"cycle": "month", "per_unit": "3.00"}]},
        {"code": "old", "name": "Old", "prices": []},
    ],
    "policies": {"upgrade": {"timing": "immediate"}},
}


def test_a_price_change_an_added_edition_and_a_removed_one_are_each_listed() -> None:
    after = {
        "currency": "EUR",
        "editions": [
            {"code": "basic", "name": "Basic",
             "prices": [{"cycle": "month", "per_unit": "3.50"}]},
            {"code": "pro", "name": "Pro", "prices": []},
        ],
        "policies": {"upgrade": {"timing": "immediate"}},
    }  # fmt: skip

    changes = diff_catalogs(BEFORE, after)

    assert [(c.section, c.code, c.kind, c.field) for c in changes] == [
        ("editions", "basic", "changed", "prices.month"),
        ("editions", "old", "removed", None),
        ("editions", "pro", "added", None),
    ]
    assert changes[0].before == {"cycle": "month", "per_unit": "3.00"}
    assert changes[0].after == {"cycle": "month", "per_unit": "3.50"}


def test_a_section_without_codes_is_compared_whole() -> None:
    after = {**BEFORE, "policies": {"upgrade": {"timing": "end_of_period"}}}
    assert diff_catalogs(BEFORE, after) == [
        CatalogChange("policies", None, "changed", None, BEFORE["policies"], after["policies"])
    ]


def test_the_same_catalog_changes_nothing() -> None:
    assert diff_catalogs(BEFORE, dict(BEFORE)) == []
