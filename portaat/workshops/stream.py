"""The facilitator's Server-Sent Events stream (an async view under uvicorn).

On connecting, the client gets every live part; afterwards, each event names what changed and
the stream sends that part again, read from the database. Events that arrive within
``LINGER`` seconds of each other go out together, so a busy room costs one query per batch,
not one per answer.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from portaat.workshops import events, live
from portaat.workshops.models import Workshop
from portaat.workshops.views import facilitated_workshop

KEEPALIVE = 15.0  # seconds between comments that keep proxies from closing the stream
LINGER = 0.05  # seconds to gather more events before redrawing
# At most this many redraws per second per stream: a busy room's answers are drawn together,
# so a thousand phones cost the server a few redraws a second, not one per answer.
MIN_INTERVAL = 0.25
RETRY_MS = 2000


def sse(event: str, data: Any) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}\ndata: {payload}\n\n"


def _refresh(workshop: Workshop) -> Workshop:
    workshop.refresh_from_db(fields=["closed_at", "expires_at"])
    return workshop


def _in_pool(function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """Run ``function`` in the thread pool, handing its database connection back afterwards
    (a pool thread lives on; its connection must not stay checked out)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return sync_to_async(call, thread_sensitive=False)


async def workshop_events(request: HttpRequest, pk: int) -> HttpResponseBase:
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse(status=403)
    workshop = await sync_to_async(facilitated_workshop)(user, pk)
    language = getattr(request, "LANGUAGE_CODE", None) or get_language()
    token = get_token(request)
    # Rendering runs in the thread pool, not in the one thread that runs the synchronous
    # views: the projector's redraws must not queue behind (or hold up) the answers.
    render = _in_pool(live.render_parts)

    async def stream() -> AsyncIterator[str]:
        # subscribe first, then read: nothing that happens in between is missed
        sub = await events.subscribe(events.channel_for(workshop.pk))
        try:
            parts = await render(workshop, None, language=language, csrf_token=token)
            yield f"retry: {RETRY_MS}\n\n" + sse("replace", {"parts": parts, "answers": []})
            if not workshop.is_open:  # closed or expired: nothing more will happen
                yield sse("state", {"state": workshop.state})
                return
            last = time.monotonic()
            while True:
                batch = await sub.next_batch(KEEPALIVE, LINGER)
                wait = MIN_INTERVAL - (time.monotonic() - last)
                if batch and wait > 0:
                    await asyncio.sleep(wait)
                    batch += sub.drain()
                if sub.polling:  # no events (Redis down): notice a close or expiry by reading
                    current = await _in_pool(_refresh)(workshop)
                    if not current.is_open:
                        yield sse("state", {"state": current.state})
                        return
                if not batch:
                    if not workshop.is_open:  # expired while we waited (expiry sends no event)
                        yield sse("state", {"state": workshop.state})
                        return
                    yield ": keepalive\n\n"
                    continue
                kinds = {message.get("kind") for message in batch}
                if "state" in kinds:
                    state = await _in_pool(_refresh)(workshop)
                    yield sse("state", {"state": state.state})
                    if not state.is_open:
                        return
                ids: set[int] | None = set()
                if "resync" in kinds:
                    ids = None
                else:
                    for message in batch:
                        item = message.get("item")
                        if isinstance(item, int) and ids is not None:
                            ids.add(item)
                answers = [
                    [message["answer"], message["at"]]
                    for message in batch
                    if isinstance(message.get("answer"), int)
                    and isinstance(message.get("at"), int | float)
                ]
                if ids is None or ids:
                    parts = await render(workshop, ids, language=language, csrf_token=token)
                else:  # only joins: just the head count
                    parts = await _in_pool(live.head_count_part)(workshop, language=language)
                yield sse("replace", {"parts": parts, "answers": answers, "sent": time.time()})
                last = time.monotonic()
        finally:
            await sub.close()

    response = StreamingHttpResponse(stream(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
