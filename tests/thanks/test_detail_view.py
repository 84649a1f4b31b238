"""One thanks: public once published; before that, and after rejection, only moderators."""

from __future__ import annotations

import pytest

from portaat.thanks import services
from tests.factories import ThanksFactory

pytestmark = pytest.mark.django_db


def test_a_published_thanks_has_its_own_page(city, client_for):
    thanks = ThanksFactory(unit=city["unit"], status="approved", story="Kiitos kuuntelusta.")
    for persona in ("anonymous", "activist", "official"):
        response = client_for(persona).get(f"/thanks/{thanks.pk}/")
        assert response.status_code == 200
        assert b"Kiitos kuuntelusta." in response.content
        assert b"Moderation" not in response.content


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_an_unpublished_thanks_is_a_404_except_for_moderators(city, client_for, status):
    thanks = ThanksFactory(unit=city["unit"], status=status, rejection_reason="Syy.")
    for persona in ("anonymous", "activist", "official", "researcher"):
        assert client_for(persona).get(f"/thanks/{thanks.pk}/").status_code == 404
    response = client_for("coordinator").get(f"/thanks/{thanks.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"Status:" in response.content


def test_moderators_see_who_moderated(city, coordinator, client_for):
    thanks = ThanksFactory(unit=city["unit"])
    services.approve(thanks, by=coordinator)
    response = client_for("coordinator").get(f"/thanks/{thanks.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert f"{coordinator.email} published the thanks.".encode() in response.content
    assert b"Take off the wall" in response.content


def test_an_unknown_thanks_is_a_404(db, client_for):
    assert client_for("anonymous").get("/thanks/999999/").status_code == 404
