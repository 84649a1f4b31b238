"""Trend charts as inline SVG, drawn on the server: no chart library, readable without
JavaScript, and accessible (a title and description, each line also told apart by its dash
pattern, and the page shows the same numbers as a table)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape

WIDTH = 720
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 72
# colours with enough contrast on white, and dash patterns for those who cannot tell them apart
COLOURS = ("#0000bf", "#c4123e", "#00855a", "#6e3c00", "#5e2ca5", "#333333")
DASHES = ("", "6 3", "2 3", "10 4 2 4", "1 5", "8 8")


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


def line_chart(
    series: Sequence[tuple[str, Sequence[int]]],
    labels: Sequence[str],
    *,
    title: str,
    description: str,
    chart_id: str,
) -> str:
    """An SVG line chart: one line per ``(name, counts)``, ``labels`` under the x axis (every
    label drawn when they fit, else every n-th)."""
    n = max((len(values) for _name, values in series), default=0)
    top = _nice_max(max((max(values, default=0) for _name, values in series), default=0) or 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: int) -> float:
        return TOP + plot_h - plot_h * v / top

    parts = [
        f'<svg class="trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for k in range(5):
        value = top * k // 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#d0d0d8" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#333">{value}</text>'
        )
    every = max(1, -(-n // 12))
    for i, label in enumerate(labels[:n]):
        if i % every:
            continue
        parts.append(
            f'<text x="{x(i):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" font-size="11" '
            f'fill="#333">{escape(label)}</text>'
        )
    legend_y = TOP + plot_h + 36
    legend_x = LEFT
    for index, (name, values) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        if len(values) == 1:
            parts.append(f'<circle cx="{x(0):.1f}" cy="{y(values[0]):.1f}" r="3" fill="{colour}"/>')
        else:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash_attr} '
                f'points="{points}"/>'
            )
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 24}" y1="{legend_y}" y2="{legend_y}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
            f'<text x="{legend_x + 28}" y="{legend_y + 4}" font-size="12" fill="#111">'
            f"{escape(name)}</text>"
        )
        legend_x += 40 + 7 * len(name)
        if legend_x > WIDTH - 120:
            legend_x = LEFT
            legend_y += 16
    parts.append("</svg>")
    return "".join(parts)
