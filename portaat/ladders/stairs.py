"""The stairs graphic: a ladder drawn as eight ascending stairs, as a self-contained SVG.

Pure functions, no database access: the caller passes the step titles and markers. The
drawing is a staircase silhouette: level 1 is the wide bottom row, each higher level starts
one tread further right. Markers (current level, target, perspectives) are badges with a
shape *and* a text label inside the row, so nothing relies on colour alone. ``<title>`` and
``<desc>`` describe the whole picture for screen readers; pages also show a table beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as _html_escape

WIDTH = 720
TREAD = 34  # horizontal offset of each higher step
ROW = 56  # height of one step
FONT = 15
BADGE_FONT = 13
PAD = 8
LEGEND_ROW = 26

# Step fills go from light to a deeper blue; text stays dark on all of them (contrast ≥ 7:1).
STEP_FILLS = (
    "#e8f1fa",
    "#dcebf8",
    "#d0e4f6",
    "#c4ddf3",
    "#b8d6f1",
    "#acd0ee",
    "#a0c9ec",
    "#94c2e9",
)
TEXT = "#1a1a1a"

# Perspective markers: distinct shapes first, colours second (colour-blind safe palette).
PERSPECTIVE_STYLES = (
    ("triangle", "#b35806"),
    ("square", "#542788"),
    ("diamond", "#1b7837"),
    ("hexagon", "#8c510a"),
    ("triangle-down", "#c51b7d"),
    ("circle-ring", "#01665e"),
)
MAX_PERSPECTIVES = len(PERSPECTIVE_STYLES)

# XML 1.0 forbids these control characters even as character references, so user text that
# carries one (a pasted label, a query parameter) would make the whole SVG unreadable.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """Escape ``text`` for SVG and drop characters that XML cannot hold."""
    return _html_escape(_XML_INVALID.sub("", text))


@dataclass(frozen=True)
class Marker:
    """A badge on one level: ``kind`` is "current", "target" or "perspective"."""

    level: int
    label: str
    kind: str = "perspective"
    index: int = 0  # which perspective style


@dataclass(frozen=True)
class Labels:
    """Translated words the picture needs, passed in so this module stays Django-free."""

    title: str
    level: str = "Level {level}"
    legend: str = "Legend"
    none: str = ""


def _text_width(text: str, size: int) -> float:
    # Rough average glyph width of a sans-serif font; enough to wrap and place badges.
    return len(text) * size * 0.56


def wrap(text: str, width: float, size: int = FONT, max_lines: int = 2) -> list[str]:
    """Word-wrap into at most ``max_lines``; the last line ends in "…" if text was cut.

    A word wider than the row (a long Finnish compound) is split with a hyphen first.
    """
    max_chars = max(4, int(width / (size * 0.56)))
    pieces: list[str] = []
    for word in text.split():
        while len(word) > max_chars:
            pieces.append(word[: max_chars - 1] + "-")
            word = word[max_chars - 1 :]
        pieces.append(word)
    lines: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current} {piece}".strip()
        if current and _text_width(candidate, size) > width:
            lines.append(current)
            current = piece
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1].rstrip("-")
        while last and _text_width(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _shape(kind: str, cx: float, cy: float, r: float, colour: str) -> str:
    if kind == "current":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#0b3d91"/>'
    if kind == "target":
        # A flag: pole and pennant, outlined so it prints well in black and white.
        return (
            f'<path d="M{cx - r * 0.6:.1f} {cy + r:.1f}V{cy - r:.1f}'
            f'L{cx + r:.1f} {cy - r * 0.45:.1f}L{cx - r * 0.6:.1f} {cy + r * 0.1:.1f}" '
            f'fill="#ffc61e" stroke="#1a1a1a" stroke-width="1.5" stroke-linejoin="round"/>'
        )
    if kind == "triangle":
        pts = f"{cx},{cy - r} {cx + r},{cy + r * 0.8} {cx - r},{cy + r * 0.8}"
    elif kind == "triangle-down":
        pts = f"{cx - r},{cy - r * 0.8} {cx + r},{cy - r * 0.8} {cx},{cy + r}"
    elif kind == "square":
        pts = f"{cx - r * 0.85},{cy - r * 0.85} {cx + r * 0.85},{cy - r * 0.85} {cx + r * 0.85},{cy + r * 0.85} {cx - r * 0.85},{cy + r * 0.85}"
    elif kind == "diamond":
        pts = f"{cx},{cy - r} {cx + r},{cy} {cx},{cy + r} {cx - r},{cy}"
    elif kind == "hexagon":
        h = r * 0.87
        pts = f"{cx - r},{cy} {cx - r / 2},{cy - h} {cx + r / 2},{cy - h} {cx + r},{cy} {cx + r / 2},{cy + h} {cx - r / 2},{cy + h}"
    else:  # circle-ring
        return (
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r * 0.8:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
    return f'<polygon points="{pts}" fill="{colour}"/>'


def _marker_shape(marker: Marker) -> tuple[str, str]:
    if marker.kind in ("current", "target"):
        return marker.kind, "#1a1a1a"
    return PERSPECTIVE_STYLES[marker.index % MAX_PERSPECTIVES]


def _badge(marker: Marker, right: float, cy: float) -> tuple[str, float]:
    """Draw a badge whose right edge is at ``right``; return its SVG and its width."""
    label = marker.label if len(marker.label) <= 24 else marker.label[:23] + "…"
    text_w = _text_width(label, BADGE_FONT)
    width = text_w + 34
    left = right - width
    kind, colour = _marker_shape(marker)
    svg = (
        f'<g class="marker marker-{escape(marker.kind)}">'
        f'<rect x="{left:.1f}" y="{cy - 13:.1f}" width="{width:.1f}" height="26" rx="13" '
        f'fill="#ffffff" stroke="#1a1a1a" stroke-width="1"/>'
        f"{_shape(kind, left + 15, cy, 7, colour)}"
        f'<text x="{left + 27:.1f}" y="{cy + 4.5:.1f}" font-size="{BADGE_FONT}" '
        f'fill="{TEXT}">{escape(label)}</text></g>'
    )
    return svg, width + 6


def render(
    steps: Sequence[tuple[int, str]],
    labels: Labels,
    markers: Sequence[Marker] = (),
    *,
    id_prefix: str = "stairs",
    description: str = "",
) -> str:
    """Return the SVG document for ``steps`` (level, title), lowest level first."""
    count = len(steps)
    stairs_height = count * ROW
    legend_items = list(markers)
    legend_height = (LEGEND_ROW * (len(legend_items) + 1) + PAD) if legend_items else 0
    title_height = 34
    height = title_height + stairs_height + legend_height + PAD
    pid = escape(id_prefix)
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{pid}-title {pid}-desc" '
        f'class="stairs" font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, Arial, sans-serif">',
        f'<title id="{pid}-title">{escape(labels.title)}</title>',
        f'<desc id="{pid}-desc">{escape(description)}</desc>',
        f'<text x="0" y="22" font-size="18" font-weight="700" fill="{TEXT}">'
        f"{escape(labels.title)}</text>",
    ]
    by_level: dict[int, list[Marker]] = {}
    for marker in markers:
        by_level.setdefault(marker.level, []).append(marker)
    for index, (level, title) in enumerate(steps):
        row_from_top = count - 1 - index
        y = title_height + row_from_top * ROW
        x = index * TREAD
        width = WIDTH - x
        cy = y + ROW / 2
        fill = STEP_FILLS[min(index, len(STEP_FILLS) - 1)]
        parts.append(
            f'<g class="step" data-level="{level}">'
            f'<rect x="{x}" y="{y}" width="{width}" height="{ROW}" fill="{fill}" '
            f'stroke="#0b3d91" stroke-width="1"/>'
            f'<text x="{x + PAD}" y="{cy + 6:.1f}" font-size="20" font-weight="700" '
            f'fill="{TEXT}">{level}</text>'
        )
        right: float = WIDTH - PAD
        for marker in by_level.get(level, []):
            badge, used = _badge(marker, right, cy)
            parts.append(badge)
            right -= used
        text_x = x + PAD + 26
        lines = wrap(title, right - text_x - PAD)
        first_y = cy + 5 - (len(lines) - 1) * (FONT + 2) / 2
        parts.append(f'<text x="{text_x}" y="{first_y:.1f}" font-size="{FONT}" fill="{TEXT}">')
        for n, line in enumerate(lines):
            dy = "0" if n == 0 else str(FONT + 2)
            parts.append(f'<tspan x="{text_x}" dy="{dy}">{escape(line)}</tspan>')
        parts.append("</text></g>")
    if legend_items:
        top = title_height + stairs_height + PAD + 16
        parts.append(
            f'<g class="legend"><text x="0" y="{top:.1f}" font-size="{BADGE_FONT}" '
            f'font-weight="700" fill="{TEXT}">{escape(labels.legend)}</text>'
        )
        for n, marker in enumerate(legend_items, start=1):
            ly = top + n * LEGEND_ROW - 4
            kind, colour = _marker_shape(marker)
            parts.append(_shape(kind, 10, ly - 4, 7, colour))
            text = f"{marker.label}: " + labels.level.format(level=marker.level)
            parts.append(
                f'<text x="26" y="{ly + 1:.1f}" font-size="{BADGE_FONT}" fill="{TEXT}">'
                f"{escape(text)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
