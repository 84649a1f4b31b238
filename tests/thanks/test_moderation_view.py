"""The moderation queue: coordinators publish or reject (with a reason); who did it is kept."""

from __future__ import annotations

import pytest

from portaat.models import Notification
from portaat.thanks.models import ModerationEntry, Thanks
from tests.factories import ThanksFactory

pytestmark = pytest.mark.django_db


def test_the_queue_lists_waiting_thanks_oldest_first_with_the_contact(city, client_for):
    ThanksFactory(unit=city["unit"], story="Ensimmäinen.", contact_email="a@example.org")
    ThanksFactory(unit=city["unit"], story="Toinen.")
    ThanksFactory(unit=city["unit"], story="Julkaistu.", status="approved")
    response = client_for("coordinator").get("/thanks/moderation/")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Ensimmäinen.") < text.index("Toinen.")
    assert "Julkaistu." not in text
    assert "a@example.org" in text


@pytest.mark.parametrize("persona", ["activist", "researcher", "official"])
def test_others_may_not_moderate(city, client_for, persona):
    thanks = ThanksFactory(unit=city["unit"])
    client = client_for(persona)
    assert client.get("/thanks/moderation/").status_code == 403
    assert client.post(f"/thanks/{thanks.pk}/approve/").status_code == 403
    assert (
        client.post(f"/thanks/{thanks.pk}/reject/", {f"r{thanks.pk}-reason": "x"}).status_code
        == 403
    )
    thanks.refresh_from_db()
    assert thanks.status == "pending"


def test_anonymous_visitors_are_sent_to_log_in(city, client_for):
    thanks = ThanksFactory(unit=city["unit"])
    response = client_for("anonymous").post(f"/thanks/{thanks.pk}/approve/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_publishing(thanked, unit, coordinator, client_for):
    thanks = ThanksFactory(unit=unit, official=thanked)
    client = client_for("coordinator")
    response = client.post(f"/thanks/{thanks.pk}/approve/")
    assert response.status_code == 302
    assert response["Location"] == "/thanks/moderation/"
    thanks.refresh_from_db()
    assert (thanks.status, thanks.moderated_by) == ("approved", coordinator)
    assert Notification.objects.get().user == thanked
    assert thanks.story.encode() in client.get("/thanks/").content
    # the decision is listed with who made it
    assert coordinator.email.encode() in client.get("/thanks/moderation/").content


def test_publishing_twice_gets_a_clear_error(city, client_for):
    thanks = ThanksFactory(unit=city["unit"], status="approved")
    response = client_for("coordinator").post(
        f"/thanks/{thanks.pk}/approve/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert b"Someone already moderated this thanks." in response.content
    assert not ModerationEntry.objects.exists()


def test_rejecting_with_a_reason(city, coordinator, client_for):
    thanks = ThanksFactory(unit=city["unit"], story="Mainos: osta halvalla!")
    response = client_for("coordinator").post(
        f"/thanks/{thanks.pk}/reject/", {f"r{thanks.pk}-reason": "Mainos."}
    )
    assert response.status_code == 302
    thanks.refresh_from_db()
    assert (thanks.status, thanks.rejection_reason, thanks.moderated_by) == (
        "rejected",
        "Mainos.",
        coordinator,
    )
    assert b"osta halvalla" not in client_for("anonymous").get("/thanks/").content
    assert not Notification.objects.exists()


def test_rejecting_without_a_reason_changes_nothing(city, client_for):
    thanks = ThanksFactory(unit=city["unit"])
    response = client_for("coordinator").post(
        f"/thanks/{thanks.pk}/reject/", {f"r{thanks.pk}-reason": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert b"Write the reason for rejecting the thanks." in response.content
    thanks.refresh_from_db()
    assert thanks.status == "pending"
    assert not ModerationEntry.objects.exists()


def test_taking_a_published_thanks_off_the_wall(city, client_for):
    thanks = ThanksFactory(unit=city["unit"], status="approved", story="Poistettava.")
    client = client_for("coordinator")
    assert (
        client.post(
            f"/thanks/{thanks.pk}/reject/", {f"r{thanks.pk}-reason": "Pyydettiin poistamaan."}
        ).status_code
        == 302
    )
    assert b"Poistettava." not in client_for("anonymous").get("/thanks/").content


def test_unknown_thanks_and_get_requests(db, client_for):
    client = client_for("coordinator")
    assert client.post("/thanks/999999/approve/").status_code == 404
    assert client.post("/thanks/999999/reject/").status_code == 404
    assert client.get("/thanks/1/approve/").status_code == 405
    assert not Thanks.objects.exists()


def test_the_queue_needs_the_same_queries_for_many_thanks(
    city, client_for, django_assert_max_num_queries
):
    for _ in range(20):
        ThanksFactory(unit=city["unit"])
    client = client_for("coordinator")
    with django_assert_max_num_queries(10):
        assert client.get("/thanks/moderation/").status_code == 200
