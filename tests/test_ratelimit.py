"""portaat.ratelimit (fixed windows in the shared cache, hashed identities) and
portaat.cache.SharedRedisCache against a real Redis (clears only its own keys)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import redis

from portaat import ratelimit
from portaat.cache import SharedRedisCache


@pytest.mark.parametrize(
    ("text", "count", "seconds"),
    [("20/10m", 20, 600), ("5/h", 5, 3600), ("1/s", 1, 1), ("100/2d", 100, 172_800)],
)
def test_rates_are_parsed(text: str, count: int, seconds: int) -> None:
    assert ratelimit.parse_rate(text) == ratelimit.Rate(count, seconds)


@pytest.mark.parametrize("text", ["", "20", "0/m", "x/m", "20/0m", "20/10w", "-1/m"])
def test_bad_rates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a rate"):
        ratelimit.parse_rate(text)


def test_a_window_allows_its_count_then_says_how_long_to_wait(settings: Any) -> None:
    settings.PORTAAT_RATE_LIMITS = {**settings.PORTAAT_RATE_LIMITS, "volunteer-signup": "3/m"}
    start = 1_800_000_000.0  # the start of a one-minute window
    results = [ratelimit.take("volunteer-signup", "192.0.2.1", now=start + n) for n in range(4)]
    assert results[:3] == [None, None, None]
    assert results[3] == 57
    # another identity counts apart; the next window starts afresh
    assert ratelimit.take("volunteer-signup", "192.0.2.2", now=start + 5) is None
    assert ratelimit.take("volunteer-signup", "192.0.2.1", now=start + 61) is None


def test_identities_are_kept_only_as_keyed_hashes() -> None:
    hashed = ratelimit._hashed("volunteer-response", "secret-link-token-123")
    assert "secret" not in hashed and len(hashed) == 32
    assert hashed == ratelimit._hashed("volunteer-response", "secret-link-token-123")
    assert hashed != ratelimit._hashed("volunteer-page", "secret-link-token-123")


def test_an_unknown_scope_fails_at_import_time() -> None:
    with pytest.raises(KeyError):
        ratelimit.limit("no-such-scope")


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    return url


def test_clearing_the_cache_keeps_the_queue_and_other_sites_keys() -> None:
    url = _redis_url()
    client = redis.Redis.from_url(url)
    ours = SharedRedisCache(url, {"KEY_PREFIX": "portaat-test:cache"})
    ours.set("a", 1)
    ours.set("b", 2)
    client.set("huey.portaat.task", "queued work")
    client.set("other-site:cache:1:a", "theirs")
    try:
        ours.clear()
        assert ours.get("a") is None and ours.get("b") is None
        assert client.get("huey.portaat.task") == b"queued work"
        assert client.get("other-site:cache:1:a") == b"theirs"
        ours.set("a", 3)
        assert ours.get("a") == 3
    finally:
        client.delete("huey.portaat.task", "other-site:cache:1:a")
        ours.clear()
