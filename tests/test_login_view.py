"""/accounts/login/: brute-force protection (allauth's rate limit ``login_failed``: five failed
attempts per account in five minutes, ten per address per minute)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_after_five_wrong_passwords_even_the_right_one_is_refused_for_a_while():
    user = UserFactory(username="maija@example.org", email="maija@example.org")
    user.set_password("oikea-salasana-123")
    user.save()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(5):
        assert _login(client, "maija@example.org", "väärä").status_code == 200
    refused = _login(client, "maija@example.org", "oikea-salasana-123")
    assert "_auth_user_id" not in client.session
    assert refused.status_code in (200, 429)
    assert "Too many failed login attempts" in refused.content.decode()


def test_another_account_is_not_locked_by_someone_elses_failures():
    other = UserFactory(username="ville@example.org", email="ville@example.org")
    other.set_password("villen-salasana-123")
    other.save()
    attacker = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        _login(attacker, "maija@example.org", "väärä")
    response = _login(Client(REMOTE_ADDR="10.0.0.2"), "ville@example.org", "villen-salasana-123")
    assert response.status_code == 302
