"""The shared cache: Redis when ``REDIS_URL`` is set, so every web process counts rate limits
together (login attempts, public forms); a per-process memory cache otherwise.

Two differences from Django's own Redis cache, both for the Redis server that Huey's queue and
the live-update channels share:

- ``clear()`` deletes only this site's cache keys (``KEY_PREFIX``), never the whole database
  (Django's ``flushdb`` would empty the task queue);
- when Redis cannot be reached, reads miss and writes are dropped, with one warning in the log
  per minute, instead of an error page: a cache is an optimisation and rate limits fail open,
  so pages keep being served while Redis is down (issue 10's fault check).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0

F = TypeVar("F", bound=Callable[..., Any])


def _warn(error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("Cache (Redis) unreachable, going on without it: %s", error)


def _tolerant(default: Any) -> Callable[[F], F]:
    def decorate(method: F) -> F:
        @wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except UNREACHABLE as error:
                _warn(error)
                return default(*args, **kwargs) if callable(default) else default

        return wrapper  # type: ignore[return-value]

    return decorate


def _default_of_get(self: Any, key: Any, default: Any = None, version: Any = None) -> Any:
    return default


def _incr_unknown(*args: Any, **kwargs: Any) -> Any:
    # Django's contract for a missing key; callers treat it as "start counting again"
    raise ValueError("Key not found (cache unreachable)")


class SharedRedisCache(RedisCache):
    get = _tolerant(_default_of_get)(RedisCache.get)
    # "added" while unreachable: callers that use add() as a lock (django-allauth's rate
    # limits) go on instead of waiting and refusing everyone — limits fail open
    add = _tolerant(True)(RedisCache.add)
    set = _tolerant(None)(RedisCache.set)
    touch = _tolerant(False)(RedisCache.touch)
    delete = _tolerant(False)(RedisCache.delete)
    get_many = _tolerant(lambda *a, **k: {})(RedisCache.get_many)
    set_many = _tolerant(lambda self, data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    incr = _tolerant(_incr_unknown)(RedisCache.incr)

    @_tolerant(None)
    def clear(self) -> None:
        """Delete this site's keys only (``KEY_PREFIX:*``), in batches."""
        client = self._cache.get_client(None, write=True)  # type: ignore[attr-defined]
        batch: list[Any] = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
