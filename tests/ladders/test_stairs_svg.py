from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from portaat.ladders.models import Ladder
from tests.helpers import translation_of

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
BUILTIN = ["generic", "city-planning", "peer-lending", "reko", "somehallinto"]


def _svg(response) -> ET.Element:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - our own output, under test


def _texts(root: ET.Element) -> str:
    return " ".join("".join(el.itertext()) for el in root.iter(f"{SVG}text"))


def _bad(response) -> str:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


@pytest.mark.parametrize("slug", BUILTIN)
def test_it_draws_every_builtin_ladder(client, builtin, slug):
    ladder = Ladder.objects.get(slug=slug)
    root = _svg(client.get(f"/ladders/{slug}/stairs.svg"))
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}title") == ladder.name_fi
    desc = root.findtext(f"{SVG}desc")
    for step in ladder.steps.all():
        assert step.title_fi in desc
    assert len(root.findall(f".//{SVG}g[@class='step']")) == 8
    assert not root.findall(f".//{SVG}g[@class='legend']")


@pytest.mark.parametrize("slug", BUILTIN)
def test_it_draws_every_builtin_ladder_with_markers(client, builtin, slug):
    url = f"/ladders/{slug}/stairs.svg?current=2&target=7&p=Viranhaltijat:3&p=Aktivistit:5"
    root = _svg(client.get(url))
    markers = root.findall(f".//{SVG}g[@class]")
    kinds = [g.get("class") for g in markers if g.get("class", "").startswith("marker")]
    assert kinds == [
        "marker marker-current",
        "marker marker-perspective",
        "marker marker-perspective",
        "marker marker-target",
    ]
    legend = root.find(f".//{SVG}g[@class='legend']")
    assert legend is not None
    legend_text = " ".join(legend.itertext())
    assert "Viranhaltijat" in legend_text
    assert "Aktivistit" in legend_text


def test_it_puts_each_marker_on_its_level(client, builtin):
    root = _svg(client.get("/ladders/generic/stairs.svg?current=1&target=8&p=Tutkijat:4"))
    levels = {}
    for step in root.findall(f".//{SVG}g[@class='step']"):
        for marker in step.findall(f"{SVG}g"):
            levels[marker.get("class")] = int(step.get("data-level"))
    assert levels == {
        "marker marker-current": 1,
        "marker marker-target": 8,
        "marker marker-perspective": 4,
    }


def test_it_describes_the_markers_in_the_text_equivalent(client, builtin):
    root = _svg(client.get("/ladders/generic/stairs.svg?current=3&p=Asukkaat:6"))
    desc = root.findtext(f"{SVG}desc")
    assert "Asukkaat" in desc
    assert "6" in desc
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "stairs-generic-title stairs-generic-desc"


def test_it_shows_both_perspectives_on_the_same_level(client, builtin):
    root = _svg(client.get("/ladders/generic/stairs.svg?p=A:3&p=B:3"))
    step3 = root.find(f".//{SVG}g[@data-level='3']")
    assert len(step3.findall(f"{SVG}g")) == 2


@pytest.mark.parametrize(
    ("lang", "name", "step5"),
    [
        ("fi", "Kaupunkisuunnittelun portaat", "Vaihtoehtoisen kaupunkisuunnittelun tukipalvelu"),
        ("sv", "Stadsplaneringens trappa", "Stödservice för alternativ stadsplanering"),
        ("en", "City planning stairs", "Support service for alternative city planning"),
    ],
)
def test_it_draws_in_the_language_asked_for(client, builtin, lang, name, step5):
    r = client.get(f"/ladders/city-planning/stairs.svg?lang={lang}&current=4")
    root = _svg(r)
    assert r["Content-Language"] == lang
    assert root.findtext(f"{SVG}title") == name
    assert step5 in root.findtext(f"{SVG}desc")
    # Visible step titles may be wrapped, so compare words.
    assert step5.split()[0] in _texts(root)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_it_translates_its_own_words(client, builtin, lang):
    root = _svg(client.get(f"/ladders/generic/stairs.svg?lang={lang}&current=2&target=5"))
    legend = " ".join(root.find(f".//{SVG}g[@class='legend']").itertext())
    assert translation_of("Legend", lang) in legend
    assert translation_of("Current", lang) in legend
    assert translation_of("Target", lang) in legend


def test_it_follows_accept_language_without_lang(client, builtin):
    r = client.get("/ladders/reko/stairs.svg", HTTP_ACCEPT_LANGUAGE="sv")
    assert _svg(r).findtext(f"{SVG}title") == "REKO-ringarnas trappa"
    assert r["Content-Language"] == "sv"


def test_it_is_finnish_by_default(client, builtin):
    r = client.get("/ladders/reko/stairs.svg")
    assert _svg(r).findtext(f"{SVG}title") == "REKO-renkaiden portaat"


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ("current=0", "current"),
        ("current=9", "current"),
        ("current=abc", "current"),
        ("target=0", "target"),
        ("target=3&target=4", "target"),
        ("current=1&current=1", "current"),
        ("p=Officials", "label:level"),
        ("p=Officials:", "Officials"),
        ("p=:3", "label:level"),
        ("p=Officials:9", "Officials"),
        ("p=Officials:x", "Officials"),
        (f"p={'x' * 41}:3", "40"),
        ("lang=de", "fi, sv, en"),
    ],
)
def test_it_rejects_bad_parameters_with_a_message(client, builtin, query, mentions):
    # The messages are checked in English so the test does not depend on their translation.
    message = _bad(client.get(f"/ladders/generic/stairs.svg?{query}", HTTP_ACCEPT_LANGUAGE="en"))
    assert mentions in message
    assert "<" not in message
    assert len(message) < 200


def test_it_rejects_seven_perspectives(client, builtin):
    query = "&".join(f"p=P{n}:{n}" for n in range(1, 8))
    message = _bad(client.get(f"/ladders/generic/stairs.svg?{query}&lang=en"))
    assert "6" in message


def test_it_accepts_six_perspectives(client, builtin):
    query = "&".join(f"p=P{n}:{n}" for n in range(1, 7))
    root = _svg(client.get(f"/ladders/generic/stairs.svg?{query}"))
    assert len(root.findall(f".//{SVG}g[@class='marker marker-perspective']")) == 6


def test_it_accepts_a_label_of_forty_characters(client, builtin):
    _svg(client.get(f"/ladders/generic/stairs.svg?p={'x' * 40}:3"))


def test_it_gives_the_error_in_the_language_asked_for(client, builtin):
    english = _bad(client.get("/ladders/generic/stairs.svg?current=9&lang=en"))
    swedish = _bad(client.get("/ladders/generic/stairs.svg?current=9&lang=sv"))
    assert swedish != english
    assert "current" in swedish


def test_it_ignores_empty_markers(client, builtin):
    root = _svg(client.get("/ladders/generic/stairs.svg?current=&target="))
    assert not root.findall(f".//{SVG}g[@class='legend']")


@pytest.mark.parametrize(
    "label",
    [
        "<script>alert(1)</script>",
        "Quote \" and ' and & and </text>",
        "]]><!-- -->",
    ],
)
def test_it_escapes_user_text(client, builtin, label):
    r = client.get("/ladders/generic/stairs.svg", {"p": f"{label}:3"})
    root = _svg(r)
    assert not list(root.iter(f"{SVG}script"))
    assert not list(root.iter("script"))
    assert label in _texts(root)
    assert b"<script" not in r.content


def test_it_stays_well_formed_with_control_characters(client, builtin):
    root = _svg(client.get("/ladders/generic/stairs.svg", {"p": "Bell\x07Tab\x0b:3"}))
    assert "Bell" in _texts(root)


def test_it_escapes_a_custom_ladder_name(client, custom_ladder):
    custom_ladder.name_fi = "Portaat <b>&</b>"
    custom_ladder.save()
    root = _svg(client.get("/ladders/urban-gardening/stairs.svg"))
    assert root.findtext(f"{SVG}title") == "Portaat <b>&</b>"


def test_it_returns_404_for_an_unknown_ladder(client, builtin):
    assert client.get("/ladders/nope/stairs.svg").status_code == 404


def test_it_can_be_cached(client, builtin):
    r = client.get("/ladders/generic/stairs.svg")
    assert "max-age" in r["Cache-Control"]
    assert "Accept-Language" in r["Vary"]
