"""API keys for integrations ("Authorization: Token <key>"): a key reads exactly what its account
reads through the pages' session; a wrong, expired, revoked or disabled one is refused with a
translated JSON 403 saying why (403, not 401, as for every unauthenticated API request: the
session is the first authentication scheme). Only a digest of a key is stored."""

from __future__ import annotations

import hashlib
import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from portaat.api import keys
from portaat.models import ApiKey, Notification
from tests.helpers import api_key_for, translation_of

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/notifications/",
    "/api/v1/cases/",
    "/api/v1/assessments/",
    "/api/v1/interactions/",
    "/api/v1/initiatives/",
    "/api/v1/research-projects/",
    "/api/v1/plan-items/",
    "/api/v1/units/",
]
INVALID = "Invalid API key."


def _key_client(key: str, language: str = "en") -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("persona", ["activist", "researcher", "official", "coordinator", "admin"])
def test_a_key_reads_what_the_session_reads(client_for, personas, persona):
    user = personas[persona]
    Notification.objects.create(user=user, key="k", kind="x", params={})
    by_session, by_key = client_for(persona), _key_client(api_key_for(user))
    for path in PATHS:
        session, token = by_session.get(path), by_key.get(path)
        assert token.status_code == session.status_code, (persona, path)
        if session.status_code == 200:
            assert token.json()["count"] == session.json()["count"], (persona, path)
    assert by_key.get("/api/v1/notifications/").json()["count"] == 1


def test_only_a_digest_is_stored_and_the_key_is_recognised_by_it(personas):
    row, key = keys.create(personas["official"], "  weekly   report ")
    assert key.startswith("portaat_") and len(key) >= 48
    assert row.name == "weekly report"
    assert row.prefix == key[:12] and row.digest == hashlib.sha256(key.encode()).hexdigest()
    stored = ApiKey.objects.filter(pk=row.pk).values().get()
    assert not any(key in str(value) for value in stored.values())
    assert row.expires_at is not None and row.expires_at - row.created_at == timedelta(days=365)
    other_row, other = keys.create(personas["official"], "another", days=0)
    assert other != key and other_row.expires_at is None


@pytest.mark.parametrize(
    ("language", "wrong", "expired"),
    [
        ("en", INVALID, "This API key has expired: make a new one on the API keys page."),
        ("fi", None, None),
        ("sv", None, None),
    ],
)
def test_a_wrong_expired_revoked_or_disabled_key_is_refused(personas, language, wrong, expired):
    official = personas["official"]
    wrong = wrong or translation_of(INVALID, language)
    response = _key_client("portaat_" + "0" * 40, language).get("/api/v1/notifications/")
    assert response.status_code == 403
    assert response.json()["detail"] == wrong

    row, key = keys.create(official, "old")
    ApiKey.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _key_client(key, language).get("/api/v1/notifications/")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        expired
        or translation_of(
            "This API key has expired: make a new one on the API keys page.", language
        )
    )

    row, key = keys.create(official, "revoked")
    assert _key_client(key).get("/api/v1/notifications/").status_code == 200
    assert keys.revoke(official, row.pk)
    assert _key_client(key, language).get("/api/v1/notifications/").json()["detail"] == wrong

    _row, key = keys.create(official, "disabled")
    official.is_active = False
    official.save()
    refused = _key_client(key).get("/api/v1/notifications/")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "User inactive or deleted."


def test_last_use_is_recorded_at_most_every_few_minutes(personas):
    row, key = keys.create(personas["official"], "report")
    client = _key_client(key)
    assert client.get("/api/v1/notifications/").status_code == 200
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None
    client.get("/api/v1/notifications/")
    row.refresh_from_db()
    assert row.last_used_at == first  # not a write per request
    ApiKey.objects.filter(pk=row.pk).update(last_used_at=first - keys.LAST_USED_PRECISION)
    client.get("/api/v1/notifications/")
    row.refresh_from_db()
    assert row.last_used_at > first


@pytest.mark.parametrize(
    ("name", "days", "message"),
    [
        ("", 365, "Give the key a name, for example the integration that will use it."),
        ("   ", 365, "Give the key a name, for example the integration that will use it."),
        ("x" * 101, 365, "The name is too long (at most 100 characters)."),
        ("report", -1, "The lifetime must be a number of days, or 0 for no expiry."),
        ("report", 3651, "A key can be valid for at most ten years (3650 days)."),
    ],
)
def test_a_key_that_cannot_be_made_says_why_and_nothing_is_stored(personas, name, days, message):
    with translation.override("en"), pytest.raises(keys.ApiKeyError) as error:
        keys.create(personas["official"], name, days)
    with translation.override("en"):
        assert str(error.value) == message
    assert not ApiKey.objects.exists()


def test_at_most_twenty_keys_per_person_and_a_disabled_account_gets_none(personas):
    official = personas["official"]
    for n in range(keys.MAX_KEYS_PER_PERSON):
        keys.create(official, f"key {n}")
    with translation.override("en"), pytest.raises(keys.ApiKeyError, match="have 20 API keys"):
        keys.create(official, "one more")
    assert ApiKey.objects.filter(user=official).count() == keys.MAX_KEYS_PER_PERSON
    keys.create(personas["researcher"], "theirs")  # the cap is per person
    official.is_active = False
    with translation.override("en"), pytest.raises(keys.ApiKeyError, match="disabled account"):
        keys.create(official, "x")


def test_one_cannot_revoke_anothers_key(personas):
    row, key = keys.create(personas["official"], "report")
    assert not keys.revoke(personas["coordinator"], row.pk)
    assert _key_client(key).get("/api/v1/notifications/").status_code == 200


def test_without_a_key_the_api_is_as_for_anyone(client):
    assert client.get("/api/v1/notifications/").status_code == 403
    assert client.get("/api/v1/ladders/").status_code == 200


def test_the_schema_documents_key_authentication(client):
    schema = client.get("/api/schema/?format=json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(
        s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values()
    )


def test_the_upgrade_turns_old_plaintext_tokens_into_keys_that_still_work(personas):
    """Migration 0005: Django REST framework's tokens (its table, as an older Portaat has it)
    become API keys under the same key, and the old table keeps none of them."""
    from django.apps import apps

    migration = importlib.import_module("portaat.migrations.0005_api_keys")
    official = personas["official"]
    old_key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp "
            "with time zone NOT NULL, user_id integer NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created datetime "
            "NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s), (%s, %s, %s)",
            [old_key, "2026-03-01 10:00:00", official.pk, "f" * 40, "2026-03-01 10:00:00", 999999],
        )
    try:
        # the step uses only the schema editor's connection (a real one cannot be opened inside
        # a test's transaction on SQLite)
        migration.move_drf_tokens(apps, SimpleNamespace(connection=connection))
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM authtoken_token")
            assert cursor.fetchone()[0] == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE authtoken_token")
    moved = ApiKey.objects.get()
    assert (moved.user, moved.prefix, moved.expires_at) == (official, "9944", None)
    assert moved.created_at.year == 2026 and moved.created_at.month == 3
    assert _key_client(old_key).get("/api/v1/notifications/").status_code == 200
