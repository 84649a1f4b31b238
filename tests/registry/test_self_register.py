"""An activist registers their own activism; it stays out of public view until approved."""

from __future__ import annotations

import pytest

from portaat.registry.models import Activism
from tests.factories import UserFactory
from tests.registry.helpers import form_data, shown

pytestmark = pytest.mark.django_db


def test_an_activist_gets_the_self_registration_form(client_for, kinds):
    r = client_for("activist").get("/activisms/new/")
    assert r.status_code == 200
    text = r.content.decode()
    assert shown("Register your activism") in text
    assert 'name="visibility"' not in text
    assert 'name="publish"' in text
    assert 'name="contact_consent"' in text


def test_a_researcher_also_registers_for_review(client_for, researcher, kinds):
    client_for("researcher").post("/activisms/new/", form_data(kinds["reko"]))
    activism = Activism.objects.get()
    assert activism.review == "pending"
    assert list(activism.maintainers.all()) == [researcher]


def test_an_activist_registers_their_activism(client_for, activist, kinds, areas):
    client = client_for("activist")
    data = form_data(
        kinds["reko"],
        publish="on",
        areas=["helsinki-kallahti"],
        channels="https://t.me/kallahdenreko",
        contact_email="ring@example.org",
        contact_consent="on",
    )
    r = client.post("/activisms/new/", data)
    activism = Activism.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/activisms/{activism.pk}/"
    assert activism.origin == "self"
    assert activism.review == "pending"
    assert activism.visibility == "public"  # what they asked for, once approved
    assert activism.created_by == activist
    assert list(activism.maintainers.all()) == [activist]
    assert activism.contact_consent_at is not None
    assert activism.channels.get().platform == "telegram"
    page = client.get(r["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        shown(
            "Thank you! The activism was registered. An official will review it before it is "
            "public; until then only you and the city's officials see it."
        )
        in text
    )
    assert shown("Awaiting review") in text
    # they maintain it, so they see its contact details and may edit it
    assert "ring@example.org" in text
    assert f'href="/activisms/{activism.pk}/edit/"' in text


def test_an_activist_may_ask_to_stay_administration_only(client_for, kinds):
    client_for("activist").post("/activisms/new/", form_data(kinds["reko"]))  # publish unticked
    assert Activism.objects.get().visibility == "internal"


def test_an_activist_cannot_approve_or_publish_their_own_entry(client_for, kinds):
    data = form_data(
        kinds["reko"],
        publish="on",
        visibility="public",
        review="approved",
        origin="official",
    )
    client_for("activist").post("/activisms/new/", data)
    activism = Activism.objects.get()
    assert activism.review == "pending"
    assert activism.origin == "self"
    assert not activism.is_public


def test_a_self_registration_is_invisible_to_the_public_until_an_official_approves_it(
    client_for, activist, kinds, areas
):
    """The acceptance criterion of issue 3, end to end over HTTP."""
    name = "Kallahden ruokapiiri"
    data = form_data(kinds["reko"], name=name, publish="on", areas=["helsinki-kallahti"])
    assert client_for("activist").post("/activisms/new/", data).status_code == 302
    activism = Activism.objects.get(name=name)
    page = f"/activisms/{activism.pk}/"

    outsiders = {
        "anonymous": client_for("anonymous"),
        "researcher": client_for("researcher"),
        "another activist": _client_for_new_activist(client_for),
    }
    for who, client in outsiders.items():
        listing = client.get("/activisms/")
        assert name not in listing.content.decode(), who
        assert listing.context["map_points"] == [], who  # not even on the map
        assert client.get(page).status_code == 404, who
        assert client.get("/activisms/?q=ruokapiiri").context["page"].paginator.count == 0
    # the activist who registered it and the administration see it
    assert name in client_for("activist").get("/activisms/").content.decode()
    assert client_for("official").get(page).status_code == 200

    # an official approves it from the review queue
    official = client_for("official")
    assert name in official.get("/activisms/review/").content.decode()
    r = official.post(f"/activisms/{activism.pk}/review/", {"decision": "approve"})
    assert r.status_code == 302

    for who, client in outsiders.items():
        listing = client.get("/activisms/")
        assert name in listing.content.decode(), who
        assert [p["label"] for p in listing.context["map_points"]] == ["Kallahti"], who
        assert client.get(page).status_code == 200, who


def test_a_rejected_self_registration_stays_hidden(client_for, kinds):
    client_for("activist").post("/activisms/new/", form_data(kinds["reko"], publish="on"))
    activism = Activism.objects.get()
    client_for("official").post(f"/activisms/{activism.pk}/review/", {"decision": "reject"})
    assert client_for("anonymous").get(f"/activisms/{activism.pk}/").status_code == 404
    assert activism.name not in client_for("anonymous").get("/activisms/").content.decode()
    # its maintainer still sees it, and why it is not public
    r = client_for("activist").get(f"/activisms/{activism.pk}/")
    assert r.status_code == 200
    assert shown("Rejected") in r.content.decode()


def _client_for_new_activist(client_for):
    from django.test import Client

    from portaat.access import Role

    client = Client()
    client.force_login(UserFactory(username="other@example.org", role=Role.ACTIVIST))
    return client
