"""The facilitator's live view with Redis stopped: the stream does not die, it re-reads the
database every ``POLL_SECONDS`` (answers are saved although their events are lost), and a
workshop closed meanwhile ends it."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient
from django.urls import reverse

from portaat.workshops import events, services
from portaat.workshops.models import Workshop
from tests.workshops.conftest import answer_url
from tests.workshops.test_live_stream import HX, _next_event, _parts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _redis_stopped(settings: Any, monkeypatch: Any) -> Any:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens: connection refused
    monkeypatch.setattr(events, "POLL_SECONDS", 0.2)
    events.reset_broker()
    yield
    events.reset_broker()


def test_the_live_view_polls_while_redis_is_down(
    workshop: Workshop, join_client: Any, official: Any
) -> None:
    item = workshop.items.first()
    phone, _participant = join_client(role="activist", name="Aino")

    async def scenario() -> None:
        client = AsyncClient()
        await client.aforce_login(official)
        response = await client.get(
            reverse("workshops:events", args=[workshop.pk]), headers={"accept-language": "en"}
        )
        assert response.status_code == 200
        stream = response.streaming_content.__aiter__()
        try:
            event, data = await _next_event(stream)
            assert event == "replace"
            posted = await sync_to_async(phone.post)(
                answer_url(workshop, item), {"current": "3", "target": "6", "comment": "Hei"}, **HX
            )
            assert posted.status_code == 200  # saved, although its event was not published
            for _ in range(20):
                event, data = await _next_event(stream)
                if "Hei" in _parts(data).get(f"live-item-{item.pk}", ""):
                    break
            assert "Hei" in _parts(data)[f"live-item-{item.pk}"]
            await sync_to_async(services.close_workshop)(workshop)
            for _ in range(20):
                event, data = await _next_event(stream)
                if event == "state":
                    break
            assert (event, data) == ("state", {"state": "closed"})
        finally:
            await stream.aclose()  # type: ignore[attr-defined]

    async_to_sync(scenario)()
