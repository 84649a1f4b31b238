"""Exports of the place mentions: CSV and GeoJSON, with the page's filters."""

from __future__ import annotations

import csv
import io
import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentions(areas, source, analysed):
    for _ in range(2):
        analysed(source=source, areas=[areas["kallio"]])
    analysed(areas=[areas["pasila"]])
    return areas


def test_it_exports_csv(client_for, mentions):
    response = client_for("official").get("/planning/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["key"], r["name"], r["name_sv"], r["mentions"]) for r in rows] == [
        ("helsinki-kallio", "Kallio", "Berghäll", "2"),
        ("helsinki-pasila", "Pasila", "Böle", "1"),
    ]
    assert float(rows[0]["lat"]) == pytest.approx(60.184)


def test_it_exports_geojson(client_for, mentions, source):
    response = client_for("official").get(f"/planning/export.geojson?source={source.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert data["properties"]["filters"]["source"] == source.pk
    (feature,) = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [24.95, 60.184]}
    assert feature["properties"]["name"] == "Kallio"
    assert feature["properties"]["mentions"] == 2


def test_an_unknown_format_is_not_found(client_for, mentions):
    assert client_for("official").get("/planning/export.pdf").status_code == 404


def test_bad_filters_are_refused_with_a_translated_error(client_for, mentions):
    response = client_for("official").get("/planning/export.csv?until=tomorrow")
    assert response.status_code == 400
    assert "Syötä oikea päivämäärä" in response.content.decode()
