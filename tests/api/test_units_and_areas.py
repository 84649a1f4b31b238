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


def test_the_maturity_estimate_with_its_criteria(client_for, reko_case, official):
    from portaat.cases.services import record_assessment

    record_assessment(
        reko_case, perspective="official", current_level=2, target_level=5, by=official
    )
    response = client_for("official").get("/api/v1/units/planning/maturity/")
    assert response.status_code == 200
    data = response.json()
    assert data["unit"] == "planning"
    assert data["stage"] == 2
    assert [s["number"] for s in data["stages"]] == [2, 3, 4, 5]
    assert data["stages"][0]["reached"] is True
    for stage in data["stages"]:
        for criterion in stage["criteria"]:
            assert criterion["status"] in ("met", "unmet", "not_measurable")
            assert criterion["requirement"]
    assert data["lift"], "stage 3 has unmet criteria, so something would lift the unit"
    assert all(c["status"] == "unmet" for c in data["lift"])
    # the city aggregates its units
    city = client_for("official").get("/api/v1/units/city/maturity/").json()
    assert city["facts"]["cases"] == 1
    assert client_for("activist").get("/api/v1/units/planning/maturity/").status_code == 403
