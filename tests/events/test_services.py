"""Syncing from Linked Events through the real HTTP client against recorded responses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portaat.cases.models import Interaction
from portaat.events import services
from portaat.events.models import Attendance, Event
from portaat.listening.connectors.http import Http
from tests.events.conftest import FIXTURES
from tests.events.factories import EventFactory
from tests.factories import ActivismFactory, AreaFactory
from tests.listening.replay import replay

pytestmark = pytest.mark.django_db

PAGES = [
    {"path": "/linkedevents/v1/event/", "absent": ["page"], "file": "events_page1.json"},
    {"path": "/linkedevents/v1/event/", "query": {"page": "2"}, "file": "events_page2.json"},
]


def _sync(server):
    with Http(allow_private=True, retries=0, sleep=lambda s: None) as http:
        return services.sync_events(http, base=f"{server.url}/linkedevents/v1/")


def test_it_fetches_every_page_and_stores_events(kallio, settings):
    settings.PORTAAT_LINKED_EVENTS_DIVISIONS = [
        "ocd-division/country:fi/kunta:helsinki/osa-alue:kallio"
    ]
    sornainen = AreaFactory(
        key="helsinki-sornainen", name="Sörnäinen", name_sv="Sörnäs", municipality="Helsinki"
    )
    with replay(PAGES, FIXTURES) as server:
        result = _sync(server)
    assert result.ok and result.created == 4
    first = server.requests[0].query
    assert first["include"] == "location"
    assert first["division"] == "ocd-division/country:fi/kunta:helsinki/osa-alue:kallio"
    assert "page" not in first and server.requests[1].query["page"] == "2"
    event = Event.objects.get(source_id="helsinki:agggfz67tm")
    assert event.name_sv == "Berghällsföreningens invånarkväll" and event.name_en == ""
    assert event.display_name("en") == "Kallio-Seuran asukasilta"
    assert "<" not in event.description and "alert" not in event.description
    assert (
        "korttelin asioista" in event.description and "Kahvitarjoilu & pullaa." in event.description
    )
    assert event.start_time == dt.datetime(2030, 5, 12, 15, tzinfo=dt.UTC)
    assert (event.lat, event.lon) == (60.1841, 24.9511)
    assert event.street_address == "Viides linja 11"
    assert list(event.areas.all()) == [kallio]
    no_end = Event.objects.get(source_id="helsinki:agggfz7abc")
    assert no_end.end_time is None and no_end.lat is None and no_end.info_url == ""
    assert Event.objects.get(source_id="helsinki:agggfzcanc").status == "EventCancelled"
    sorn = Event.objects.get(source_id="helsinki:agggfzsorn")
    assert sorn.status == "EventPostponed" and list(sorn.areas.all()) == [sornainen]
    assert not Event.objects.filter(source_id="helsinki:agggfzgone").exists()


def test_a_second_sync_updates_and_removes_deleted_events(kallio):
    gone = EventFactory(source_id="helsinki:agggfzgone")
    EventFactory(source_id="helsinki:agggfz67tm", name_fi="Vanha nimi")
    with replay(PAGES, FIXTURES) as server:
        result = _sync(server)
    assert (result.created, result.updated, result.removed) == (3, 1, 1)
    assert not Event.objects.filter(pk=gone.pk).exists()
    assert Event.objects.get(source_id="helsinki:agggfz67tm").name_fi == "Kallio-Seuran asukasilta"


def test_an_event_is_of_an_activism_whose_channel_is_its_web_page(db):
    seura = ActivismFactory(name="Kallio-Seura")
    seura.channels.create(url="https://kallioseura.example.org/tapahtumat/", platform="website")
    with replay(PAGES, FIXTURES) as server:
        _sync(server)
    assert Event.objects.get(source_id="helsinki:agggfz67tm").activism == seura
    assert Event.objects.get(source_id="helsinki:agggfz7abc").activism is None


@pytest.mark.parametrize(
    "route",
    [
        {"status": 500, "body": "oops"},
        {"status": 200, "body": "<html>not json</html>"},
        {"status": 200, "body": {"meta": {}, "results": []}},
        {
            "status": 200,
            "body": {"meta": {"next": None}, "data": [{"id": "x", "start_time": "tomorrow"}]},
        },
    ],
)
def test_a_bad_response_changes_nothing(kallio, route, caplog):
    kept = EventFactory(source_id="helsinki:agggfz67tm", name_fi="Vanha nimi")
    routes = [PAGES[0], {"path": "/linkedevents/v1/event/", "query": {"page": "2"}, **route}]
    with replay(routes, FIXTURES) as server:
        result = _sync(server)
    assert not result.ok and result.error
    assert list(Event.objects.all()) == [kept]
    assert Event.objects.get().name_fi == "Vanha nimi"
    assert "Linked Events sync failed" in caplog.text


def test_an_unreachable_api_changes_nothing(db):
    EventFactory()
    with Http(allow_private=True, retries=0) as http:
        result = services.sync_events(http, base="http://127.0.0.1:9/linkedevents/v1/")
    assert not result.ok and "unavailable" in result.error
    assert Event.objects.count() == 1


def test_upcoming_for_shows_events_in_my_areas_only(in_kallio, kallio, official, activist):
    mine = EventFactory(areas=[kallio])
    EventFactory(areas=[AreaFactory()])
    EventFactory(areas=[kallio], start_time=timezone.now() - dt.timedelta(days=2))
    assert list(services.upcoming_for(official)) == [mine]
    assert list(services.upcoming_for(activist)) == []


def test_going_toggles(official, db):
    event = EventFactory()
    assert services.toggle_going(event, official) is True
    assert services.toggle_going(event, official) is False
    assert not Attendance.objects.exists()


def test_nobody_can_go_to_a_cancelled_event(official, db):
    with pytest.raises(ValidationError):
        services.toggle_going(EventFactory(status="EventCancelled"), official)


def test_a_note_becomes_an_event_interaction(in_kallio, official):
    event = EventFactory(start_time=timezone.now() - dt.timedelta(hours=3))
    note = services.write_note(event, case=in_kallio, note="  Hyvä ilta. ", by=official)
    interaction = Interaction.objects.get()
    assert note.interaction == interaction
    assert (interaction.case, interaction.kind, interaction.note) == (
        in_kallio,
        "event",
        "Hyvä ilta.",
    )
    assert interaction.happened_on == timezone.localdate(event.start_time)


def test_no_note_before_the_event(in_kallio, official):
    with pytest.raises(ValidationError):
        services.write_note(EventFactory(), case=in_kallio, note="x", by=official)
    assert not Interaction.objects.exists()
