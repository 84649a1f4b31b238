"""Subscribing to spike alerts and unsubscribing, through the alerts page."""

from __future__ import annotations

import pytest

from portaat.planning.models import SpikeSubscription

pytestmark = pytest.mark.django_db


def test_it_subscribes_to_an_area(client_for, official, areas):
    client = client_for("official")
    response = client.post("/planning/alerts/", {"kind": "area", "area": "helsinki-kallio"})
    assert response.status_code == 302
    assert response["Location"] == "/planning/alerts/"
    sub = SpikeSubscription.objects.get()
    assert (sub.user, sub.kind, sub.value) == (official, "area", "helsinki-kallio")
    body = client.get("/planning/alerts/").content.decode()
    assert "Kallio" in body


def test_it_subscribes_to_a_theme_and_a_keyword(client_for, official, themes):
    client = client_for("official")
    client.post("/planning/alerts/", {"kind": "topic", "theme": "traffic"})
    client.post("/planning/alerts/", {"kind": "keyword", "keyword": "Ratikka"})
    client.post("/planning/alerts/", {"kind": "keyword", "keyword": "ratikka"})  # again
    assert sorted(SpikeSubscription.objects.values_list("kind", "value")) == [
        ("keyword", "ratikka"),
        ("topic", "traffic"),
    ]


def test_it_returns_to_the_analysis_page(client_for, areas):
    response = client_for("official").post(
        "/planning/alerts/",
        {"kind": "area", "area": "helsinki-kallio", "next": "/planning/?source=1"},
    )
    assert response["Location"] == "/planning/?source=1"
    response = client_for("official").post(
        "/planning/alerts/",
        {"kind": "area", "area": "helsinki-pasila", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/planning/alerts/"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "area", "area": "no-such-area"}, "Valitse oikea vaihtoehto"),
        ({"kind": "area"}, "Valitse tai kirjoita, mitä seuraat."),
        ({"kind": "keyword", "keyword": "two words"}, "Avainsana on yksi sana"),
        ({"kind": "planet", "keyword": "x"}, "Valitse oikea vaihtoehto"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(client_for, areas, data, message):
    response = client_for("official").post("/planning/alerts/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SpikeSubscription.objects.exists()


def test_it_unsubscribes(client_for, official, areas):
    client = client_for("official")
    client.post("/planning/alerts/", {"kind": "area", "area": "helsinki-kallio"})
    sub = SpikeSubscription.objects.get()
    response = client.post(f"/planning/alerts/{sub.pk}/delete/")
    assert response.status_code == 302
    assert not SpikeSubscription.objects.exists()


def test_nobody_unsubscribes_another_user(client_for, official, areas):
    client_for("official").post("/planning/alerts/", {"kind": "area", "area": "helsinki-kallio"})
    sub = SpikeSubscription.objects.get()
    response = client_for("coordinator").post(f"/planning/alerts/{sub.pk}/delete/", follow=True)
    assert "Sinulla ei ole tällaista tilausta." in response.content.decode()
    assert SpikeSubscription.objects.filter(pk=sub.pk).exists()


def test_researchers_and_activists_may_not_subscribe(client_for, areas):
    for persona in ("researcher", "activist"):
        response = client_for(persona).post(
            "/planning/alerts/", {"kind": "area", "area": "helsinki-kallio"}
        )
        assert response.status_code == 403
    assert not SpikeSubscription.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("O’Brien", "o’brien"), ("McDonald's", "mcdonald’s"), ("katu-uudistus", "katu-uudistus")],
)
def test_keywords_with_apostrophes_can_be_followed(client_for, official, typed, stored):
    response = client_for("official").post(
        "/planning/alerts/", {"kind": "keyword", "keyword": typed}
    )
    assert response.status_code == 302
    assert SpikeSubscription.objects.get(user=official).value == stored
