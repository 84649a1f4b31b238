"""/accounts/signup/ (self-registration, when PORTAAT_OPEN_SIGNUP is on): limited per address
by django-allauth's ``signup`` rate, refused with Portaat's own translated 429 page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


def _signup(client: Client, n: int):
    password = "pitka-salasana-2026!"
    return client.post(
        "/accounts/signup/",
        {"email": f"uusi{n}@example.org", "password1": password, "password2": password},
    )


def test_self_registration_is_rate_limited_per_address(settings):
    settings.PORTAAT_OPEN_SIGNUP = True
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    for n in range(2):
        assert _signup(Client(), n).status_code == 302
    refused = _signup(Client(HTTP_ACCEPT_LANGUAGE="en"), 3)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert get_user_model().objects.filter(email__startswith="uusi").count() == 2
    assert _signup(Client(REMOTE_ADDR="192.0.2.9"), 4).status_code == 302


def test_the_refusal_page_is_translated(settings):
    settings.PORTAAT_OPEN_SIGNUP = True
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    assert _signup(Client(), 1).status_code == 302
    refused = _signup(Client(), 2)
    assert refused.status_code == 429
    assert "Liian monta yritystä" in refused.content.decode()
