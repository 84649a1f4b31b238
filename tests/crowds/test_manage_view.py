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


def _new_consent_version():
    from portaat.crowds.models import ConsentText
    from portaat.crowds.services import current_consent

    latest = current_consent()
    return ConsentText.objects.create(
        version=latest.version + 1,
        text_fi="Uusi suostumusteksti: tietoja säilytetään kaksi vuotta.",
        text_sv="Ny samtyckestext: uppgifterna sparas i två år.",
        text_en="New consent text: the details are kept for two years.",
    )


def test_a_changed_consent_text_is_shown_before_it_is_agreed_to(areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]])
    given = volunteer.consent
    new = _new_consent_version()
    page = Client().get(volunteer.get_manage_url()).content.decode()
    assert "Uusi suostumusteksti" in page
    assert f'name="consent_version" value="{new.version}"' in page
    # a confirmation without the shown version (an old page, a script) agrees to nothing
    refused = Client().post(volunteer.get_manage_url(), {"action": "confirm"})
    assert refused.status_code == 409
    assert "Uusi suostumusteksti" in refused.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.consent == given
    agreed = Client().post(
        volunteer.get_manage_url(), {"action": "confirm", "consent_version": str(new.version)}
    )
    assert agreed.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.consent == new
    assert (
        "Uusi suostumusteksti"
        not in Client()
        .get(volunteer.get_manage_url())
        .content.decode()
        .split('id="data-heading"')[0]
    )


def test_coming_back_after_leaving_needs_the_new_text_too(areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]])
    Client().post(volunteer.get_manage_url(), {"action": "leave"})
    new = _new_consent_version()
    assert Client().post(volunteer.get_manage_url(), {"action": "rejoin"}).status_code == 409
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.LEFT
    Client().post(
        volunteer.get_manage_url(), {"action": "rejoin", "consent_version": str(new.version)}
    )
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.consent) == (VolunteerStatus.ACTIVE, new)


def test_a_volunteer_gets_a_new_address_and_the_old_one_stops_working(areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]])
    old = volunteer.get_manage_url()
    response = Client().post(old, {"action": "rotate"})
    volunteer.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == volunteer.get_manage_url()
    assert volunteer.get_manage_url() != old
    assert Client().get(old).status_code == 404
    assert Client().get(volunteer.get_manage_url()).status_code == 200


def test_changes_through_one_page_are_rate_limited(areas, settings):
    settings.PORTAAT_RATE_LIMITS = {**settings.PORTAAT_RATE_LIMITS, "volunteer-page": "2/10m"}
    volunteer = VolunteerFactory(areas=[areas["kallio"]])
    client = Client()
    assert client.get(volunteer.get_manage_url() + "export/").status_code == 200
    assert client.post(volunteer.get_manage_url(), {"action": "leave"}).status_code == 302
    refused = client.post(volunteer.get_manage_url(), {"action": "rejoin"})
    assert refused.status_code == 429
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.LEFT
    assert client.post(volunteer.get_manage_url() + "erase/", {"confirm": "on"}).status_code == 429
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()
