"""An official's own thanks settings: to be thanked by name, and whether their manager hears."""

from __future__ import annotations

import pytest

from portaat.models import NotificationSettings
from portaat.thanks import services
from portaat.thanks.models import ThanksProfile

pytestmark = pytest.mark.django_db


def test_the_page_starts_with_everything_off(unit, client_for):
    response = client_for("official").get("/thanks/settings/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"checked" not in response.content
    assert b"You do not belong to any unit yet" not in response.content


def test_saving(unit, official, client_for):
    response = client_for("official").post(
        "/thanks/settings/",
        {"accepts_thanks": "on", "public_name": "Olli Virkamies", "thanks_to_manager": "on"},
    )
    assert response.status_code == 302
    assert services.preferences_of(official) == services.Preferences(True, "Olli Virkamies", True)
    assert official in services.thankable_officials()
    page = client_for("official").get("/thanks/settings/").content.decode()
    assert page.count("checked") == 2


def test_allowing_thanks_needs_a_name(unit, client_for):
    response = client_for("official").post(
        "/thanks/settings/", {"accepts_thanks": "on", "public_name": " "}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert b"Write the name civic actors see" in response.content
    assert not ThanksProfile.objects.exists()
    assert not NotificationSettings.objects.exists()


def test_a_too_long_name(unit, client_for):
    response = client_for("official").post(
        "/thanks/settings/", {"accepts_thanks": "on", "public_name": "x" * 101}
    )
    assert response.status_code == 400
    assert not ThanksProfile.objects.exists()


def test_the_page_says_when_the_official_has_no_unit(client_for, official):
    response = client_for("official").get("/thanks/settings/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"You do not belong to any unit yet" in response.content


@pytest.mark.parametrize(("persona", "status"), [("activist", 403), ("researcher", 403)])
def test_only_the_administration(personas, client_for, persona, status):
    assert client_for(persona).get("/thanks/settings/").status_code == status
    assert client_for(persona).post("/thanks/settings/", {}).status_code == status
