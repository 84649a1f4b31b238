from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portaat.events.models import Event
from tests.events.conftest import FIXTURES
from tests.events.test_services import PAGES
from tests.listening.replay import replay

pytestmark = pytest.mark.django_db


def test_it_syncs_from_the_configured_api(settings, kallio):
    settings.PORTAAT_LINKED_EVENTS_ALLOW_PRIVATE_HOSTS = True
    out = StringIO()
    with replay(PAGES, FIXTURES) as server:
        settings.PORTAAT_LINKED_EVENTS_URL = f"{server.url}/linkedevents/v1"
        call_command("sync_events", stdout=out)
    assert "4 new" in out.getvalue()
    assert Event.objects.count() == 4


def test_a_failed_sync_is_an_error(settings):
    settings.PORTAAT_LINKED_EVENTS_ALLOW_PRIVATE_HOSTS = True
    with replay([{"path": "/linkedevents/v1/event/", "status": 400, "body": ""}]) as server:
        settings.PORTAAT_LINKED_EVENTS_URL = f"{server.url}/linkedevents/v1/"
        with pytest.raises(CommandError, match="malformed"):
            call_command("sync_events")
    assert not Event.objects.exists()
