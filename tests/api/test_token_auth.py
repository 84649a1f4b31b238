"""Token authentication for integrations ("Authorization: Token <key>"): a token reads exactly
what its account reads through the pages' session; a wrong or disabled one is refused with a
JSON 403 saying why (403, not 401, as for every unauthenticated API request: the session is the
first authentication scheme)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from portaat.models import Notification

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


def _token_client(user: Any) -> Client:
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.mark.parametrize("persona", ["activist", "researcher", "official", "coordinator", "admin"])
def test_a_token_reads_what_the_session_reads(client_for, personas, persona):
    user = personas[persona]
    Notification.objects.create(user=user, key="k", kind="x", params={})
    by_session, by_token = client_for(persona), _token_client(user)
    for path in PATHS:
        session, token = by_session.get(path), by_token.get(path)
        assert token.status_code == session.status_code, (persona, path)
        if session.status_code == 200:
            assert token.json()["count"] == session.json()["count"], (persona, path)
    assert by_token.get("/api/v1/notifications/").json()["count"] == 1


def test_a_wrong_or_disabled_token_is_refused(personas):
    official = personas["official"]
    wrong = Client(HTTP_AUTHORIZATION="Token " + "0" * 40, HTTP_ACCEPT_LANGUAGE="en")
    response = wrong.get("/api/v1/notifications/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Invalid token."
    client = _token_client(official)
    official.is_active = False
    official.save()
    refused = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "User inactive or deleted."


def test_without_a_token_the_api_is_as_for_anyone(client):
    assert client.get("/api/v1/notifications/").status_code == 403
    assert client.get("/api/v1/ladders/").status_code == 200


def test_the_schema_documents_token_authentication(client):
    schema = client.get("/api/schema/?format=json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(
        s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values()
    )
