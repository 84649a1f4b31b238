"""The facilitator's Server-Sent Events stream, in process: the first message carries the
whole state; an answer, a hidden comment or a lock sends the changed case again; closing the
workshop ends the stream. Runs the real async view through Django's async test client, with
committed transactions so the events (sent on commit) really fire."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient, Client
from django.urls import reverse

from portaat.workshops import events, services
from portaat.workshops.models import Answer, Workshop
from tests.factories import UserFactory
from tests.workshops.conftest import answer_url

pytestmark = pytest.mark.django_db(transaction=True)
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _local_broker(settings: Any) -> Any:
    """This file tests the in-process broker; test_redis_fanout.py tests Redis."""
    settings.REDIS_URL = ""
    events.reset_broker()
    yield
    events.reset_broker()


async def _next_event(stream: AsyncIterator[bytes | str]) -> tuple[str, dict[str, Any]]:
    """The next SSE event (skipping keep-alive comments and the retry line)."""
    while True:
        chunk = await asyncio.wait_for(stream.__anext__(), timeout=10)
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        event, data = "", ""
        for line in text.splitlines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
        if event:
            return event, json.loads(data)


def _parts(data: dict[str, Any]) -> dict[str, str]:
    return {part["id"]: part["html"] for part in data["parts"]}


def test_stream_sends_state_then_each_change(
    workshop: Workshop, join_client: Any, official: Any
) -> None:
    item = workshop.items.first()
    phone, participant = join_client(role="activist", name="Aino")
    url = reverse("workshops:events", args=[workshop.pk])

    async def scenario() -> None:
        client = AsyncClient()
        await client.aforce_login(official)
        response = await client.get(url, headers={"accept-language": "en"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        stream = response.streaming_content.__aiter__()
        try:
            event, data = await _next_event(stream)
            assert event == "replace"
            parts = _parts(data)
            assert f"live-item-{item.pk}" in parts
            assert parts["live-count"] == "1 participant"
            assert "No comments yet." in parts[f"live-item-{item.pk}"]

            # an answer accepted by the participants' view reaches the stream
            posted = await sync_to_async(phone.post)(
                answer_url(workshop, item), {"current": "3", "target": "6", "comment": "Hei"}, **HX
            )
            assert posted.status_code == 200
            event, data = await _next_event(stream)
            assert event == "replace"
            assert [answer_id for answer_id, _at in data["answers"]] == [int(posted["X-Answer-Id"])]
            html = _parts(data)[f"live-item-{item.pk}"]
            assert "Hei" in html and "Aino" in html
            assert "1 answer" in html

            # hiding the comment redraws the wall
            answer = await Answer.objects.aget(participant=participant)
            await sync_to_async(services.set_comment_hidden)(answer, True)
            event, data = await _next_event(stream)
            assert "comment-wall__item--hidden" in _parts(data)[f"live-item-{item.pk}"]

            # a new participant updates the head count
            await sync_to_async(join_client)()
            event, data = await _next_event(stream)
            assert _parts(data)["live-count"] == "2 participants"

            # closing ends the stream with a state event
            await sync_to_async(services.close_workshop)(workshop)
            event, data = await _next_event(stream)
            assert (event, data) == ("state", {"state": "closed"})
            with pytest.raises(StopAsyncIteration):
                await asyncio.wait_for(stream.__anext__(), timeout=5)
        finally:
            await stream.aclose()  # type: ignore[attr-defined]

    async_to_sync(scenario)()
    broker = events.broker()
    assert isinstance(broker, events.LocalBroker)
    assert broker.subscriber_count(events.channel_for(workshop.pk)) == 0


def test_stream_is_in_the_facilitators_language(workshop: Workshop, official: Any) -> None:
    url = reverse("workshops:events", args=[workshop.pk])

    async def first(language: str) -> dict[str, str]:
        client = AsyncClient()
        await client.aforce_login(official)
        response = await client.get(url, headers={"accept-language": language})
        stream = response.streaming_content.__aiter__()
        try:
            _event, data = await _next_event(stream)
        finally:
            await stream.aclose()  # type: ignore[attr-defined]
        return _parts(data)

    assert async_to_sync(first)("en")["live-count"] == "0 participants"
    assert async_to_sync(first)("sv")["live-count"] == "0 deltagare"


def test_only_the_facilitator_may_listen(workshop: Workshop, roles: None) -> None:
    url = reverse("workshops:events", args=[workshop.pk])
    other = UserFactory(username="other@example.org", role="official")

    async def status(user: Any) -> int:
        client = AsyncClient()
        if user is not None:
            await client.aforce_login(user)
        response = await client.get(url)
        return int(response.status_code)

    assert async_to_sync(status)(None) == 403
    assert async_to_sync(status)(other) == 404
    assert Client().post(url).status_code in (403, 405)
