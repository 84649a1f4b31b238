"""The volunteer's own page (personal link): confirm, change, leave, export, erase."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from portaat.crowds.models import Volunteer, VolunteerStatus
from tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_or_forged_link_is_404(areas):
    VolunteerFactory(areas=[areas["kallio"]])
    assert Client().get("/crowds/v/not-a-secret/").status_code == 404
    assert Client().get("/crowds/v/" + "x" * 200 + "/").status_code == 404


def test_a_lapsed_volunteer_is_told_and_can_confirm(areas, settings):
    settings.PORTAAT_CROWDS_RECONFIRM_MONTHS = 6
    volunteer = VolunteerFactory(
        areas=[areas["kallio"]], confirmed_at=timezone.now() - timedelta(days=365)
    )
    page = Client().get(volunteer.get_manage_url())
    assert page.context["lapsed"] is True
    response = Client().post(volunteer.get_manage_url(), {"action": "confirm"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.confirmed_at > timezone.now() - timedelta(minutes=1)


def test_changing_details_saves_and_confirms(areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]], channels=["email", "telegram"])
    response = Client().post(
        volunteer.get_manage_url(),
        {
            "action": "save",
            "name": "Uusi nimi",
            "email": "new@example.org",
            "language": "sv",
            "channels": ["email"],
            "areas": [areas["sornainen"].pk],
            "availability": "evenings",
        },
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.email, volunteer.language) == (
        "Uusi nimi",
        "new@example.org",
        "sv",
    )
    assert volunteer.channels == ["email", "telegram"]  # the chat link is kept
    assert list(volunteer.areas.all()) == [areas["sornainen"]]


def test_bad_details_change_nothing(areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]])
    response = Client().post(
        volunteer.get_manage_url(),
        {
            "action": "save",
            "email": "not an email",
            "language": "fi",
            "channels": ["email"],
            "areas": [areas["kallio"].pk],
            "availability": "any",
        },
    )
    assert response.status_code == 400
    volunteer.refresh_from_db()
    assert volunteer.email.endswith("@example.org")


def test_unknown_action_is_refused(areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]])
    assert Client().post(volunteer.get_manage_url(), {"action": "hack"}).status_code == 400


def test_leaving_and_coming_back(areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]])
    Client().post(volunteer.get_manage_url(), {"action": "leave"})
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.LEFT
    # while away, changes are refused
    assert Client().post(volunteer.get_manage_url(), {"action": "confirm"}).status_code == 409
    Client().post(volunteer.get_manage_url(), {"action": "rejoin"})
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.ACTIVE


def test_export_contains_everything_about_the_volunteer(areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]], phone="+358401234567")
    response = Client().get(f"/crowds/v/{volunteer.secret}/export/")
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["email"] == volunteer.email and data["phone"] == "+358401234567"
    assert data["consent"]["version"] == 1 and data["areas"] == ["Kallio"]


def test_erasing_needs_the_tick_and_then_deletes_everything(areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]])
    url = f"/crowds/v/{volunteer.secret}/erase/"
    assert Client().post(url).status_code == 302
    assert Volunteer.objects.exists()
    response = Client().post(url, {"confirm": "yes"})
    assert response.status_code == 200
    assert not Volunteer.objects.exists()
    assert Client().get(volunteer.get_manage_url()).status_code == 404
