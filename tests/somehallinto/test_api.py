"""/api/v1/somehallinto-guidance/ and /api/v1/somehallinto-assessments/."""

from __future__ import annotations

import pytest

from portaat.somehallinto import services

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_guidance_in_three_languages(client_for, guidance):
    response = client_for("anonymous").get("/api/v1/somehallinto-guidance/")
    assert response.status_code == 200
    levels = response.json()
    assert [g["level"] for g in levels] == list(range(1, 9))
    assert set(levels[3]["body"]) == {"fi", "sv", "en"}
    assert client_for("anonymous").get("/api/v1/somehallinto-guidance/4/").json()["level"] == 4
    assert client_for("anonymous").get("/api/v1/somehallinto-guidance/9/").status_code == 404


def test_an_official_reads_their_own_assessments_only(client_for, guidance, official, coordinator):
    services.assess_self(official, current=2, target=5)
    services.assess_self(coordinator, current=6, target=7)
    own = client_for("official").get("/api/v1/somehallinto-assessments/").json()["results"]
    assert [(a["current_level"], a["official"]) for a in own] == [(2, official.email)]
    assert client_for("anonymous").get("/api/v1/somehallinto-assessments/").status_code == 403
    assert client_for("activist").get("/api/v1/somehallinto-assessments/").status_code == 403


def test_a_units_assessments_and_its_officials_latest(
    client_for, guidance, unit, official, coordinator
):
    services.assess_self(official, current=2, target=5)
    services.assess_self(official, current=3, target=5)
    services.assess_unit(unit, current=2, target=4, note="", by=coordinator)
    found = client_for("official").get("/api/v1/somehallinto-assessments/?unit=planning").json()
    rows = {(a["unit"], a["official"], a["current_level"]) for a in found["results"]}
    assert rows == {("planning", None, 2), (None, official.email, 3)}
    bad = client_for("official").get("/api/v1/somehallinto-assessments/?unit=nowhere")
    assert bad.status_code == 400
