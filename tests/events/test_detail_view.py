from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portaat.events.models import Attendance
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_event_and_who_is_going(client_for, official, coordinator):
    event = EventFactory(name_fi="Asukasilta", description="<b>ei html:ää</b>")
    Attendance.objects.create(event=event, user=coordinator)
    response = client_for("official").get(f"/events/{event.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Asukasilta" in body and coordinator.email in body
    assert "<b>ei" not in body and "&lt;b&gt;ei" in body
    assert "I&#x27;ll go" in body or "I'll go" in body


def test_after_the_event_it_offers_the_note_form(client_for, in_kallio):
    event = EventFactory(start_time=timezone.now() - dt.timedelta(hours=2))
    body = client_for("official").get(f"/events/{event.pk}/").content.decode()
    assert 'name="note"' in body and in_kallio.activism.name in body


def test_an_unknown_event_is_404(client_for, official):
    assert client_for("official").get("/events/999999/").status_code == 404
