"""Bar charts drawn as SVG on the server."""

from __future__ import annotations

import re
from decimal import Decimal

from tierline.console.charts import HEIGHT, Series, bar_chart


def _bars(svg: str) -> list[tuple[float, float]]:
    return [
        (float(y), float(h))
        for y, h in re.findall(r'<rect class="bar[^"]*" x="[^"]+" y="([^"]+)" width="[^"]+" '
                               r'height="([^"]+)">', svg)
    ]  # fmt: skip


def test_a_bar_is_as_tall_as_its_share_of_the_largest_value() -> None:
    svg = bar_chart("Revenue", ["2026-01", "2026-02"], [Series("net", [Decimal(50), 100])])
    (_, half), (_, full) = _bars(svg)
    assert full == 2 * half


def test_a_negative_value_is_drawn_below_the_axis() -> None:
    svg = bar_chart("Net", ["a", "b"], [Series("net", [Decimal(-10), Decimal(30)])])
    axis = float(re.search(r'<line class="axis" x1="[^"]+" y1="([^"]+)"', svg).group(1))  # type: ignore[union-attr]
    (negative_y, _), (positive_y, positive_h) = _bars(svg)
    assert negative_y == axis
    assert positive_y + positive_h == axis
    assert 0 < axis < HEIGHT


def test_words_are_escaped_and_months_shortened() -> None:
    svg = bar_chart("<b>", ["2026-03"], [Series("a&b", [1]), Series("c", [2], "alt")])
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "a&amp;b" in svg
    assert ">03/26<" in svg
