"""Live headcount events: the workshops' broker (in-process, or Redis pub/sub with REDIS_URL)
on a channel per call. Events only say that something changed; the stream re-reads the
database, so a lost event never shows a wrong count."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from portaat.workshops import events as broker_module


def channel_for(call_id: int) -> str:
    return f"{settings.PORTAAT_EVENTS_PREFIX}:call:{call_id}"


def publish(call_id: int, **message: Any) -> None:
    broker_module.broker().publish(channel_for(call_id), message)


def broker() -> Any:
    return broker_module.broker()


async def subscribe(channel: str) -> broker_module.Subscription:
    return await broker_module.subscribe(channel)
