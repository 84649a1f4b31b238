"""The official's pages: a draft with its reach, sending, the headcount, updates, stand-down,
cancel, the CAP download and the audit log — and that nobody else reaches any of it."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from portaat.access import Role
from portaat.crowds import cap, dispatch, services
from portaat.crowds.models import AuditEntry, Call, CallStatus, Delivery
from tests.factories import CallFactory, UserFactory, VolunteerFactory
from tests.helpers import sign_in_with_second_step

pytestmark = pytest.mark.django_db


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _call_form(places, **overrides):
    now = timezone.now()
    data = {
        "title": "Myrsky kaatoi puita",
        "instructions_fi": "Tuo moottorisaha ja suojavarusteet.",
        "instructions_sv": "Ta med motorsåg och skyddsutrustning.",
        "address": "Kallion kirkko",
        "areas": [places["kallio"].pk],
        "starts_at": _local(now + timedelta(minutes=30)),
        "ends_at": _local(now + timedelta(hours=3)),
        "respond_by": _local(now + timedelta(minutes=20)),
        "needed": "2",
        "severity": "Severe",
        "category": "Rescue",
        "escalate_after_minutes": "15",
        "action": "save",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def client(caller):
    return sign_in_with_second_step(Client(), caller)


def test_the_reach_is_shown_before_saving(client, areas):
    VolunteerFactory.create_batch(2, areas=[areas["kallio"]])
    VolunteerFactory(areas=[areas["espoo"]])
    response = client.post("/crowds/calls/new/", _call_form(areas, action="estimate"))
    assert response.status_code == 200
    assert response.context["estimate"].total == 2
    assert not Call.objects.exists()


def test_a_draft_is_saved_then_sent_after_confirmation(client, areas, smtp):
    VolunteerFactory.create_batch(2, areas=[areas["kallio"]])
    response = client.post("/crowds/calls/new/", _call_form(areas))
    call = Call.objects.get()
    assert response["Location"] == f"/crowds/calls/{call.pk}/"
    assert call.status == CallStatus.DRAFT
    page = client.get(f"/crowds/calls/{call.pk}/")
    assert page.context["estimate"].total == 2
    # without the tick nothing is sent
    client.post(f"/crowds/calls/{call.pk}/send/")
    assert Call.objects.get().status == CallStatus.DRAFT and not Delivery.objects.exists()
    client.post(f"/crowds/calls/{call.pk}/send/", {"confirm": "yes"})
    assert Call.objects.get().status == CallStatus.SENT
    assert Delivery.objects.count() == 2
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "created",
        "sent",
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"areas": [], "lat": None}, "__all__"),
        ({"lat": "60.1", "lon": None, "radius_m": None}, "__all__"),
        ({"lat": "91", "lon": "24.9", "radius_m": "500"}, "lat"),
        ({"needed": "0"}, "needed"),
        ({"ends_at": "2000-01-01T00:00"}, "ends_at"),
        ({"starts_at": "not a date"}, "starts_at"),
        ({"severity": "Apocalyptic"}, "severity"),
        ({"title": ""}, "title"),
    ],
)
def test_a_bad_call_is_explained_and_nothing_is_saved(client, areas, overrides, field):
    response = client.post("/crowds/calls/new/", _call_form(areas, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Call.objects.exists()


@pytest.fixture
def live_call(smtp, caller, areas):
    volunteers = VolunteerFactory.create_batch(2, areas=[areas["kallio"]], phone="+358401234567")
    call = CallFactory(areas=[areas["kallio"]], created_by=caller, needed=1)
    services.send_call(caller, call)
    dispatch.dispatch_all()
    return call, volunteers


def test_the_headcount_shows_answers_and_contacts(client, live_call):
    call, (coming, _other) = live_call
    services.record_answer(call, coming, "coming", "link")
    response = client.get(f"/crowds/calls/{call.pk}/headcount/")
    assert response.status_code == 200
    assert response.context["live"]["counts"]["coming"] == 1
    assert coming.name.encode() in response.content
    assert b"+358401234567" in response.content


def test_screen_readers_hear_a_short_summary_not_the_whole_headcount(client, live_call):
    """Only the one-line summary is a live region (the script copies the redrawn part's
    summary into it); the redrawn table would flood a screen reader on every answer."""
    from django.conf import settings

    call, (coming, _other) = live_call
    services.record_answer(call, coming, "coming", "link")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/crowds/calls/{call.pk}/").content.decode()
    assert page.count('aria-live="polite"') == 1
    assert '<p id="headcount-summary" class="visually-hidden" aria-live="polite"></p>' in page
    assert '<div id="headcount">' in page
    part = client.get(f"/crowds/calls/{call.pk}/headcount/").content.decode()
    assert "1 of 1 coming, 0 on the waitlist." in part


def test_update_stand_down_and_cap(client, live_call, smtp):
    call, (coming, _other) = live_call
    services.record_answer(call, coming, "coming", "link")
    assert client.post(f"/crowds/calls/{call.pk}/update/", {"text_fi": ""}).status_code == 400
    client.post(f"/crowds/calls/{call.pk}/update/", {"text_fi": "Kokoontuminen siirtyy."})
    dispatch.dispatch_all()
    assert len(smtp.to(coming.email)) == 2
    response = client.get(f"/crowds/calls/{call.pk}/cap.xml")
    assert response["Content-Type"].startswith("application/cap+xml")
    assert cap.validate_alert(response.content) == []
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    ns = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
    assert root.find("cap:msgType", ns).text == "Update"
    client.post(f"/crowds/calls/{call.pk}/stand-down/", {"text_fi": ""})
    assert Call.objects.get().status == CallStatus.STOOD_DOWN
    response = client.get(f"/crowds/calls/{call.pk}/cap.xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert root.find("cap:msgType", ns).text == "Cancel"
    # a second stand-down is refused with a message, not an error
    assert client.post(f"/crowds/calls/{call.pk}/cancel/", {}).status_code == 302
    assert Call.objects.get().status == CallStatus.STOOD_DOWN
    log = client.get("/crowds/audit/")
    assert log.status_code == 200
    actions = [e.action for e in log.context["entries"]]
    assert {"sent", "updated", "stood_down", "cap_exported"} <= set(actions)


@pytest.mark.parametrize("persona", ["other official", "activist", "researcher"])
def test_without_the_permission_a_call_is_404(client_for, persona, live_call):
    call, _volunteers = live_call
    if persona == "other official":
        client = Client()
        client.force_login(UserFactory(role=Role.OFFICIAL))
    else:
        client = client_for(persona)
    for url in [
        f"/crowds/calls/{call.pk}/",
        f"/crowds/calls/{call.pk}/headcount/",
        f"/crowds/calls/{call.pk}/cap.xml",
    ]:
        assert client.get(url).status_code == 404
    assert client.post(f"/crowds/calls/{call.pk}/stand-down/").status_code == 404
    assert Call.objects.get().status == CallStatus.SENT
