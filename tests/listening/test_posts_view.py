"""The posts page: search, filters, pagination, pseudonymised authors, fi/sv/en."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portaat.listening.ingest import Ingestor
from portaat.listening.models import PublicAccount
from tests.helpers import translation_of
from tests.listening.conftest import remote_post

pytestmark = pytest.mark.django_db
URL = reverse("listening:posts")


@pytest.fixture
def posts(source: Any) -> Any:
    PublicAccount.objects.create(platform="mastodon", handle="kallioseura@mastodon.example")
    Ingestor(source, "mastodon").add(
        [
            remote_post(1, text="Kalliossa avattiin yhteisöpuutarha.", tags=["kallio"]),
            remote_post(2, text="Spårvagnen till Berghäll.", language="sv"),
            remote_post(
                3,
                text="Seuran tiedote: Kallion kirjasto.",
                author_handle="kallioseura@mastodon.example",
            ),
        ]
    )
    return source


def test_search_in_finnish_finds_inflected_forms(client_for: Any, posts: Any) -> None:
    response = client_for("official").get(URL, {"q": "kallio"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kalliossa avattiin" in body
    assert "Kallion kirjasto" in body
    assert "Spårvagnen" not in body


def test_private_authors_show_as_pseudonyms_public_ones_by_name(
    client_for: Any, posts: Any
) -> None:
    body = client_for("official").get(URL).content.decode()
    assert "maija" not in body
    assert "kallioseura@mastodon.example" in body


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_page_speaks_each_language(client_for: Any, posts: Any, lang: str) -> None:
    response = client_for("official").get(URL, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    if lang != "en":
        assert translation_of("Listening", lang) in response.content.decode()


def test_bad_filters_get_a_clear_error_not_a_500(client_for: Any, posts: Any) -> None:
    client = client_for("official")
    for params in (
        {"since": "2026-13-45"},
        {"source": "99999999999999999999999"},
        {"activism": "x"},
        {"since": "2026-05-02", "until": "2026-05-01"},
        {"page": "-1"},
        {"q": "\"'*NEAR("},
    ):
        response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, params
    body = client.get(
        URL, {"since": "2026-05-02", "until": "2026-05-01"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The start date is after the end date." in body


def test_the_list_takes_a_constant_number_of_queries(client_for: Any, source: Any) -> None:
    client = client_for("official")
    Ingestor(source, "mastodon").add([remote_post(n) for n in range(3)])
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    Ingestor(source, "mastodon").add([remote_post(n) for n in range(3, 60)])
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)


def test_pages_of_fifty(client_for: Any, source: Any) -> None:
    Ingestor(source, "mastodon").add([remote_post(n) for n in range(60)])
    body = client_for("official").get(URL, {"page": "2"}).content.decode()
    assert body.count('class="post-card"') == 10
