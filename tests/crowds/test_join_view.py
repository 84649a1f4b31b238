"""The public sign-up page: consent, channels, E.164 numbers, clear errors that change nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from portaat.crowds.models import ConsentText, Volunteer

pytestmark = pytest.mark.django_db


def _form(places, **overrides):
    data = {
        "name": "Maija",
        "email": "maija@example.org",
        "phone": "040 123 4567",
        "language": "fi",
        "channels": ["sms", "email"],
        "areas": [places["kallio"].pk],
        "availability": "any",
        "consent": "on",
        "consent_version": ConsentText.objects.order_by("version").first().version,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def sms_configured(settings):
    settings.PORTAAT_SMS_PROVIDER = "46elks"
    settings.PORTAAT_SMS_USERNAME = "u"
    settings.PORTAAT_SMS_PASSWORD = "p"
    settings.PORTAAT_SMS_SENDER = "Portaat"


def test_the_page_shows_the_consent_text_in_the_readers_language(areas):
    response = Client().get("/crowds/join/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert ConsentText.objects.get().text_sv.encode() in response.content


def test_signing_up_records_the_consent_version_and_time(areas, sms_configured):
    response = Client().post("/crowds/join/", _form(areas))
    volunteer = Volunteer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == volunteer.get_manage_url()
    assert volunteer.phone == "+358401234567"
    assert volunteer.channels == ["sms", "email"]
    assert volunteer.consent.version == 1
    assert volunteer.consented_at is not None
    assert list(volunteer.areas.all()) == [areas["kallio"]]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": None}, "consent"),
        ({"phone": "12"}, "phone"),
        ({"channels": ["email"], "email": ""}, "email"),
        ({"areas": []}, "areas"),
        ({"areas": ["99999999999999999999999"]}, "areas"),
        ({"language": "de"}, "language"),
        ({"consent_version": "abc"}, "consent_version"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(areas, sms_configured, overrides, message):
    response = Client().post("/crowds/join/", _form(areas, **overrides))
    assert response.status_code == 400
    assert message in response.context["form"].errors
    assert not Volunteer.objects.exists()


def test_a_consent_text_changed_while_the_page_was_open_is_asked_again(areas, sms_configured):
    old = ConsentText.objects.get()
    ConsentText.objects.create(version=2, text_fi="Uusi", text_sv="Ny", text_en="New")
    response = Client().post("/crowds/join/", _form(areas, consent_version=old.version))
    assert response.status_code == 400
    assert b"Uusi" in response.content
    assert not Volunteer.objects.exists()
    # agreeing to the new text on the re-shown page works
    again = Client().post("/crowds/join/", _form(areas, consent_version=2))
    assert again.status_code == 302
    assert Volunteer.objects.get().consent.version == 2


def test_email_only_works_without_sms(areas):
    response = Client().post("/crowds/join/", _form(areas, channels=["email"], phone=""))
    assert response.status_code == 302
    assert Volunteer.objects.get().channels == ["email"]


def test_sms_is_not_offered_when_no_gateway_is_configured(areas, settings):
    settings.PORTAAT_SMS_PROVIDER = ""
    response = Client().post("/crowds/join/", _form(areas, channels=["sms"]))
    assert response.status_code == 400
    assert not Volunteer.objects.exists()


def test_sign_ups_from_one_address_are_rate_limited(areas, settings, sms_configured):
    settings.PORTAAT_RATE_LIMITS = {**settings.PORTAAT_RATE_LIMITS, "volunteer-signup": "2/10m"}
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for n in range(2):
        signed_up = client.post("/crowds/join/", _form(areas, email=f"v{n}@example.org"))
        assert signed_up.status_code == 302
    refused = client.post("/crowds/join/", _form(areas, email="third@example.org"))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    assert "Too many attempts" in refused.content.decode()
    assert Volunteer.objects.count() == 2
    # the page can still be read, and another address may still sign up
    assert client.get("/crowds/join/").status_code == 200
    other = Client(REMOTE_ADDR="192.0.2.7").post("/crowds/join/", _form(areas, email="o@ex.org"))
    assert other.status_code == 302
    assert Volunteer.objects.count() == 3


def test_the_refusal_is_translated(areas, settings, sms_configured):
    settings.PORTAAT_RATE_LIMITS = {**settings.PORTAAT_RATE_LIMITS, "volunteer-signup": "1/10m"}
    client = Client()
    assert client.post("/crowds/join/", _form(areas)).status_code == 302
    refused = client.post("/crowds/join/", _form(areas, email="again@example.org"))
    assert refused.status_code == 429
    assert "Liian monta yritystä" in refused.content.decode()
