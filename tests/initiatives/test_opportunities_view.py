"""/initiatives/opportunities/…: the public catalogue, kept by the administration."""

from __future__ import annotations

import pytest

from portaat.initiatives.models import Opportunity
from portaat.ladders.models import Ladder
from tests.initiatives.conftest import in_english

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_open_catalogue(client, catalogue):
    page = client.get("/initiatives/opportunities/").content.decode()
    assert "Lähiruoka-avustus" in page and "Joukkorahoitusalusta" in page
    assert "Vanha avustus" not in page and "Piilotettu tila" not in page
    assert (
        client.get(f"/initiatives/opportunities/{catalogue['reko_grant'].pk}/").status_code == 200
    )
    assert client.get(f"/initiatives/opportunities/{catalogue['hidden'].pk}/").status_code == 404


def test_filter_by_area_includes_wider_areas_and_open_ones(client, catalogue):
    page = client.get("/initiatives/opportunities/?area=kallio").content.decode()
    assert "Lähiruoka-avustus" in page  # for all of Helsinki
    assert "Joukkorahoitusalusta" in page  # open everywhere
    assert "Espoon avustus" not in page
    kinds = client.get("/initiatives/opportunities/?kind=crowdfunding").content.decode()
    assert "Joukkorahoitusalusta" in kinds and "Lähiruoka-avustus" not in kinds


def test_a_bad_filter_is_a_clear_400(client, catalogue):
    client = in_english(client)
    response = client.get("/initiatives/opportunities/?kind=lottery&area=atlantis")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_administration_sees_closed_entries_too(client_for, catalogue):
    page = client_for("official").get("/initiatives/opportunities/").content.decode()
    assert "Vanha avustus" in page and "Piilotettu tila" in page


def test_an_official_adds_an_opportunity(client_for, builtin, places):
    response = client_for("official").post(
        "/initiatives/opportunities/new/",
        {
            "kind": "premises",
            "title": "Nuorisotalon tilat iltaisin",
            "provider": "Nuorisopalvelut",
            "url": "www.hel.fi/tilat",
            "deadline": "",
            "amount_min": "",
            "amount_max": "",
            "domains": [Ladder.objects.get(slug="reko").pk],
            "areas": ["kallio"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = Opportunity.objects.get()
    assert created.url == "https://www.hel.fi/tilat"
    assert [a.key for a in created.areas.all()] == ["kallio"]


def test_amounts_in_the_wrong_order_are_refused(client_for, builtin):
    response = in_english(client_for("official")).post(
        "/initiatives/opportunities/new/",
        {"kind": "grant", "title": "X", "amount_min": "5000", "amount_max": "100"},
    )
    assert response.status_code == 400
    assert "The largest amount is smaller than the smallest." in response.content.decode()
    assert not Opportunity.objects.exists()


def test_an_official_hides_an_opportunity(client_for, catalogue):
    grant = catalogue["reko_grant"]
    response = client_for("official").post(
        f"/initiatives/opportunities/{grant.pk}/edit/",
        {"kind": "grant", "title": grant.title, "amount_min": "1000", "amount_max": "5000"},
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert not grant.is_active
    assert [d.slug for d in grant.domains.all()] == []  # the form sets what it was sent


@pytest.mark.parametrize("persona", ["activist", "researcher"])
def test_others_cannot_edit_the_catalogue(client_for, catalogue, persona):
    client = client_for(persona)
    assert client.get("/initiatives/opportunities/new/").status_code == 403
    grant = catalogue["reko_grant"]
    assert client.post(f"/initiatives/opportunities/{grant.pk}/edit/", {}).status_code == 403
