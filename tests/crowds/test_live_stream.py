"""The official's headcount stream (Server-Sent Events), in process: the first event carries
the headcount, each answer redraws it, a stand-down ends the stream; others get 404."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient

from portaat.access import Role
from portaat.crowds import live, services
from portaat.crowds.models import Call, MessageKind, Volunteer
from portaat.workshops import events
from tests.factories import CallFactory, UserFactory, VolunteerFactory
from tests.helpers import sign_in_with_second_step

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _local_broker(settings: Any) -> Any:
    settings.REDIS_URL = ""
    events.reset_broker()
    yield
    events.reset_broker()


async def _next_event(stream: Any) -> tuple[str, dict[str, Any]]:
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


def test_each_answer_redraws_the_headcount(smtp, caller, areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]], name="Aino")
    call = CallFactory(areas=[areas["kallio"]], needed=2)
    services.send_call(caller, call)
    url = f"/crowds/calls/{call.pk}/events/"

    async def scenario() -> None:
        client = await sync_to_async(sign_in_with_second_step)(AsyncClient(), caller)
        response = await client.get(url, headers={"accept-language": "en"})
        assert response.status_code == 200
        stream = response.streaming_content.__aiter__()
        try:
            event, data = await _next_event(stream)
            assert event == "headcount" and 'data-count="coming">0<' in data["html"]
            found = await Volunteer.objects.aget(pk=volunteer.pk)
            fresh = await Call.objects.aget(pk=call.pk)
            await sync_to_async(services.record_answer)(fresh, found, "coming", "link")
            event, data = await _next_event(stream)
            assert 'data-count="coming">1<' in data["html"] and "Aino" in data["html"]
            assert data["answers"]  # the answer's time, for measuring the delay
            await sync_to_async(services.close_call)(caller, fresh, MessageKind.STAND_DOWN)
            event, data = await _next_event(stream)
            while event == "headcount" and data["open"]:
                event, data = await _next_event(stream)
            if event == "headcount":
                event, data = await _next_event(stream)
            assert (event, data) == ("state", {"status": "stood_down"})
        finally:
            await stream.aclose()

    async_to_sync(scenario)()


def test_others_get_404(caller, areas, activist):
    call = CallFactory(areas=[areas["kallio"]])
    # the `official` persona runs calls here (the `caller` fixture); another official does not
    other_official = UserFactory(role=Role.OFFICIAL)

    async def scenario() -> None:
        for user in (other_official, activist, None):
            client = AsyncClient()
            if user is not None:
                await client.aforce_login(user)
            response = await client.get(f"/crowds/calls/{call.pk}/events/")
            assert response.status_code == 404

    async_to_sync(scenario)()


def test_with_redis_down_the_headcount_still_updates_by_polling(
    smtp, caller, areas, settings, monkeypatch
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # a stopped Redis: connections refused
    events.reset_broker()
    monkeypatch.setattr(events, "POLL_SECONDS", 0.2)
    monkeypatch.setattr(live, "KEEPALIVE", 60.0)  # only polling can redraw within the test
    volunteer = VolunteerFactory(areas=[areas["kallio"]], name="Aino")
    call = CallFactory(areas=[areas["kallio"]], needed=2)
    services.send_call(caller, call)

    async def scenario() -> None:
        client = await sync_to_async(sign_in_with_second_step)(AsyncClient(), caller)
        response = await client.get(f"/crowds/calls/{call.pk}/events/")
        assert response.status_code == 200
        stream = response.streaming_content.__aiter__()
        try:
            event, data = await _next_event(stream)
            assert event == "headcount" and 'data-count="coming">0<' in data["html"]
            found = await Volunteer.objects.aget(pk=volunteer.pk)
            fresh = await Call.objects.aget(pk=call.pk)
            # the answer is saved although its event cannot be published
            await sync_to_async(services.record_answer)(fresh, found, "coming", "link")
            for _ in range(20):
                event, data = await _next_event(stream)
                if 'data-count="coming">1<' in data["html"]:
                    break
            assert 'data-count="coming">1<' in data["html"] and "Aino" in data["html"]
        finally:
            await stream.aclose()

    async_to_sync(scenario)()
