"""Registering, editing and reviewing activisms through the API (POST, PATCH, POST …/review/):
the same form, rules and rights as the pages. An official's entry is ready at once; an
activist's own waits for review with them as its maintainer; contact details need consent; bad
input is a translated 400 that saves nothing; a key writes as its account."""

from __future__ import annotations

import pytest
from django.test import Client

from portaat.registry.models import Activism
from tests.factories import ActivismFactory, ActivismKindFactory, AreaFactory
from tests.helpers import api_key_for, translation_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/activisms/"


@pytest.fixture
def places(builtin):
    ActivismKindFactory(slug="reko-ring")
    AreaFactory(key="helsinki-kallio", name="Kallio")
    AreaFactory(key="helsinki-vallila", name="Vallila")


def _body(**overrides):
    body = {
        "name": "Vallilan REKO",
        "description": "Lähiruokaa tuottajilta suoraan.",
        "kind": "reko-ring",
        "domains": ["city-planning"],
        "areas": ["helsinki-vallila"],
        "channels": ["https://www.facebook.com/groups/vallilanreko"],
    }
    body.update(overrides)
    return body


def _post(client, body, **extra):
    return client.post(URL, body, content_type="application/json", **extra)


def _patch(client, pk, body, **extra):
    return client.patch(f"{URL}{pk}/", body, content_type="application/json", **extra)


def test_an_official_registers_an_activism_ready_at_once(client_for, places):
    response = _post(client_for("official"), _body(visibility="public"))
    assert response.status_code == 201, response.json()
    item = response.json()
    assert (item["name"], item["kind"], item["review"], item["visibility"]) == (
        "Vallilan REKO",
        "reko-ring",
        "approved",
        "public",
    )
    assert item["areas"] == ["helsinki-vallila"] and item["domains"] == ["city-planning"]
    assert item["channels"][0]["platform"] == "facebook_group"
    assert Client().get(f"{URL}{item['id']}/").status_code == 200  # public


def test_an_activists_own_registration_waits_for_review_and_they_maintain_it(
    client_for, personas, places
):
    activist = client_for("activist")
    response = _post(activist, _body(publish=True))
    assert response.status_code == 201, response.json()
    activism = Activism.objects.get(pk=response.json()["id"])
    assert (activism.review, activism.origin, activism.visibility) == ("pending", "self", "public")
    assert list(activism.maintainers.all()) == [personas["activist"]]
    assert Client().get(f"{URL}{activism.pk}/").status_code == 404  # not public before review

    assert _post(activist, {}).status_code == 400
    refused = activist.post(
        f"{URL}{activism.pk}/review/", {"decision": "approve"}, content_type="application/json"
    )
    assert refused.status_code == 403
    official = client_for("official")
    approved = official.post(
        f"{URL}{activism.pk}/review/", {"decision": "approve"}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["review"] == "approved"
    assert Client().get(f"{URL}{activism.pk}/").status_code == 200
    again = official.post(
        f"{URL}{activism.pk}/review/",
        {"decision": "reject"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["This activism is not waiting for review."]}


def test_only_officials_set_visibility_and_maintainers(client_for, places):
    activist = client_for("activist")
    for extra in ({"visibility": "public"}, {"maintainers": ["official@example.org"]}):
        response = _post(activist, _body(**extra), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert response.json()[next(iter(extra))] == ["Only the city's officials set this."]
    assert not Activism.objects.exists()


def test_a_maintainer_edits_only_what_is_sent(client_for, personas, places):
    activism = ActivismFactory(name="Kallion REKO", maintainers=[personas["activist"]])
    activism.areas.add(AreaFactory(key="helsinki-kallio"))
    response = _patch(client_for("activist"), activism.pk, {"description": "Uusi kuvaus."})
    assert response.status_code == 200, response.json()
    activism.refresh_from_db()
    assert (activism.name, activism.description) == ("Kallion REKO", "Uusi kuvaus.")
    assert [area.key for area in activism.areas.all()] == ["helsinki-kallio"]
    assert activism.visibility == "public" and activism.review == "approved"


def test_others_may_not_edit_and_hidden_ones_are_not_found(client_for, personas, places):
    public = ActivismFactory(name="Kallion REKO")
    internal = ActivismFactory(name="Sisäinen", visibility="internal")
    researcher = client_for("researcher")
    forbidden = _patch(researcher, public.pk, {"name": "Muutettu"})
    assert forbidden.status_code == 403
    assert _patch(researcher, internal.pk, {"name": "Muutettu"}).status_code == 404
    assert _patch(Client(), public.pk, {"name": "Muutettu"}).status_code == 403
    assert _post(Client(), _body()).status_code == 403
    public.refresh_from_db()
    assert public.name == "Kallion REKO"


def test_contact_details_need_consent(client_for, places):
    official = client_for("official")
    contact = {"name": "Maija", "email": "maija@example.org", "phone": "040 123 4567"}
    refused = _post(official, _body(contact=contact), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "consent" in refused.json()["contact"][0]
    assert not Activism.objects.exists()
    made = _post(official, _body(contact={**contact, "consent": True}))
    assert made.status_code == 201
    assert made.json()["contact"]["email"] == "maija@example.org"
    pk = made.json()["id"]
    # unchanged details keep their consent; a new person needs a new one
    assert _patch(official, pk, {"description": "x"}).status_code == 200
    changed = _patch(official, pk, {"contact": {"name": "Ville"}})
    assert changed.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "no-such-kind"}, "kind"),
        ({"domains": ["no-such-ladder"]}, "domains"),
        ({"areas": ["nowhere"]}, "areas"),
        ({"channels": ["not a web address"]}, "channels"),
        ({"name": ""}, "name"),
        ({"status": "sleeping"}, "status"),
        ({"contact": {"email": "not-an-address", "consent": True}}, "contact"),
        ({"publish": True}, "publish"),  # an official's entry has no "publish"
    ],
)
def test_bad_input_is_a_translated_400_and_saves_nothing(client_for, places, overrides, field):
    response = _post(client_for("official"), _body(**overrides), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Activism.objects.exists()


def test_messages_follow_the_readers_language(client_for, places):
    response = _post(client_for("activist"), _body(visibility="public"), HTTP_ACCEPT_LANGUAGE="fi")
    assert response.json()["visibility"] == [
        translation_of("Only the city's officials set this.", "fi")
    ]


def test_an_api_key_writes_as_its_account(personas, places):
    client = Client(HTTP_AUTHORIZATION=f"Token {api_key_for(personas['official'])}")
    response = _post(client, _body())
    assert response.status_code == 201
    assert Activism.objects.get().created_by == personas["official"]


def test_put_is_not_offered(client_for, places):
    activism = ActivismFactory()
    response = client_for("official").put(
        f"{URL}{activism.pk}/", _body(), content_type="application/json"
    )
    assert response.status_code == 405


def test_a_nested_objects_error_names_its_field(client_for, places):
    response = _post(
        client_for("official"), _body(contact={"consent": "maybe"}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json() == {"contact": ["consent: Must be a valid boolean."]}
