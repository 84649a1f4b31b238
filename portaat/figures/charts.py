"""Bar charts of activity figures as inline SVG: no script, readable without colour, with a
title and a description for screen readers (the page also shows the numbers in a table)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape

from portaat.figures.services import Series

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 560, 200, 48, 28, 12


def _label(value: float) -> str:
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1)


def bar_chart(series: Series, chart_id: str) -> str:
    values = [v for _p, v in series.points]
    top = max([v for v in values if v is not None] + [1.0])
    slots = len(series.points)
    slot = (WIDTH - LEFT) / max(slots, 1)
    plot = HEIGHT - BOTTOM - TOP
    name = escape(series.metric.name)
    described = ", ".join(
        f"{period:%m/%Y}: {_label(value) if value is not None else '–'}"
        for period, value in series.points
    )
    parts = [
        f'<svg class="figure-chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{name}</title>',
        f'<desc id="{chart_id}-d">{escape(described)}</desc>',
        f'<line x1="{LEFT}" y1="{TOP + plot}" x2="{WIDTH}" y2="{TOP + plot}" class="axis"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end" class="tick">{_label(top)}</text>',
        f'<text x="{LEFT - 6}" y="{TOP + plot}" text-anchor="end" class="tick">0</text>',
    ]
    for index, (period, value) in enumerate(series.points):
        x = LEFT + index * slot
        if value is None:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{TOP + plot - 4}" text-anchor="middle" '
                f'class="missing">–</text>'
            )
        else:
            height = plot * value / top
            parts.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{TOP + plot - height:.1f}" '
                f'width="{slot * 0.7:.1f}" height="{height:.1f}" class="bar"/>'
            )
        if slots <= 12 or index % 2 == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle" '
                f'class="tick">{period:%m/%y}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
