"""Bar charts as inline SVG, drawn on the server: no script, no library. Each chart has a
title for screen readers; the page shows the table it is drawn from beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 600
HEIGHT = 220
_LEFT = 8
_BOTTOM = 34
_TOP = 26
_MAX_BAR = 56


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | int]
    style: str = ""  # a CSS class beside `bar`: "alt" for the second series


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> Markup:
    """Vertical bars, one group per label and one bar per series; negative values go below the
    axis. `labels` are short (a month, an edition)."""
    values = [Decimal(v) for s in series for v in s.values]
    top = max([Decimal(0), *values])
    bottom = min([Decimal(0), *values])
    span = (top - bottom) or Decimal(1)
    plot = HEIGHT - _BOTTOM - _TOP
    zero_y = _TOP + float((top / span) * plot)
    group = (WIDTH - _LEFT * 2) / max(len(labels), 1)
    bar = min(group * 0.8 / max(len(series), 1), _MAX_BAR)
    every = 1 if len(labels) <= 8 else 2  # a label every other group when they are many
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{_LEFT}" y1="{zero_y:.1f}" x2="{WIDTH - _LEFT}" '
        f'y2="{zero_y:.1f}"/>',
        f'<text class="scale" x="{_LEFT}" y="{_TOP - 8}">{escape(_figure(top))}</text>',
    ]
    if len(series) > 1:  # a legend: a swatch and the name of each series, top right
        for j, s in enumerate(reversed(series)):
            x = WIDTH - _LEFT - 130 * (j + 1)
            parts.append(
                f'<rect class="bar {escape(s.style)}" x="{x}" y="{_TOP - 20}" width="14" '
                f'height="14"/><text x="{x + 20}" y="{_TOP - 8}">{escape(s.name)}</text>'
            )
    for i, label in enumerate(labels):
        x0 = _LEFT + group * i + (group - bar * len(series)) / 2
        for j, s in enumerate(series):
            value = Decimal(s.values[i])
            h = float(abs(value) / span * plot)
            y = zero_y - h if value >= 0 else zero_y
            parts.append(
                f'<rect class="bar {escape(s.style)}" x="{x0 + bar * j:.1f}" y="{y:.1f}" '
                f'width="{max(bar - 2, 1):.1f}" height="{h:.1f}">'
                f"<title>{escape(label)} · {escape(s.name)}: {escape(str(value))}</title></rect>"
            )
        if i % every == (len(labels) - 1) % every:  # the newest group is always labelled
            parts.append(
                f'<text x="{x0 + bar * len(series) / 2:.1f}" y="{HEIGHT - 10}" '
                f'text-anchor="middle">{escape(_short(label))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str) -> str:
    """`2026-03` → `03/26`, so that twelve months fit on a phone."""
    if len(label) == 7 and label[4] == "-" and label[:4].isdigit():
        return f"{label[5:]}/{label[2:4]}"
    return label if len(label) <= 12 else label[:11] + "…"


def _figure(value: Decimal) -> str:
    """The top of the scale, plainly: `1200`, `96.5`."""
    return format(value.normalize(), "f") if value else "0"
