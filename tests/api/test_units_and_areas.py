from __future__ import annotations

import pytest

from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def test_units_are_for_the_administration(client_for, unit, reko_case):
    assert client_for("anonymous").get("/api/v1/units/").status_code == 403
    assert client_for("activist").get("/api/v1/units/").status_code == 403
    response = client_for("official").get("/api/v1/units/")
    assert response.status_code == 200
    planning = next(u for u in response.json()["results"] if u["slug"] == "planning")
    assert planning["parent"] == "environment"
    assert planning["case_count"] == 1
    assert planning["name"]["sv"] == "Detaljplanering"


def test_areas_are_open_data_with_swedish_names(client):
    city = AreaFactory(key="helsinki", name="Helsinki", name_sv="Helsingfors", kind="municipality")
    kallio = AreaFactory(key="helsinki-kallio", name="Kallio", name_sv="Berghäll", parent=city)
    response = client.get("/api/v1/areas/?kind=district")
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item == {
        "key": "helsinki-kallio",
        "name": "Kallio",
        "name_sv": "Berghäll",
        "aliases": [],
        "kind": "district",
        "municipality": "Helsinki",
        "parent": "helsinki",
        "lat": kallio.lat,
        "lon": kallio.lon,
    }


def test_kinds_of_activism_in_three_languages(client, db):
    from portaat.registry.services import load_builtin_kinds

    load_builtin_kinds()
    response = client.get("/api/v1/activism-kinds/")
    reko = next(k for k in response.json() if k["slug"] == "reko-ring")
    assert reko["name"] == {"fi": "REKO-rengas", "sv": "REKO-ring", "en": "REKO ring"}
