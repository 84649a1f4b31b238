"""With Redis stopped, pages and public forms still work: the cache misses, rate limits let
requests through (fail open), live-update events are dropped with a log line and the data is
saved. (The live views' fallback to polling: tests/crowds/test_live_stream.py and
tests/workshops/test_stream_polling.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from portaat import ratelimit
from portaat.cache import SharedRedisCache
from portaat.crowds.models import ConsentText, Volunteer
from portaat.workshops import events
from tests.factories import AreaFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_cache_misses_instead_of_failing(redis_down: None) -> None:
    from django.core.cache import caches

    assert isinstance(caches["default"], SharedRedisCache)
    assert cache.get("anything", "default") == "default"
    assert cache.add("k", 1) is True  # as if added: add() used as a lock must not block
    cache.set("k", 1)
    assert cache.get_many(["k"]) == {}
    with pytest.raises(ValueError):
        cache.incr("k")
    cache.delete("k")
    cache.clear()


def test_rate_limits_let_requests_through(redis_down: None, settings: Any) -> None:
    settings.PORTAAT_RATE_LIMITS = {**settings.PORTAAT_RATE_LIMITS, "volunteer-signup": "1/h"}
    assert [ratelimit.take("volunteer-signup", "192.0.2.1") for _ in range(3)] == [None] * 3


def test_pages_login_and_public_forms_work(redis_down: None) -> None:
    user = UserFactory(username="maija@example.org", email="maija@example.org")
    user.set_password("oikea-salasana-123")
    user.save()
    area = AreaFactory(name="Kallio")
    client = Client()
    for path in ("/", "/accounts/login/", "/crowds/join/", "/thanks/", "/health/"):
        assert client.get(path).status_code == 200, path
    logged_in = client.post(
        "/accounts/login/", {"login": "maija@example.org", "password": "oikea-salasana-123"}
    )
    assert logged_in.status_code == 302
    assert "_auth_user_id" in client.session
    joined = Client().post(
        "/crowds/join/",
        {
            "name": "Aino",
            "email": "aino@example.org",
            "language": "fi",
            "channels": ["email"],
            "areas": [area.pk],
            "availability": "any",
            "consent": "on",
            "consent_version": ConsentText.objects.order_by("version").first().version,
        },
    )
    assert joined.status_code == 302
    assert Volunteer.objects.filter(email="aino@example.org").exists()


def test_a_live_update_that_cannot_be_published_is_dropped_with_a_log_line(
    redis_down: None, caplog: Any
) -> None:
    events.publish(1, kind="answer", item=1)
    assert "Could not publish" in caplog.text
    # once a minute, not once per answer (a busy workshop would fill the log)
    for item in range(2, 50):
        events.publish(1, kind="answer", item=item)
    assert caplog.text.count("Could not publish") == 1
    assert "Traceback" not in caplog.text
