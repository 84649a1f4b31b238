"""Faults of the parts around Portaat (issue 10): Redis down, a locked or full database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from portaat.workshops import events

# nothing listens on port 1: connections are refused at once, as with a stopped Redis
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings: Any) -> Iterator[None]:
    """The settings a site with ``REDIS_URL`` has, with its Redis stopped."""
    settings.REDIS_URL = DEAD_REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "portaat.cache.SharedRedisCache",
            "LOCATION": DEAD_REDIS,
            "KEY_PREFIX": "portaat:cache",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    events.reset_broker()
    yield
    events.reset_broker()
