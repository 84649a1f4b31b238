from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.events.factories import EventFactory
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def test_it_lists_events_in_my_areas(client_for, in_kallio, kallio):
    EventFactory(areas=[kallio], name_fi="Kallion asukasilta")
    EventFactory(areas=[AreaFactory()], name_fi="Muualla")
    response = client_for("official").get("/events/")
    assert response.status_code == 200
    assert "Kallion asukasilta" in response.content.decode()
    assert "Muualla" not in response.content.decode()


def test_it_names_the_event_in_my_language(client_for, in_kallio, kallio):
    EventFactory(areas=[kallio], name_fi="Asukasilta", name_sv="Invånarkväll")
    response = client_for("official").get("/events/", HTTP_ACCEPT_LANGUAGE="sv")
    assert "Invånarkväll" in response.content.decode()
    assert "Asukasilta" not in response.content.decode()


def test_an_unknown_area_is_a_clear_error(client_for, in_kallio):
    response = client_for("official").get("/events/?area=no-such-area")
    assert response.status_code == 400
    assert "There is no such area" in response.content.decode()


def test_it_filters_by_area(client_for, in_kallio, kallio):
    other = AreaFactory(key="helsinki-vallila")
    EventFactory(areas=[kallio], name_fi="Kalliossa")
    EventFactory(areas=[other], name_fi="Vallilassa")
    response = client_for("official").get("/events/?area=helsinki-vallila")
    assert "Vallilassa" in response.content.decode()
    assert "Kalliossa" not in response.content.decode()


def test_the_list_needs_no_query_per_event(client_for, in_kallio, kallio):
    client = client_for("official")
    EventFactory(areas=[kallio])
    with CaptureQueriesContext(connection) as one:
        client.get("/events/")
    EventFactory.create_batch(5, areas=[kallio])
    with CaptureQueriesContext(connection) as six:
        client.get("/events/")
    assert len(six) == len(one)


def test_civic_actors_cannot_see_it(client_for):
    assert client_for("activist").get("/events/").status_code == 403
