"""Fan-out of workshop events to the live views (Server-Sent Events).

An event only says *what changed* (a case's answers, a lock, a comment, who joined); the live
view then reads the current state from the database. So a lost, duplicated or coalesced event
never shows a wrong picture, and a reconnecting client simply gets the whole state again.

Two brokers with one interface:

- ``LocalBroker`` (no ``REDIS_URL``): subscribers in this process. ``publish`` is called from
  the synchronous views' worker threads and hands each message to the subscriber's event loop
  with ``call_soon_threadsafe``.
- ``RedisBroker`` (``REDIS_URL`` set): Redis pub/sub, so an answer accepted by one web process
  reaches live views served by every other process.

When Redis cannot be reached (or goes away while a stream is open), a live view falls back to
polling: its subscription yields ``RESYNC`` every ``POLL_SECONDS``, so the stream re-reads the
database on a timer instead of waiting for events (``subscribe``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

# A subscriber that falls this far behind is told to resynchronise instead of queueing more.
QUEUE_LIMIT = 1000
RESYNC: dict[str, Any] = {"kind": "resync"}
# Without Redis, live views re-read the database this often.
POLL_SECONDS = 3.0
OPEN_TIMEOUT = 6.0


def channel_for(workshop_id: int) -> str:
    return f"{settings.PORTAAT_EVENTS_PREFIX}:workshop:{workshop_id}"


class Subscription:
    """Messages for one subscriber, read with ``await next_batch(...)``."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        self.loop = asyncio.get_running_loop()
        self.overflowed = False
        self.polling = False  # no events will come: the reader polls the database instead
        self._closers: list[Callable[[], Awaitable[None] | None]] = []

    async def close(self) -> None:
        """Stop receiving. Safe to call twice; never raises."""
        closers, self._closers = self._closers, []
        for closer in reversed(closers):
            with contextlib.suppress(Exception):
                result = closer()
                if result is not None:
                    await result

    def deliver(self, message: dict[str, Any]) -> None:
        """Called on the subscriber's loop."""
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True

    async def next_batch(self, timeout: float, linger: float) -> list[dict[str, Any]]:
        """Wait up to ``timeout`` s for a message, then gather what arrives within ``linger`` s.

        Returns ``[]`` on timeout; ``[RESYNC]`` if messages were dropped, and every
        ``POLL_SECONDS`` while polling.
        """
        if self.polling:
            await asyncio.sleep(min(timeout, POLL_SECONDS))
            self.drain()
            return [RESYNC]
        try:
            first = await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return []
        if linger > 0:
            await asyncio.sleep(linger)
        return [first, *self.drain()]

    def drain(self) -> list[dict[str, Any]]:
        """What has arrived so far, without waiting (``[RESYNC]`` if messages were dropped)."""
        batch = []
        while not self.queue.empty():
            batch.append(self.queue.get_nowait())
        if self.overflowed:
            self.overflowed = False
            return [RESYNC]
        return batch


class LocalBroker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[Subscription]] = {}

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        with self._lock:
            subscribers = list(self._subscribers.get(channel, ()))
        for sub in subscribers:
            # the loop may already be gone (a client that just disconnected)
            with contextlib.suppress(RuntimeError):
                sub.loop.call_soon_threadsafe(sub.deliver, message)

    async def open(self, channel: str) -> Subscription:
        sub = Subscription()
        with self._lock:
            self._subscribers.setdefault(channel, set()).add(sub)

        def remove() -> None:
            with self._lock:
                subs = self._subscribers.get(channel)
                if subs is not None:
                    subs.discard(sub)
                    if not subs:
                        del self._subscribers[channel]

        sub._closers.append(remove)
        return sub

    def subscriber_count(self, channel: str) -> int:
        with self._lock:
            return len(self._subscribers.get(channel, ()))


class RedisBroker:
    def __init__(self, url: str) -> None:
        import redis

        self.url = url
        # short timeouts: an unreachable Redis costs an answer a second at most, not minutes
        self._publisher = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1)
        self._last_failure_logged = 0.0

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        try:
            self._publisher.publish(channel, json.dumps(message))
        except Exception as error:  # a live view misses an update; the data itself is saved
            # once a minute, not per answer: a Redis outage during a busy workshop must not
            # fill the log (the live views poll meanwhile)
            now = time.monotonic()
            if now - self._last_failure_logged > 60:
                self._last_failure_logged = now
                logger.warning(
                    "Could not publish live events to Redis (%s); the live views poll the "
                    "database until it is back (logged once a minute)",
                    error,
                )

    async def open(self, channel: str) -> Subscription:
        import redis.asyncio as aioredis

        sub = Subscription()
        client = aioredis.Redis.from_url(self.url)
        sub._closers.append(client.aclose)
        pubsub = client.pubsub()
        sub._closers.append(pubsub.aclose)
        await pubsub.subscribe(channel)
        # wait for Redis to confirm: from then on every publish reaches us, so the state the
        # caller reads next cannot miss an event
        confirmed = await pubsub.get_message(timeout=5.0)
        if not confirmed or confirmed.get("type") != "subscribe":
            await sub.close()
            raise ConnectionError("Redis did not confirm the subscription")

        async def pump() -> None:
            try:
                async for raw in pubsub.listen():
                    if raw.get("type") != "message":
                        continue
                    try:
                        message = json.loads(raw["data"])
                    except (TypeError, ValueError):
                        continue
                    if isinstance(message, dict):
                        sub.deliver(message)
            except Exception as error:  # Redis went away: poll from now on
                logger.warning("Live updates lost Redis (%s); polling the database", error)
                sub.polling = True
                sub.deliver(RESYNC)

        task = asyncio.create_task(pump())

        async def stop() -> None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

        sub._closers.append(stop)
        return sub


_broker: LocalBroker | RedisBroker | None = None
_broker_lock = threading.Lock()


def broker() -> LocalBroker | RedisBroker:
    global _broker
    with _broker_lock:
        if _broker is None:
            url = getattr(settings, "REDIS_URL", "")
            _broker = RedisBroker(url) if url else LocalBroker()
        return _broker


def reset_broker() -> None:
    """Forget the broker (tests that switch ``REDIS_URL``)."""
    global _broker
    with _broker_lock:
        _broker = None


async def subscribe(channel: str) -> Subscription:
    """A subscription to ``channel``; a polling one when the broker cannot be reached, so a
    live view keeps working (every ``POLL_SECONDS``) while Redis is down."""
    try:
        return await asyncio.wait_for(broker().open(channel), OPEN_TIMEOUT)
    except Exception as error:
        logger.warning("Live updates without Redis (%s); polling the database", error)
        sub = Subscription()
        sub.polling = True
        return sub


def publish(workshop_id: int, **message: Any) -> None:
    broker().publish(channel_for(workshop_id), message)
