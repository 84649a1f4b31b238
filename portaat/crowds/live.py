"""The official's live headcount: its parts, and the Server-Sent Events stream that redraws
them (an async view under uvicorn, like the workshops' projector view)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils.translation import get_language, override

from portaat import access
from portaat.crowds import events, services
from portaat.crowds.models import Answer, Call, Response

KEEPALIVE = 5.0  # seconds; a redraw also refreshes the delivery figures the worker changes
LINGER = 0.05
MIN_INTERVAL = 0.2
RETRY_MS = 2000
RESPONDER_LIMIT = 500


def context(call: Call, language: str) -> dict[str, Any]:
    counts = services.headcount(call)
    responders = list(
        Response.objects.filter(call=call)
        .select_related("volunteer")
        .order_by("-updated_at", "-pk")[:RESPONDER_LIMIT]
    )
    order: dict[str, int] = {Answer.ARRIVED: 0, Answer.COMING: 1, Answer.NOT_COMING: 3}
    responders.sort(key=lambda r: order.get(r.answer, 2) + (1 if r.waitlisted else 0))
    return {
        "counts": counts,
        "responders": responders,
        "enough": counts["coming"] + counts["arrived"] >= call.needed,
    }


def map_points(call: Call, language: str) -> list[dict[str, Any]]:
    """The call's place: its point and its areas (volunteers' own places are never mapped)."""
    points = []
    if call.lat is not None and call.lon is not None:
        points.append(
            {
                "lat": call.lat,
                "lon": call.lon,
                "label": call.address or call.title,
                "count": call.needed,
                "url": "",
            }
        )
    for area in call.areas.all():
        points.append(
            {
                "lat": area.lat,
                "lon": area.lon,
                "label": area.display_name(language),
                "count": call.needed,
                "url": "",
            }
        )
    return points


def render_headcount(call_id: int, language: str) -> dict[str, Any]:
    try:
        call = Call.objects.prefetch_related("areas").get(pk=call_id)
        with override(language):
            html = render_to_string(
                "crowds/_headcount.html", {"call": call, "live": context(call, language)}
            )
        return {"html": html, "status": call.status, "open": call.is_open}
    finally:
        connections.close_all()


def sse(event: str, data: Any) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}\ndata: {payload}\n\n"


def _allowed(user: Any, pk: int) -> bool:
    return access.can_run_calls(user) and Call.objects.filter(pk=pk).exists()


async def call_events(request: HttpRequest, pk: int) -> HttpResponseBase:
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    user = await request.auser()
    if not user.is_authenticated or not await sync_to_async(_allowed)(user, pk):
        return HttpResponse(status=404)
    if await sync_to_async(access.second_step_missing)(request):
        return HttpResponse(status=403)  # a caller's session without the second step
    language = getattr(request, "LANGUAGE_CODE", None) or get_language() or "fi"
    draw = sync_to_async(render_headcount, thread_sensitive=False)

    async def stream() -> AsyncIterator[str]:
        # subscribe first, then read: nothing that happens in between is missed
        sub = await events.subscribe(events.channel_for(pk))
        try:
            part = await draw(pk, language)
            yield f"retry: {RETRY_MS}\n\n" + sse("headcount", part)
            last = time.monotonic()
            while part["open"]:
                batch = await sub.next_batch(KEEPALIVE, LINGER)
                wait = MIN_INTERVAL - (time.monotonic() - last)
                if batch and wait > 0:
                    await asyncio.sleep(wait)
                    batch += sub.drain()
                stamps = [m.get("at") for m in batch if isinstance(m.get("at"), int | float)]
                part = await draw(pk, language)
                part["answers"] = stamps
                part["sent"] = time.time()
                yield sse("headcount", part)
                last = time.monotonic()
            yield sse("state", {"status": part["status"]})
        finally:
            await sub.close()

    response = StreamingHttpResponse(stream(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"
    return response
