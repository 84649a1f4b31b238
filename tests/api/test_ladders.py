from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import LadderFactory

pytestmark = pytest.mark.django_db

BUILTIN = ["generic", "city-planning", "peer-lending", "reko", "somehallinto"]


def test_it_lists_the_ladders_with_their_steps(client, builtin):
    r = client.get("/api/v1/ladders/")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 5
    assert [item["slug"] for item in body["results"]] == BUILTIN
    for item in body["results"]:
        assert [step["level"] for step in item["steps"]] == list(range(1, 9))
        assert item["is_builtin"] is True


def test_it_gives_every_text_in_three_languages(client, builtin):
    item = client.get("/api/v1/ladders/city-planning/").json()
    assert item["name"] == {
        "fi": "Kaupunkisuunnittelun portaat",
        "sv": "Stadsplaneringens trappa",
        "en": "City planning stairs",
    }
    step4 = item["steps"][3]
    assert step4["title"]["fi"] == "Viranhaltijat keskustelevat aktivistien someryhmissä"
    assert step4["title"]["sv"] == (
        "Tjänsteinnehavarna diskuterar inom aktivisternas socialmediagrupper"
    )
    assert set(step4["description"]) == {"fi", "sv", "en"}


def test_its_texts_do_not_depend_on_the_request_language(client, builtin):
    fi = client.get("/api/v1/ladders/reko/").json()
    sv = client.get("/api/v1/ladders/reko/", HTTP_ACCEPT_LANGUAGE="sv").json()
    assert fi == sv


def test_it_links_the_stairs_picture(client, builtin):
    item = client.get("/api/v1/ladders/reko/").json()
    assert item["stairs_svg"] == "http://testserver/ladders/reko/stairs.svg"


def test_it_shows_a_custom_ladder_and_its_origin(client, custom_ladder):
    item = client.get("/api/v1/ladders/urban-gardening/").json()
    assert item["is_builtin"] is False
    assert item["based_on"] == "generic"
    assert item["kind"] == "cooperation"
    assert len(item["steps"]) == 8


def test_it_filters_by_builtin(client, custom_ladder):
    body = client.get("/api/v1/ladders/?is_builtin=false").json()
    assert [item["slug"] for item in body["results"]] == ["urban-gardening"]
    body = client.get("/api/v1/ladders/?is_builtin=true").json()
    assert body["count"] == 5


def test_it_filters_by_kind(client, builtin):
    body = client.get("/api/v1/ladders/?kind=social_media").json()
    assert [item["slug"] for item in body["results"]] == ["somehallinto"]


def test_it_rejects_an_unknown_kind(client, builtin):
    r = client.get("/api/v1/ladders/?kind=nonsense")
    assert r.status_code == 400
    assert "kind" in r.json()


def test_it_pages(client, builtin):
    body = client.get("/api/v1/ladders/?limit=2&offset=2").json()
    assert [item["slug"] for item in body["results"]] == ["peer-lending", "reko"]
    assert body["count"] == 5
    assert body["next"] is not None


def test_it_returns_json_404_for_an_unknown_ladder(client, builtin):
    r = client.get("/api/v1/ladders/nope/")
    assert r.status_code == 404
    assert r["Content-Type"] == "application/json"
    assert "detail" in r.json()


@pytest.mark.parametrize("persona", ["anonymous", "official", "coordinator", "admin"])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/ladders/"),
        ("put", "/api/v1/ladders/generic/"),
        ("patch", "/api/v1/ladders/generic/"),
        ("delete", "/api/v1/ladders/generic/"),
        ("delete", "/api/v1/ladders/urban-gardening/"),
    ],
)
def test_it_refuses_writes(client_for, custom_ladder, persona, method, url):
    client = client_for(persona)
    r = getattr(client, method)(url, {"slug": "x"}, content_type="application/json")
    assert r.status_code in (403, 405)
    assert r["Content-Type"] == "application/json"
    assert "detail" in r.json()
    assert client.get("/api/v1/ladders/").json()["count"] == 6


def _queries_for_api(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/ladders/").status_code == 200
    return len(ctx.captured_queries)


def test_its_query_count_does_not_grow_with_the_ladders(client_for, builtin, custom_ladder):
    client = client_for("official")
    LadderFactory.create_batch(1, based_on=custom_ladder)
    with_two = _queries_for_api(client)
    LadderFactory.create_batch(8, based_on=custom_ladder)
    assert _queries_for_api(client) == with_two
    assert with_two <= 5
