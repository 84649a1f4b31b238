"""The public thanks form: no account needed, clear errors that change nothing, a honeypot and
a per-address rate limit."""

from __future__ import annotations

import pytest
from django.test import Client

from portaat.thanks.models import Thanks
from tests.factories import ActivismFactory
from tests.thanks.conftest import form_data

pytestmark = pytest.mark.django_db


def test_the_form_lists_officials_who_allow_it_and_the_units(thanked, city):
    response = Client().get("/thanks/new/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Olli Virkamies (Asemakaavoitus)" in text
    assert "Kulttuuripalvelut" in text
    assert thanked.email not in text  # officials' accounts are never shown


def test_the_recipient_can_be_preselected(thanked, city):
    response = Client().get(f"/thanks/new/?official={thanked.pk}&unit=culture")
    text = response.content.decode()
    assert f'<option value="{thanked.pk}" selected>' in text
    assert '<option value="culture" selected>' in text


def test_an_anonymous_visitor_thanks_an_official(thanked, unit):
    ring = ActivismFactory(name="Lauttasaaren REKO")
    response = Client().post(
        "/thanks/new/",
        form_data(official=thanked.pk, activism=ring.pk),
        HTTP_ACCEPT_LANGUAGE="sv",
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    assert response["Location"] == "/thanks/"
    thanks = Thanks.objects.get()
    assert (thanks.official, thanks.unit, thanks.activism) == (thanked, unit, ring)
    assert thanks.status == "pending"
    assert thanks.language == "sv"
    assert thanks.contact_email == "liisa@example.org"
    assert thanks.sender_key and "192.0.2.7" not in thanks.sender_key


def test_the_confirmation_says_it_waits_for_moderation(city):
    response = Client().post(
        "/thanks/new/", form_data(unit="culture"), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert b"A coordinator reads your thanks before it appears on the wall." in response.content
    assert b"Olli" not in response.content


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "Choose the official or the unit you thank."),
        ({"unit": "no-such-unit"}, "Select a valid choice."),
        ({"official": "99999999999999999999"}, "Select a valid choice."),
        ({"official": "abc"}, "Select a valid choice."),
        ({"unit": "culture", "story": ""}, "This field is required."),
        ({"unit": "culture", "story": "x" * 1001}, "at most 1000 characters"),
        ({"unit": "culture", "contact_email": "not-an-email"}, "Enter a valid email address."),
        ({"unit": "culture", "activism": "99999999999999999999"}, "Select a valid choice."),
        ({"unit": "culture", "thanker_name": "x" * 101}, "at most 100 characters"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(city, overrides, message):
    response = Client().post("/thanks/new/", form_data(**overrides), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Thanks.objects.exists()


def test_an_official_who_does_not_work_in_the_unit(thanked, city):
    response = Client().post(
        "/thanks/new/", form_data(official=thanked.pk, unit="culture"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert b"does not work in the unit you chose" in response.content
    assert not Thanks.objects.exists()


def test_a_hidden_activism_is_not_a_choice(city):
    hidden = ActivismFactory(visibility="internal")
    response = Client().post(
        "/thanks/new/", form_data(unit="culture", activism=hidden.pk), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert not Thanks.objects.exists()


def test_the_honeypot_stops_robots(city):
    response = Client().post(
        "/thanks/new/",
        form_data(unit="culture", website="http://spam.example"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert b"the field meant to be left empty was filled in" in response.content
    assert not Thanks.objects.exists()


def test_the_honeypot_is_hidden_from_people(city):
    text = Client().get("/thanks/new/").content.decode()
    assert '<div class="thanks-form__trap">' in text
    assert 'tabindex="-1"' in text


def test_one_address_is_rate_limited(city, settings):
    settings.PORTAAT_THANKS_PER_HOUR = 2
    client = Client()
    for _ in range(2):
        assert client.post("/thanks/new/", form_data(unit="culture")).status_code == 302
    response = client.post("/thanks/new/", form_data(unit="culture"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert b"Please try again in an hour." in response.content
    assert Thanks.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.99")
    assert other.post("/thanks/new/", form_data(unit="culture")).status_code == 302


def test_only_get_and_post(db):
    assert Client().put("/thanks/new/").status_code == 405
