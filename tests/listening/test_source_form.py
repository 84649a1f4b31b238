"""Adding and changing sources: platform/kind pairs, the connector's check, encrypted
credentials, the legal basis, public accounts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from portaat.listening.models import PublicAccount, Source
from portaat.listening.privacy import decrypt_credentials
from tests.factories import ActivismFactory, SourceFactory

pytestmark = pytest.mark.django_db
NEW = reverse("listening:source_new")


def form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "#kallio Mastodonissa",
        "platform": "mastodon",
        "kind": "hashtag",
        "target": "#kallio",
        "base_url": "https://mastodon.social",
        "schedule_minutes": "60",
        "legal_basis": "Yleisen edun mukainen tehtävä.",
    }
    data.update(overrides)
    return data


def test_an_official_adds_a_hashtag_source_for_an_activism(client_for: Any) -> None:
    activism = ActivismFactory(name="Kallio-seura")
    response = client_for("official").post(NEW, form(activisms=[activism.pk]))
    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == source.get_absolute_url()
    assert (source.platform, source.kind, source.target) == ("mastodon", "hashtag", "#kallio")
    assert list(source.activisms.all()) == [activism]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "feed"}, "Mastodon cannot follow this"),
        ({"legal_basis": ""}, "This field is required."),
        ({"platform": "myspace"}, "Select a valid choice."),
        ({"schedule_minutes": "-5"}, "greater than or equal to 0"),
        ({"activisms": ["99999999999999999999"]}, "Select a valid choice"),
        ({"credentials": "no equals sign"}, "Line 1 is not of the form name=value."),
        ({"base_url": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(
    client_for: Any, overrides: dict[str, Any], message: str
) -> None:
    response = client_for("official").post(NEW, form(**overrides), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Source.objects.exists()


def test_the_connector_refuses_a_source_that_cannot_work(client_for: Any) -> None:
    response = client_for("official").post(
        NEW,
        form(platform="rss", kind="feed", target="ftp://example.org/feed"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "The platform cannot follow this" in response.content.decode()
    assert not Source.objects.exists()


def test_credentials_are_stored_encrypted_and_kept_when_left_empty(client_for: Any) -> None:
    client = client_for("official")
    client.post(
        NEW,
        form(
            platform="bluesky",
            kind="search",
            target="raitiovaunu",
            base_url="",
            credentials="identifier=kaupunki.bsky.social\napp_password=abcd-efgh-ijkl-mnop",
        ),
    )
    source = Source.objects.get()
    assert "abcd" not in source.credentials_encrypted
    assert decrypt_credentials(source.credentials_encrypted) == {
        "identifier": "kaupunki.bsky.social",
        "app_password": "abcd-efgh-ijkl-mnop",
    }
    edit = reverse("listening:source_edit", args=[source.pk])
    page = client.get(edit).content.decode()
    assert "abcd-efgh" not in page  # never shown again
    client.post(edit, form(platform="bluesky", kind="search", target="raitiovaunu", base_url=""))
    source.refresh_from_db()
    assert decrypt_credentials(source.credentials_encrypted)["identifier"] == "kaupunki.bsky.social"
    client.post(
        edit,
        form(
            platform="bluesky",
            kind="search",
            target="raitiovaunu",
            base_url="",
            clear_credentials="on",
        ),
    )
    source.refresh_from_db()
    assert source.credentials_encrypted == ""


def test_a_public_account_source_marks_the_account_public(client_for: Any) -> None:
    client_for("official").post(
        NEW, form(kind="account", target="@Kallioseura@mastodon.social", public_account="on")
    )
    assert PublicAccount.objects.filter(
        platform="mastodon", handle="kallioseura@mastodon.social"
    ).exists()


def test_following_something_else_starts_from_its_beginning(client_for: Any) -> None:
    source = SourceFactory(target="kallio", base_url="https://mastodon.social")
    Source.objects.filter(pk=source.pk).update(cursor={"min_id": "123"})
    edit = reverse("listening:source_edit", args=[source.pk])
    client_for("official").post(edit, form(name="renamed", target="kallio"))
    source.refresh_from_db()
    assert source.cursor == {"min_id": "123"}  # only the name changed
    client_for("official").post(edit, form(target="berghall"))
    source.refresh_from_db()
    assert source.cursor == {}
