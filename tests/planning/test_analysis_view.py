"""The analysis page: filters, the map of place mentions, topics, trend chart, spikes."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from portaat.planning.models import TopicRun
from portaat.planning.queries import AnalysisFilters
from tests.factories import ActivismFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _points(response) -> list[dict]:
    match = re.search(
        r'<script id="mentions-map-points" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the map's points are on the page"
    return json.loads(match.group(1))


def test_it_shows_the_map_of_place_mentions(client_for, areas, source, analysed):
    for _ in range(3):
        analysed(source=source, areas=[areas["kallio"]])
    analysed(source=source, areas=[areas["kallio"], areas["pasila"]])
    response = client_for("official").get("/planning/")
    assert response.status_code == 200
    points = _points(response)
    assert [(p["label"], p["count"]) for p in points] == [("Kallio", 4), ("Pasila", 1)]
    assert points[0]["lat"] == pytest.approx(60.184)
    # a same-site path: the map's script makes links of those only
    assert points[0]["url"] == f"/planning/?area={areas['kallio'].pk}"
    # the table alternative of the map, and the plain background without a tile server
    body = response.content.decode()
    assert 'data-tiles=""' in body
    assert "<caption>" in body and ">Kallio</a></th><td>4</td>" in body


@pytest.mark.parametrize(
    ("language", "heading", "area_label"),
    [
        ("fi", "Julkaisujen analyysi", "Kallio"),
        ("sv", "Analys av inlägg", "Berghäll"),
        ("en", "Analysis of posts", "Kallio"),
    ],
)
def test_it_speaks_finnish_swedish_and_english(
    client_for, areas, analysed, language, heading, area_label
):
    analysed(areas=[areas["kallio"]])
    client = client_for("official")
    client.cookies["django_language"] = language
    response = client.get("/planning/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert _points(response)[0]["label"] == area_label


def test_the_filters_select_posts(client_for, areas, analysed):
    ring = ActivismFactory(name="Kallio-seura")
    followed = SourceFactory(name="Seuran kanava")
    followed.activisms.add(ring)
    other = SourceFactory(name="Muu")
    analysed(source=followed, areas=[areas["kallio"]], lang="fi")
    analysed(source=other, areas=[areas["pasila"]], lang="sv")
    analysed(
        source=other,
        areas=[areas["toolo"]],
        created_at=timezone.now() - timedelta(days=60),
    )
    client = client_for("official")

    def labels(query: str) -> list[str]:
        response = client.get("/planning/?" + query)
        assert response.status_code == 200, response.content
        return sorted(p["label"] for p in _points(response))

    assert labels("") == ["Etu-Töölö", "Kallio", "Pasila"]
    assert labels(f"source={followed.pk}") == ["Kallio"]
    assert labels(f"activism={ring.pk}") == ["Kallio"]
    assert labels(f"area={areas['pasila'].pk}") == ["Pasila"]
    assert labels("language=sv") == ["Pasila"]
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert labels(f"since={since}") == ["Kallio", "Pasila"]


@pytest.mark.parametrize(
    "query",
    ["source=999999", "activism=abc", "area=99999999999999999999999", "since=2026-13-45"],
)
def test_bad_filters_get_a_translated_error(client_for, areas, query):
    response = client_for("official").get("/planning/?" + query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Valitse oikea vaihtoehto" in body or "Syötä oikea päivämäärä" in body
    assert "mentions-map" not in body


def test_a_start_after_the_end_is_refused(client_for, areas):
    response = client_for("official").get("/planning/?since=2026-05-02&until=2026-05-01")
    assert response.status_code == 400
    assert "Alkupäivä on myöhemmin kuin loppupäivä." in response.content.decode()


def test_it_shows_the_topics_of_the_latest_run(client_for, areas, analysed, themes):
    post = analysed(areas=[areas["kallio"]])
    TopicRun.objects.create(
        filter_key=AnalysisFilters().key,
        status="done",
        finished_at=timezone.now(),
        post_count=1,
        topics=[
            {
                "id": 0,
                "theme": "traffic",
                "labels": {"fi": ["raitiovaunu"], "sv": ["spårvagn"], "en": ["tram"]},
                "size": 1,
                "examples": [post.pk],
            }
        ],
    )
    client = client_for("official")
    body = client.get("/planning/").content.decode()
    assert "raitiovaunu" in body
    client.cookies["django_language"] = "sv"
    body = client.get("/planning/").content.decode()
    assert "spårvagn" in body and "raitiovaunu" not in body


def test_the_trend_chart_is_accessible_svg_with_a_table(client_for, areas, analysed):
    analysed(areas=[areas["kallio"]])
    body = client_for("official").get("/planning/").content.decode()
    assert '<svg class="trend-chart"' in body
    assert 'role="img"' in body and '<title id="trend-title">' in body
    assert "<polyline" in body
    assert '<th scope="col">Kallio</th>' in body


def test_the_main_page_does_not_grow_in_queries(
    client_for, areas, source, analysed, django_assert_max_num_queries
):
    client = client_for("official")

    def make(n: int) -> None:
        for i in range(n):
            analysed(
                source=source,
                areas=[areas["kallio"], areas["pasila"]] if i % 2 else [areas["toolo"]],
                keywords=["ratikka"],
                theme="traffic",
            )

    make(12)  # enough for spikes: their names are looked up too
    client.get("/planning/")  # warm caches (content types, sessions)
    with django_assert_max_num_queries(30) as few:
        assert client.get("/planning/").status_code == 200
    make(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/planning/").status_code == 200


def test_spikes_ignore_the_dates_so_a_start_date_makes_no_false_spike(client_for, areas, analysed):
    # Kallio: eight mentions a day for two weeks and today: steady, no spike
    now = timezone.now()
    for day in range(1, 15):
        for hour in range(8):
            analysed(areas=[areas["kallio"]], created_at=now - timedelta(days=day, hours=hour + 1))
    for hour in range(8):
        analysed(areas=[areas["kallio"]], created_at=now - timedelta(hours=hour + 1))
    client = client_for("official")
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    for query in ("", f"since={since}"):
        body = client.get("/planning/?" + query).content.decode()
        assert 'data-spike="area:helsinki-kallio"' not in body, query


def test_map_links_are_paths_of_the_analysis_page(client_for, areas, analysed):
    analysed(areas=[areas["pasila"]])
    points = _points(client_for("official").get("/planning/?language=fi"))
    assert points[0]["url"] == f"/planning/?area={areas['pasila'].pk}&language=fi"
