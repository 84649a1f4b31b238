"""/api/v1/opportunities/ and /api/v1/initiatives/."""

from __future__ import annotations

import pytest

from portaat.initiatives import services

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_open_catalogue(client, catalogue):
    found = client.get("/api/v1/opportunities/").json()["results"]
    titles = {item["title"] for item in found}
    assert titles == {
        "Lähiruoka-avustus",
        "Joukkorahoitusalusta",
        "Pienavustus",
        "Kaavoitusavustus",
        "Espoon avustus",
        "Suuravustus",
    }
    grant = next(item for item in found if item["title"] == "Lähiruoka-avustus")
    assert (grant["domains"], grant["areas"]) == (["reko"], ["helsinki"])
    past = client.get("/api/v1/opportunities/?open=false").json()["results"]
    assert "Vanha avustus" in {item["title"] for item in past}
    assert "Piilotettu tila" not in {item["title"] for item in past}
    assert client.get(f"/api/v1/opportunities/{catalogue['hidden'].pk}/").status_code == 404
    assert client.get("/api/v1/opportunities/?kind=lottery").status_code == 400


def test_initiatives_with_their_proposals(client_for, initiative, catalogue, official):
    services.propose(initiative, catalogue["reko_grant"], by=official)
    found = client_for("activist").get("/api/v1/initiatives/").json()["results"]
    assert [(item["title"], item["matches"][0]["status"]) for item in found] == [
        ("Kallion kierrätyskeskus", "proposed")
    ]
    assert client_for("official").get("/api/v1/initiatives/?status=open").json()["count"] == 1
    assert client_for("official").get("/api/v1/initiatives/?status=won").status_code == 400
    assert client_for("official").get("/api/v1/initiatives/?activism=x").status_code == 400
    assert client_for("researcher").get("/api/v1/initiatives/").status_code == 403
    assert client_for("anonymous").get("/api/v1/initiatives/").status_code == 403
    assert client_for("official").post("/api/v1/initiatives/", {}).status_code == 403
