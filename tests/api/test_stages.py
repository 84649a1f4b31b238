from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_the_five_stages_unpaged(client, builtin):
    r = client.get("/api/v1/stages/")
    assert r.status_code == 200
    body = r.json()
    assert [stage["number"] for stage in body] == [1, 2, 3, 4, 5]
    assert body[0]["title"] == {
        "fi": "Aktivismit huomiotta",
        "sv": "Ingen uppmärksamhet åt aktivismen",
        "en": "Activisms ignored",
    }
    assert set(body[4]["description"]) == {"fi", "sv", "en"}


def test_it_shows_one_stage(client, builtin):
    r = client.get("/api/v1/stages/3/")
    assert r.status_code == 200
    assert r.json()["title"]["en"] == "Recognised in goals"


@pytest.mark.parametrize("number", ["0", "6", "abc", "99999999999999999999"])
def test_it_returns_json_404_for_a_bad_number(client, builtin, number):
    r = client.get(f"/api/v1/stages/{number}/")
    assert r.status_code == 404
    assert "detail" in r.json()


def test_it_is_empty_before_the_data_is_loaded(client, db):
    assert client.get("/api/v1/stages/").json() == []


@pytest.mark.parametrize(
    ("method", "url"),
    [("post", "/api/v1/stages/"), ("put", "/api/v1/stages/1/"), ("delete", "/api/v1/stages/1/")],
)
def test_it_refuses_writes(client_for, builtin, method, url):
    r = getattr(client_for("coordinator"), method)(url, {}, content_type="application/json")
    assert r.status_code in (403, 405)
    assert "detail" in r.json()
    assert client_for("coordinator").get("/api/v1/stages/1/").status_code == 200
