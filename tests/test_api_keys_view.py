"""The API keys page (/api-keys/): a person makes a key, is shown it once, sees their keys (never
the key again) and revokes them; bad input says why in the page's language and stores nothing;
another's key cannot be revoked; those who must give the app's code give it here too."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from portaat.api import keys
from portaat.models import ApiKey
from tests.helpers import translation_of

pytestmark = pytest.mark.django_db
URL = "/api-keys/"


def _key_on(page: str) -> str:
    found = re.search(r'id="new-key"[^>]*value="(portaat_[^"]+)"', page)
    assert found, "the new key is not on the page"
    return found.group(1)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_make_a_key_see_it_once_use_it_and_revoke_it(client_for, personas, language):
    official = client_for("official")
    official.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    page = official.get(URL)
    assert page.status_code == 200
    empty = "You have no API keys."
    assert (empty if language == "en" else translation_of(empty, language)) in page.content.decode()

    made = official.post(URL, {"name": "Viikkoraportti", "days": "90"})
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    key = _key_on(made.content.decode())
    row = ApiKey.objects.get(user=personas["official"])
    assert (row.name, row.prefix, (row.expires_at - row.created_at).days) == (
        "Viikkoraportti",
        key[:12],
        90,
    )

    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/notifications/").status_code == 200

    listing = official.get(URL).content.decode()
    assert "Viikkoraportti" in listing and key[:12] in listing
    assert key not in listing  # shown once only

    revoked = official.post(f"/api-keys/{row.pk}/revoke/", follow=True)
    assert revoked.status_code == 200
    assert not ApiKey.objects.exists()
    assert api.get("/api/v1/notifications/").status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "", "days": "365"},
            "Give the key a name, for example the integration that will use it.",
        ),
        ({"name": "x" * 101, "days": "365"}, "The name is too long (at most %(max)d characters)."),
        ({"name": "report", "days": "7"}, "Choose how long the key is valid."),
        ({"name": "report", "days": "forever"}, "Choose how long the key is valid."),
        ({"name": "report"}, "Choose how long the key is valid."),
    ],
)
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_bad_input_says_why_in_the_pages_language_and_stores_nothing(
    client_for, data, message, language
):
    official = client_for("official")
    response = official.post(URL, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert translation_of(message, language) % {"max": 100} in response.content.decode()
    assert 'id="new-key"' not in response.content.decode()
    assert not ApiKey.objects.exists()


def test_the_cap_on_keys_is_explained(client_for, personas):
    for n in range(keys.MAX_KEYS_PER_PERSON):
        keys.create(personas["official"], f"key {n}")
    response = client_for("official").post(
        URL, {"name": "one more", "days": "30"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "You already have 20 API keys" in response.content.decode()
    assert ApiKey.objects.count() == keys.MAX_KEYS_PER_PERSON


def test_one_sees_and_revokes_only_ones_own_keys(client_for, personas):
    row, _key = keys.create(personas["official"], "official's report")
    coordinator = client_for("coordinator")
    assert "official&#x27;s report" not in coordinator.get(URL).content.decode()
    assert coordinator.post(f"/api-keys/{row.pk}/revoke/").status_code == 404
    assert coordinator.post("/api-keys/999999/revoke/").status_code == 404
    assert ApiKey.objects.filter(pk=row.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(URL, {"name": "x", "days": "30"}).status_code == 302
    assert not ApiKey.objects.exists()


def test_those_who_must_give_the_code_give_it_before_making_a_key(personas):
    coordinator = Client()
    coordinator.force_login(personas["coordinator"])  # a password only: no code
    response = coordinator.post(URL, {"name": "report", "days": "30"})
    assert response.status_code == 302 and response["Location"].startswith("/two-step/")
    assert not ApiKey.objects.exists()


def test_the_notifications_page_links_here(client_for):
    assert f'href="{URL}"' in client_for("activist").get("/notifications/").content.decode()
