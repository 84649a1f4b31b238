from __future__ import annotations

import pytest

from portaat.events.models import Attendance
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_ill_go_toggles(client_for, official):
    event = EventFactory()
    client = client_for("official")
    response = client.post(f"/events/{event.pk}/going/")
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    assert Attendance.objects.filter(event=event, user=official).exists()
    client.post(f"/events/{event.pk}/going/")
    assert not Attendance.objects.exists()


def test_a_cancelled_event_cannot_be_gone_to(client_for, official):
    event = EventFactory(status="EventCancelled")
    response = client_for("official").post(f"/events/{event.pk}/going/", follow=True)
    assert "The event is cancelled." in response.content.decode()
    assert not Attendance.objects.exists()


def test_civic_actors_cannot_go(client_for, activist):
    event = EventFactory()
    assert client_for("activist").post(f"/events/{event.pk}/going/").status_code == 403
    assert not Attendance.objects.exists()
