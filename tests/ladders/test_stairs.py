"""The pure stairs renderer (no database): wrapping, markers, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from portaat.ladders import stairs
from portaat.ladders.stairs import Labels, Marker, render, wrap

SVG = "{http://www.w3.org/2000/svg}"
STEPS = [(level, f"Step number {level}") for level in range(1, 9)]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, under test


# --- wrap -----------------------------------------------------------------------------------


def test_wrap_keeps_a_short_text_on_one_line():
    assert wrap("Dialogue", 400) == ["Dialogue"]


def test_wrap_breaks_between_words():
    lines = wrap("Officials join discussions in activists' social-media groups", 300)
    assert lines == ["Officials join discussions in", "activists' social-media groups"]
    for line in lines:
        assert stairs._text_width(line, stairs.FONT) <= 300


def test_wrap_cuts_the_last_line_with_an_ellipsis():
    text = " ".join(["word"] * 40)
    lines = wrap(text, 120, max_lines=2)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert stairs._text_width(lines[-1], stairs.FONT) <= 120


def test_wrap_splits_a_long_compound_word():
    word = "Kaupunkisuunnitteluaktivistit"
    lines = wrap(word, 120, max_lines=3)
    assert len(lines) == 3
    assert all(line.endswith("-") for line in lines[:-1])
    assert "".join(line.rstrip("-") for line in lines) == word
    for line in lines:
        assert stairs._text_width(line, stairs.FONT) <= 120


def test_wrap_never_gives_more_than_max_lines_and_marks_the_cut():
    lines = wrap("Kaupunkisuunnitteluaktivistiryhmäkeskustelut " * 3, 120, max_lines=2)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    for line in lines:
        assert stairs._text_width(line, stairs.FONT) <= 120


def test_wrap_of_nothing_is_nothing():
    assert wrap("", 200) == []
    assert wrap("   ", 200) == []


# --- render ---------------------------------------------------------------------------------


def test_it_draws_eight_steps_lowest_at_the_bottom():
    root = _parse(render(STEPS, Labels(title="Stairs")))
    steps = root.findall(f"{SVG}g[@class='step']")
    assert [int(g.get("data-level")) for g in steps] == list(range(1, 9))
    y = {int(g.get("data-level")): float(g.find(f"{SVG}rect").get("y")) for g in steps}
    x = {int(g.get("data-level")): float(g.find(f"{SVG}rect").get("x")) for g in steps}
    assert all(y[n] > y[n + 1] for n in range(1, 8))  # higher level, higher on the page
    assert all(x[n] < x[n + 1] for n in range(1, 8))  # and one tread further right


def test_it_has_a_title_and_a_description():
    root = _parse(render(STEPS, Labels(title="Stairs"), description="Eight levels."))
    assert root.findtext(f"{SVG}title") == "Stairs"
    assert root.findtext(f"{SVG}desc") == "Eight levels."
    assert root.get("aria-labelledby") == "stairs-title stairs-desc"


def test_it_uses_the_id_prefix():
    root = _parse(render(STEPS, Labels(title="S"), id_prefix="home"))
    assert root.find(f"{SVG}title").get("id") == "home-title"
    assert root.find(f"{SVG}desc").get("id") == "home-desc"


def test_it_draws_no_legend_without_markers():
    root = _parse(render(STEPS, Labels(title="S")))
    assert root.find(f".//{SVG}g[@class='legend']") is None


def test_it_draws_a_badge_and_a_legend_line_per_marker():
    markers = [
        Marker(2, "Now", "current"),
        Marker(6, "Goal", "target"),
        Marker(4, "Officials", "perspective", 0),
        Marker(4, "Activists", "perspective", 1),
    ]
    labels = Labels(title="S", level="level {level}", legend="Key")
    root = _parse(render(STEPS, labels, markers))
    assert len(root.findall(f".//{SVG}g[@data-level='4']/{SVG}g")) == 2
    legend = root.find(f".//{SVG}g[@class='legend']")
    lines = ["".join(t.itertext()) for t in legend.findall(f"{SVG}text")]
    assert lines == [
        "Key",
        "Now: level 2",
        "Goal: level 6",
        "Officials: level 4",
        "Activists: level 4",
    ]


def test_it_gives_perspectives_different_shapes():
    markers = [Marker(1, f"P{i}", "perspective", i) for i in range(stairs.MAX_PERSPECTIVES)]
    root = _parse(render(STEPS, Labels(title="S"), markers))
    step = root.find(f".//{SVG}g[@data-level='1']")
    shapes = []
    for badge in step.findall(f"{SVG}g"):
        shape = badge[1]
        shapes.append((shape.tag, shape.get("points", ""), shape.get("fill")))
    # same position would give the same points, so compare fills and tags
    assert len({(tag, fill) for tag, _points, fill in shapes}) == stairs.MAX_PERSPECTIVES


def test_it_makes_the_picture_taller_for_a_legend():
    plain = _parse(render(STEPS, Labels(title="S")))
    marked = _parse(render(STEPS, Labels(title="S"), [Marker(3, "A")]))
    height = lambda root: float(root.get("viewBox").split()[3])  # noqa: E731
    assert height(marked) > height(plain)


def test_it_shortens_a_long_badge_label():
    root = _parse(render(STEPS, Labels(title="S"), [Marker(3, "x" * 40)]))
    badge = root.find(f".//{SVG}g[@class='marker marker-perspective']")
    assert badge.findtext(f"{SVG}text") == "x" * 23 + "…"


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "a & b", '"quoted"', "it's", "</svg>", "]]>"],
)
def test_it_escapes_every_text(text):
    svg = render(
        [(1, text), *STEPS[1:]],
        Labels(title=text, legend=text, level=text + " {level}"),
        [Marker(1, text)],
        id_prefix='x" onload="alert(1)',
        description=text,
    )
    root = _parse(svg)
    assert root.findtext(f"{SVG}title") == text
    assert root.findtext(f"{SVG}desc") == text
    assert root.find(f"{SVG}title").get("id") == 'x" onload="alert(1)-title'
    assert not list(root.iter(f"{SVG}script"))
    assert "<script" not in svg


def test_it_drops_characters_xml_cannot_hold():
    root = _parse(render(STEPS, Labels(title="A\x00B\x1bC"), [Marker(2, "D\x0cE")]))
    assert root.findtext(f"{SVG}title") == "ABC"


def test_it_keeps_finnish_and_swedish_letters():
    root = _parse(render([(1, "Ääkköset ja ö"), *STEPS[1:]], Labels(title="Åtskilda")))
    assert root.findtext(f"{SVG}title") == "Åtskilda"
    assert "Ääkköset ja ö" in "".join(root.itertext())
