"""The public thanks wall: published thanks only, newest first, by unit, paginated."""

from __future__ import annotations

import pytest
from django.test import Client

from portaat.thanks.models import ThanksProfile
from tests.factories import ActivismFactory, ThanksFactory

pytestmark = pytest.mark.django_db


def test_only_published_thanks_are_on_the_wall(city):
    ThanksFactory(unit=city["unit"], status="approved", story="Julkaistu kiitos.")
    ThanksFactory(unit=city["unit"], status="pending", story="Odottava kiitos.")
    ThanksFactory(unit=city["unit"], status="rejected", story="Hylätty kiitos.")
    text = Client().get("/thanks/").content.decode()
    assert "Julkaistu kiitos." in text
    assert "Odottava kiitos." not in text
    assert "Hylätty kiitos." not in text


def test_a_card_names_the_official_and_the_thanker_never_the_email(thanked, unit):
    ring = ActivismFactory(name="Lauttasaaren REKO")
    ThanksFactory(
        unit=unit,
        official=thanked,
        status="approved",
        thanker_name="",
        contact_email="liisa@example.org",
        activism=ring,
        language="sv",
    )
    text = Client().get("/thanks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Thanks to Olli Virkamies, Detailed planning" in text
    assert "anonymous" in text
    assert "Lauttasaaren REKO" in text
    assert 'lang="sv"' in text  # the story is marked in the language it was written in
    assert "liisa@example.org" not in text
    assert thanked.email not in text


def test_an_official_who_withdrew_is_shown_only_by_the_unit(thanked, unit):
    ThanksFactory(unit=unit, official=thanked, status="approved")
    ThanksProfile.objects.filter(user=thanked).update(accepts_thanks=False)
    text = Client().get("/thanks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Olli Virkamies" not in text
    assert "Thanks to Detailed planning" in text


def test_a_hidden_activism_is_not_named(city):
    hidden = ActivismFactory(name="Salainen verkosto", visibility="internal")
    ThanksFactory(unit=city["unit"], status="approved", activism=hidden)
    assert b"Salainen verkosto" not in Client().get("/thanks/").content


def test_filter_by_unit_includes_the_units_below(city):
    ThanksFactory(unit=city["unit"], status="approved", story="Kaavoitukselle.")
    ThanksFactory(unit=city["other"], status="approved", story="Kulttuurille.")
    text = Client().get("/thanks/?unit=environment").content.decode()
    assert "Kaavoitukselle." in text
    assert "Kulttuurille." not in text
    text = Client().get("/thanks/?unit=culture").content.decode()
    assert "Kaavoitukselle." not in text
    assert "Kulttuurille." in text


def test_an_unknown_unit_gets_a_clear_error(city):
    ThanksFactory(unit=city["unit"], status="approved", story="Kaavoitukselle.")
    response = Client().get("/thanks/?unit=no-such-unit", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert b"There is no such unit. All thanks are shown." in response.content
    assert b"Kaavoitukselle." in response.content


def test_the_wall_is_paginated(city):
    for n in range(25):
        ThanksFactory(unit=city["unit"], status="approved", story=f"Tarina numero {n:02d}.")
    first = Client().get("/thanks/").content.decode()
    assert "Tarina numero 24." in first and "Tarina numero 04." not in first
    second = Client().get("/thanks/?page=2").content.decode()
    assert "Tarina numero 04." in second and "Tarina numero 24." not in second
    assert Client().get("/thanks/?page=bogus").status_code == 200


def test_the_wall_needs_the_same_queries_for_many_thanks(
    thanked, unit, city, django_assert_max_num_queries
):
    for _ in range(20):
        ThanksFactory(unit=unit, official=thanked, status="approved", activism=ActivismFactory())
    with django_assert_max_num_queries(6):
        assert Client().get("/thanks/").status_code == 200


def test_moderators_see_the_queue_link(city, client_for):
    ThanksFactory(unit=city["unit"])
    assert b"/thanks/moderation/" in client_for("coordinator").get("/thanks/").content
    assert b"/thanks/moderation/" not in client_for("official").get("/thanks/").content
    assert b"/thanks/settings/" in client_for("official").get("/thanks/").content
    assert b"/thanks/settings/" not in client_for("activist").get("/thanks/").content


def test_the_menu_and_the_footer_link_to_thanks(db):
    text = Client().get("/").content.decode()
    assert 'href="/thanks/"' in text
    assert 'href="/thanks/new/"' in text
