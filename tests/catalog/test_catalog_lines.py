"""A catalog issue's path found on its line of the YAML text."""

from __future__ import annotations

from tierline.catalog.lines import line_of

TEXT = """currency: EUR
editions:
  - code: basic
    prices:
      - cycle: month
        per_unit: 2.5
"""


def test_the_path_of_a_nested_field_is_on_its_line() -> None:
    assert line_of(TEXT, "editions[0].prices[0].per_unit") == 6
    assert line_of(TEXT, "currency") == 1


def test_a_path_beyond_the_text_points_at_the_deepest_part_found() -> None:
    assert line_of(TEXT, "editions[0].quantity.min") == 3


def test_text_that_is_not_yaml_has_no_line() -> None:
    assert line_of("a: [", "a") is None
