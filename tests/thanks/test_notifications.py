"""The thanks notifications' texts, in the reader's language, and in the notification list."""

from __future__ import annotations

import pytest
from django.utils import translation

from portaat import notifications
from portaat.models import Notification
from portaat.thanks import services

pytestmark = pytest.mark.django_db

UNIT = {"fi": "Asemakaavoitus", "sv": "Detaljplanering", "en": "Detailed planning"}


def _text(kind, params, language="en"):
    with translation.override(language):
        return notifications.render(Notification(kind=kind, params=params))


def test_texts():
    assert _text("thanks", {"thanker": "Liisa", "unit": UNIT}).startswith("Liisa thanked you")
    assert _text("thanks", {"thanker": "", "unit": UNIT}).startswith("A civic actor thanked you")
    assert _text("thanks_manager", {"thanker": "", "unit": UNIT, "official": "Olli"}) == (
        "A civic actor thanked Olli of Detailed planning. Read the story."
    )
    assert "Detaljplanering" in _text("thanks_unit", {"thanker": "", "unit": UNIT}, "sv")


def test_params_that_do_not_fit_give_the_generic_text():
    assert _text("thanks_unit", {}) == "You have a new notification."


def test_the_official_reads_it_on_the_notification_page(thanked, coordinator, client_for):
    thanks = services.submit_thanks(story="Kiitos!", official=thanked, thanker_name="Liisa")
    services.approve(thanks, by=coordinator)
    response = client_for("official").get("/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"Liisa thanked you for how you work with civic action." in response.content
    assert f'href="/thanks/{thanks.pk}/"'.encode() in response.content
