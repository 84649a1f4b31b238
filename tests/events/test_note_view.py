from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portaat.cases.models import Interaction
from portaat.events.models import EventNote
from tests.events.factories import EventFactory
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _past():
    return EventFactory(start_time=timezone.now() - dt.timedelta(hours=3))


def test_the_note_is_logged_on_the_case(client_for, in_kallio, official):
    event = _past()
    response = client_for("official").post(
        f"/events/{event.pk}/note/", {"case": in_kallio.pk, "note": "Tapasimme renkaan väkeä."}
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.case == in_kallio and interaction.kind == "event"
    assert interaction.author == official
    assert EventNote.objects.get().event == event
    case_page = client_for("official").get(f"/cases/{in_kallio.pk}/")
    assert "Tapasimme renkaan väkeä." in case_page.content.decode()


def test_an_empty_note_changes_nothing(client_for, in_kallio):
    event = _past()
    response = client_for("official").post(
        f"/events/{event.pk}/note/", {"case": in_kallio.pk, "note": "   "}
    )
    assert response.status_code == 400
    assert not Interaction.objects.exists()


def test_a_case_of_another_unit_is_refused(client_for, in_kallio):
    other = CaseFactory()
    response = client_for("official").post(
        f"/events/{_past().pk}/note/", {"case": other.pk, "note": "x"}
    )
    assert response.status_code == 400
    assert "Choose one of your cases." in response.content.decode()
    assert not Interaction.objects.exists()


def test_no_note_before_the_event(client_for, in_kallio):
    event = EventFactory()
    response = client_for("official").post(
        f"/events/{event.pk}/note/", {"case": in_kallio.pk, "note": "x"}
    )
    assert response.status_code == 400
    assert "once the event has started" in response.content.decode()
    assert not Interaction.objects.exists()
