from __future__ import annotations

import pytest

from tests.events.factories import EventFactory
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def test_it_lists_upcoming_events_in_my_areas(client_for, in_kallio, kallio):
    event = EventFactory(areas=[kallio], name_fi="Asukasilta", name_sv="Invånarkväll")
    EventFactory(areas=[AreaFactory()])
    response = client_for("official").get("/api/v1/events/")
    assert response.status_code == 200
    results = response.json()
    results = results.get("results", results) if isinstance(results, dict) else results
    assert [r["source_id"] for r in results] == [event.source_id]
    assert results[0]["areas"] == ["helsinki-kallio"] and results[0]["going"] == 0


def test_an_unknown_area_lists_nothing(client_for, in_kallio, kallio):
    EventFactory(areas=[kallio])
    data = client_for("official").get("/api/v1/events/?area=nowhere").json()
    assert (data.get("results", data) if isinstance(data, dict) else data) == []


def test_one_event(client_for, official):
    event = EventFactory()
    assert client_for("official").get(f"/api/v1/events/{event.pk}/").json()["id"] == event.pk


@pytest.mark.parametrize("persona", ["anonymous", "activist", "researcher"])
def test_only_the_administration_reads_events(client_for, persona):
    assert client_for(persona).get("/api/v1/events/").status_code == 403
