"""The thanks API: published thanks for anyone; every thanks with its status for coordinators;
contact emails never."""

from __future__ import annotations

import pytest

from portaat.thanks.models import ThanksProfile
from tests.factories import ActivismFactory, ThanksFactory

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_published_thanks(thanked, unit, client_for):
    ring = ActivismFactory(name="Lauttasaaren REKO")
    published = ThanksFactory(
        unit=unit,
        official=thanked,
        status="approved",
        thanker_name="",
        contact_email="liisa@example.org",
        activism=ring,
    )
    ThanksFactory(unit=unit, status="pending")
    ThanksFactory(unit=unit, status="rejected")
    response = client_for("anonymous").get("/api/v1/thanks/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == published.pk
    assert item["unit"] == {
        "slug": "planning",
        "name": {"fi": "Asemakaavoitus", "sv": "Detaljplanering", "en": "Detailed planning"},
    }
    assert item["official"] == {"id": thanked.pk, "name": "Olli Virkamies"}
    assert item["thanker_name"] is None
    assert item["activism"] == {"id": ring.pk, "name": "Lauttasaaren REKO"}
    assert item["status"] is None and item["rejection_reason"] is None
    assert "liisa@example.org" not in response.content.decode()
    assert "contact_email" not in item and "sender_key" not in item


def test_a_withdrawn_official_and_a_hidden_activism_are_not_named(thanked, unit, client_for):
    hidden = ActivismFactory(visibility="internal")
    ThanksFactory(unit=unit, official=thanked, status="approved", activism=hidden)
    ThanksProfile.objects.filter(user=thanked).update(accepts_thanks=False)
    item = client_for("anonymous").get("/api/v1/thanks/").json()["results"][0]
    assert item["official"] is None
    assert item["activism"] is None


def test_filter_by_unit(city, client_for):
    ThanksFactory(unit=city["unit"], status="approved")
    ThanksFactory(unit=city["other"], status="approved")
    client = client_for("anonymous")
    assert client.get("/api/v1/thanks/?unit=environment").json()["count"] == 1
    assert client.get("/api/v1/thanks/?unit=city").json()["count"] == 2
    response = client.get("/api/v1/thanks/?unit=no-such-unit")
    assert response.status_code == 400


def test_coordinators_read_every_thanks_with_its_status(city, client_for):
    ThanksFactory(unit=city["unit"], status="approved")
    waiting = ThanksFactory(unit=city["unit"], status="pending")
    ThanksFactory(unit=city["unit"], status="rejected", rejection_reason="Mainos.")
    client = client_for("coordinator")
    assert client.get("/api/v1/thanks/").json()["count"] == 3
    body = client.get("/api/v1/thanks/?status=pending").json()
    assert [item["id"] for item in body["results"]] == [waiting.pk]
    assert body["results"][0]["status"] == "pending"
    rejected = client.get("/api/v1/thanks/?status=rejected").json()["results"][0]
    assert rejected["rejection_reason"] == "Mainos."
    # others asking for waiting thanks get none
    assert client_for("official").get("/api/v1/thanks/?status=pending").json()["count"] == 0


def test_an_unpublished_thanks_is_a_404_for_others(city, client_for):
    waiting = ThanksFactory(unit=city["unit"])
    assert client_for("anonymous").get(f"/api/v1/thanks/{waiting.pk}/").status_code == 404
    assert client_for("coordinator").get(f"/api/v1/thanks/{waiting.pk}/").status_code == 200


def test_the_api_is_read_only(city, client_for):
    published = ThanksFactory(unit=city["unit"], status="approved")
    client = client_for("coordinator")
    assert client.post("/api/v1/thanks/", {}).status_code in (403, 405)
    assert client.delete(f"/api/v1/thanks/{published.pk}/").status_code in (403, 405)


def test_the_list_needs_the_same_queries_for_many_thanks(
    thanked, unit, client_for, django_assert_max_num_queries
):
    for _ in range(20):
        ThanksFactory(unit=unit, official=thanked, status="approved", activism=ActivismFactory())
    with django_assert_max_num_queries(4):
        assert client_for("anonymous").get("/api/v1/thanks/").status_code == 200
