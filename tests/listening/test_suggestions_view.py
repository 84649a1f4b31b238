"""Suggested activisms: recurring hashtags, accounts and groups not yet in the registry."""

from __future__ import annotations

from typing import Any

import pytest
from django.test.utils import override_settings
from django.urls import reverse

from portaat.listening.ingest import Ingestor
from portaat.listening.models import Suggestion
from portaat.registry.models import Activism, Origin, Review
from tests.factories import ActivismFactory, ActivismKindFactory
from tests.listening.conftest import remote_post

pytestmark = pytest.mark.django_db
URL = reverse("listening:suggestions")


@pytest.fixture
def recurring(source: Any) -> Any:
    ActivismKindFactory(slug="other", name="Muu")
    Ingestor(source, "mastodon").add(
        [
            remote_post(
                n,
                tags=["kumpulanpuutarha", "kallio"],
                mentions=["kaupunkiviljely@mastodon.example", f"person{n}@mastodon.example"],
            )
            for n in range(6)
        ]
    )


def review_url(key: str) -> str:
    return reverse("listening:suggestion_review", args=[Suggestion.objects.get(key=key).pk])


@override_settings(PORTAAT_DISCOVERY_MIN_POSTS=5)
def test_recurring_tags_and_public_accounts_are_suggested_once_people_are_not(
    client_for: Any, recurring: Any
) -> None:
    body = client_for("official").get(URL).content.decode()
    assert "#kumpulanpuutarha" in body
    assert "kaupunkiviljely@mastodon.example" in body
    assert "person1" not in body  # mentioned once: a person, never named
    # the source follows #kallio already: not suggested
    assert "#kallio<" not in body


def test_add_creates_an_activism_awaiting_review(client_for: Any, recurring: Any) -> None:
    response = client_for("official").post(review_url("kumpulanpuutarha"), {"action": "add"})
    activism = Activism.objects.get(name="#kumpulanpuutarha")
    assert response.status_code == 302
    assert response["Location"] == activism.get_absolute_url()
    assert (activism.origin, activism.review) == (Origin.LISTENING, Review.PENDING)
    suggestion = Suggestion.objects.get(key="kumpulanpuutarha")
    assert suggestion.status == "accepted" and suggestion.activism == activism
    assert "#kumpulanpuutarha" not in client_for("official").get(URL).content.decode()
    # the review page shows example posts
    page = client_for("official").get(review_url("kumpulanpuutarha")).content.decode()
    assert "Kalliossa tapahtuu" in page


def test_link_to_an_existing_activism_and_dismiss(client_for: Any, recurring: Any) -> None:
    garden = ActivismFactory(name="Kumpulan kyläpuutarha")
    client = client_for("official")
    client.post(review_url("kumpulanpuutarha"), {"action": "link", "activism": garden.pk})
    assert Suggestion.objects.get(key="kumpulanpuutarha").activism == garden
    client.post(review_url("kallio"), {"action": "dismiss"})
    assert Suggestion.objects.get(key="kallio").status == "dismissed"


def test_bad_reviews_change_nothing(client_for: Any, recurring: Any) -> None:
    client = client_for("official")
    url = review_url("kumpulanpuutarha")
    for data in (
        {"action": "explode"},
        {"action": "link"},
        {"action": "link", "activism": "99999999999999999999999"},
        {"action": "link", "activism": "abc"},
    ):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302
    assert Suggestion.objects.get(key="kumpulanpuutarha").status == "new"
    assert client.get("/listening/suggestions/999999/").status_code == 404
    client.post(url, {"action": "dismiss"})
    response = client.post(url, {"action": "add"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "already been reviewed" in response.content.decode()
    assert not Activism.objects.filter(name="#kumpulanpuutarha").exists()
    assert client.post("/listening/suggestions/999999/", {"action": "add"}).status_code == 404


def test_a_researcher_may_not_review(client_for: Any, recurring: Any) -> None:
    assert client_for("researcher").post(review_url("kallio"), {"action": "add"}).status_code == 403
