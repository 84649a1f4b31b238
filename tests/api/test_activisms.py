from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import ActivismFactory, AreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activisms(activist):
    public = ActivismFactory(
        name="Kallion REKO",
        contact_name="Maija",
        contact_email="maija@example.org",
        contact_consent_at=timezone.now(),
        areas=[AreaFactory(key="helsinki-kallio", name="Kallio", name_sv="Berghäll")],
    )
    internal = ActivismFactory(name="Sisäinen verkosto", visibility="internal")
    pending = ActivismFactory(
        name="Odottava rinki", review="pending", origin="self", maintainers=[activist]
    )
    return {"public": public, "internal": internal, "pending": pending}


def names(response):
    return {item["name"] for item in response.json()["results"]}


def test_anonymous_readers_get_public_approved_activisms_only(client, activisms):
    response = client.get("/api/v1/activisms/")
    assert response.status_code == 200
    assert names(response) == {"Kallion REKO"}


def test_contact_details_are_hidden_from_the_public(client, activisms):
    item = client.get(f"/api/v1/activisms/{activisms['public'].pk}/").json()
    assert item["contact"] is None


def test_the_administration_sees_everything_with_contacts(client_for, activisms):
    response = client_for("official").get("/api/v1/activisms/")
    assert names(response) == {"Kallion REKO", "Sisäinen verkosto", "Odottava rinki"}
    item = next(i for i in response.json()["results"] if i["name"] == "Kallion REKO")
    assert item["contact"]["email"] == "maija@example.org"


def test_maintainers_see_their_own_pending_entry_but_not_internal_ones(client_for, activisms):
    response = client_for("activist").get("/api/v1/activisms/")
    assert names(response) == {"Kallion REKO", "Odottava rinki"}
    response = client_for("activist").get(f"/api/v1/activisms/{activisms['internal'].pk}/")
    assert response.status_code == 404


def test_filters_by_area_and_municipality(client_for, activisms):
    client = client_for("official")
    assert names(client.get("/api/v1/activisms/?area=helsinki-kallio")) == {"Kallion REKO"}
    assert names(client.get("/api/v1/activisms/?municipality=Espoo")) == set()


def test_a_bad_filter_value_is_a_400_not_a_500(client_for, activisms):
    response = client_for("official").get("/api/v1/activisms/?status=sleeping")
    assert response.status_code == 400
    assert "status" in response.json()


def test_anonymous_writes_are_refused_and_put_delete_are_not_offered(client_for, activisms):
    """Registering and editing are tested in test_activism_writes.py."""
    assert client_for("anonymous").post("/api/v1/activisms/", {"name": "x"}).status_code == 403
    pk = activisms["public"].pk
    for persona in ("official", "coordinator"):
        client = client_for(persona)
        assert client.put(f"/api/v1/activisms/{pk}/", {}).status_code == 405, persona
        assert client.delete(f"/api/v1/activisms/{pk}/").status_code == 405, persona


def test_the_list_does_not_grow_in_queries(client_for, activisms, django_assert_max_num_queries):
    client = client_for("official")
    with django_assert_max_num_queries(12):
        client.get("/api/v1/activisms/")
    for n in range(20):
        ActivismFactory(name=f"Lisää {n}", areas=[AreaFactory()])
    with django_assert_max_num_queries(12):
        client.get("/api/v1/activisms/")
