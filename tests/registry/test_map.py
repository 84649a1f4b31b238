from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import override_settings

from portaat.registry import queries
from portaat.registry.models import Activism
from tests.factories import ActivismFactory
from tests.registry.helpers import shown

pytestmark = pytest.mark.django_db


def points_in(html: str, map_id: str) -> list[dict]:
    match = re.search(
        rf'<script id="{map_id}-points" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no points for {map_id}"
    return json.loads(match.group(1))


@pytest.fixture
def spread(areas):
    ActivismFactory(name="Alfa", areas=[areas["kallahti"], areas["tapiola"]])
    ActivismFactory(name="B", areas=[areas["kallahti"]])
    ActivismFactory(name="C", areas=[areas["kallahti"]], visibility="internal")
    ActivismFactory(name="D")  # no area: not on the map


def test_the_list_maps_activisms_by_area(client_for, spread):
    html = client_for("anonymous").get("/activisms/").content.decode()
    assert points_in(html, "activism-map") == [
        {
            "lat": 60.1756,
            "lon": 24.805,
            "label": "Tapiola",
            "count": 1,
            "url": "/activisms/?area=espoo-tapiola",
        },
        {
            "lat": 60.2,
            "lon": 25.15,
            "label": "Kallahti",
            "count": 2,
            "url": "/activisms/?area=helsinki-kallahti",
        },
    ]


def test_the_administration_map_counts_internal_ones_too(client_for, spread):
    html = client_for("official").get("/activisms/").content.decode()
    counts = {p["label"]: p["count"] for p in points_in(html, "activism-map")}
    assert counts == {"Tapiola": 1, "Kallahti": 3}


def test_the_map_follows_the_filters(client_for, spread):
    html = client_for("anonymous").get("/activisms/?q=alfa&status=active").content.decode()
    points = points_in(html, "activism-map")
    assert {p["label"]: p["count"] for p in points} == {"Tapiola": 1, "Kallahti": 1}
    # the links keep the other filters and replace the area
    assert points[0]["url"] == "/activisms/?q=alfa&status=active&area=espoo-tapiola"


def test_the_map_has_a_text_alternative_that_works_without_javascript(client_for, spread):
    html = client_for("anonymous").get("/activisms/").content.decode()
    canvas = re.search(r'<div class="area-map__canvas"[^>]*>', html).group(0)
    assert 'role="region"' in canvas
    assert 'aria-label="' in canvas
    assert " hidden" in canvas  # shown by map.js only
    assert 'data-tiles=""' in canvas
    assert (
        '<th scope="row"><a href="/activisms/?area=helsinki-kallahti">Kallahti</a></th><td>2</td>'
        in html
    )
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/portaat/map.js" in html


@override_settings(
    PORTAAT_MAP_TILES="https://tiles.example.org/{z}/{x}/{y}.png",
    PORTAAT_MAP_ATTRIBUTION="© Example <contributors>",
)
def test_tiles_come_from_the_setting(client_for, spread):
    html = client_for("anonymous").get("/activisms/").content.decode()
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-attribution="© Example &lt;contributors&gt;"' in html


def test_no_areas_no_map(client_for):
    ActivismFactory()
    r = client_for("anonymous").get("/activisms/")
    html = r.content.decode()
    assert r.context["map_points"] == []
    assert "area-map__canvas" not in html
    assert shown("No areas to show.") in html


def test_the_labels_follow_the_language(client_for, spread):
    html = client_for("anonymous").get("/activisms/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert {p["label"] for p in points_in(html, "activism-map")} == {"Hagalund", "Kallvik"}


def test_area_counts_is_one_query(django_assert_num_queries, spread):
    activisms = queries.activisms_for(None)
    with django_assert_num_queries(1):
        counts = {area.key: area.activism_count for area in queries.area_counts(activisms)}
    assert counts == {"espoo-tapiola": 1, "helsinki-kallahti": 2}


def test_labels_are_data_not_markup(areas):
    """Names from an imported gazetteer cannot inject script into the page."""
    areas["kallahti"].name = "</script><script>alert(1)</script>"
    areas["kallahti"].save()
    html = render_to_string(
        "includes/area_map.html",
        {
            "points": queries.map_points(
                [areas["kallahti"]], language="fi", url_for=lambda a: "/x/"
            ),
            "map_id": "m",
            "caption": "Kartta",
        },
    )
    assert "<script>alert(1)</script>" not in html
    assert points_in(html, "m")[0]["label"] == "</script><script>alert(1)</script>"


def test_the_include_can_skip_its_assets_for_a_second_map(areas):
    html = render_to_string(
        "includes/area_map.html",
        {
            "points": queries.map_points([areas["tapiola"]], language="fi", url_for=lambda a: ""),
            "map_id": "second",
            "caption": "Toinen",
            "no_assets": True,
        },
    )
    assert "leaflet.js" not in html
    assert 'id="second"' in html
    # no link without a url
    assert '<th scope="row">Tapiola</th>' in html


def test_the_vendored_assets_are_there():
    for path in (
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet/LICENSE",
        "vendor/leaflet/images/marker-icon.png",
        "portaat/map.js",
        "portaat/registry.css",
    ):
        assert finders.find(path), path
    with open(finders.find("vendor/leaflet/VERSION")) as f:
        assert f.read().strip() == "leaflet@1.9.4"
    with open(finders.find("vendor/leaflet/leaflet.js")) as f:
        assert "sourceMappingURL" not in f.read()


def test_the_activism_page_maps_its_areas(client_for, spread):
    activism = Activism.objects.get(name="Alfa")
    html = client_for("anonymous").get(f"/activisms/{activism.pk}/").content.decode()
    points = points_in(html, "activism-areas-map")
    assert {p["label"]: p["count"] for p in points} == {"Tapiola": 1, "Kallahti": 2}
