from __future__ import annotations

import pytest
from django.utils import timezone

from portaat.ladders.models import Ladder
from portaat.registry.forms import CONSENT_TEXT
from portaat.registry.models import Activism, Channel
from tests.factories import ActivismFactory
from tests.registry.helpers import form_data, page_text, shown

pytestmark = pytest.mark.django_db

EARLIER = timezone.now() - timezone.timedelta(days=30)


@pytest.fixture
def ring(builtin, areas, kinds, activist):
    activism = ActivismFactory(
        name="Vuosaaren REKO",
        kind=kinds["reko"],
        areas=[areas["vuosaari"]],
        maintainers=[activist],
        contact_name="Maija",
        contact_email="maija@example.org",
        contact_consent_at=EARLIER,
        contact_consent_text="Aiempi suostumus",
    )
    activism.domains.set([Ladder.objects.get(slug="reko")])
    Channel.objects.create(
        activism=activism,
        url="https://www.facebook.com/groups/vuosaarenreko",
        platform="facebook_group",
        handle="vuosaarenreko",
    )
    return activism


def edit_data(activism: Activism, **overrides):
    """The form as it comes filled in, with ``overrides``."""
    data = form_data(
        activism.kind,
        name=activism.name,
        description=activism.description,
        legal_form=activism.legal_form,
        status=activism.status,
        visibility=activism.visibility,
        domains=[str(ladder.pk) for ladder in activism.domains.all()],
        areas=[area.key for area in activism.areas.all()],
        channels="\n".join(channel.url for channel in activism.channels.all()),
        contact_name=activism.contact_name,
        contact_email=activism.contact_email,
        contact_phone=activism.contact_phone,
    )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_comes_filled_in(client_for, ring):
    r = client_for("official").get(f"/activisms/{ring.pk}/edit/")
    assert r.status_code == 200
    text = r.content.decode()
    assert 'value="Vuosaaren REKO"' in text
    assert "https://www.facebook.com/groups/vuosaarenreko</textarea>" in text
    assert '<option value="helsinki-vuosaari" selected>' in text
    assert 'value="maija@example.org"' in text
    assert 'name="visibility"' in text
    assert 'name="publish"' not in text


def test_a_maintainer_updates_the_content(client_for, ring, areas, kinds):
    client = client_for("activist")
    data = edit_data(
        ring,
        name="Vuosaaren ja Kallahden REKO",
        kind=str(kinds["planning"].pk),
        status="dormant",
        legal_form="association",
        areas=["helsinki-vuosaari", "helsinki-kallahti"],
        domains=[],
        channels="https://bsky.app/profile/reko.bsky.social",
    )
    r = client.post(f"/activisms/{ring.pk}/edit/", data)
    assert r.status_code == 302
    assert r["Location"] == f"/activisms/{ring.pk}/"
    ring.refresh_from_db()
    assert ring.name == "Vuosaaren ja Kallahden REKO"
    assert ring.kind == kinds["planning"]
    assert ring.status == "dormant"
    assert ring.legal_form == "association"
    assert {a.key for a in ring.areas.all()} == {"helsinki-vuosaari", "helsinki-kallahti"}
    assert not ring.domains.exists()
    assert list(ring.channels.values_list("platform", "handle")) == [
        ("bluesky", "reko.bsky.social")
    ]
    assert shown("The activism was saved.") in client.get(r["Location"]).content.decode()


def test_a_maintainer_cannot_change_visibility_or_review(client_for, activist):
    activism = ActivismFactory(
        visibility="internal", review="pending", origin="self", maintainers=[activist]
    )
    form = client_for("activist").get(f"/activisms/{activism.pk}/edit/")
    assert 'name="visibility"' not in form.content.decode()
    data = edit_data(activism, visibility="public", review="approved", origin="official")
    r = client_for("activist").post(f"/activisms/{activism.pk}/edit/", data)
    assert r.status_code == 302
    activism.refresh_from_db()
    assert (activism.visibility, activism.review, activism.origin) == (
        "internal",
        "pending",
        "self",
    )
    assert client_for("anonymous").get(f"/activisms/{activism.pk}/").status_code == 404


def test_an_official_changes_the_visibility(client_for, ring):
    r = client_for("official").post(
        f"/activisms/{ring.pk}/edit/", edit_data(ring, visibility="internal")
    )
    assert r.status_code == 302
    ring.refresh_from_db()
    assert ring.visibility == "internal"
    assert client_for("anonymous").get(f"/activisms/{ring.pk}/").status_code == 404


def test_leaving_visibility_out_keeps_it(client_for, ring):
    client_for("official").post(f"/activisms/{ring.pk}/edit/", edit_data(ring, visibility=None))
    ring.refresh_from_db()
    assert ring.visibility == "public"


def test_anonymous_visitors_are_sent_to_log_in(client_for, ring):
    r = client_for("anonymous").get(f"/activisms/{ring.pk}/edit/")
    assert r.status_code == 302
    assert r["Location"] == f"/accounts/login/?next=/activisms/{ring.pk}/edit/"
    client_for("anonymous").post(f"/activisms/{ring.pk}/edit/", edit_data(ring, name="X"))
    ring.refresh_from_db()
    assert ring.name == "Vuosaaren REKO"


@pytest.mark.parametrize("persona", ["activist", "researcher"])
def test_others_may_not_edit_a_public_activism(client_for, ring, persona):
    ring.maintainers.clear()
    assert client_for(persona).get(f"/activisms/{ring.pk}/edit/").status_code == 403
    r = client_for(persona).post(f"/activisms/{ring.pk}/edit/", edit_data(ring, name="X"))
    assert r.status_code == 403
    ring.refresh_from_db()
    assert ring.name == "Vuosaaren REKO"


def test_a_hidden_activism_is_not_found_by_others(client_for):
    activism = ActivismFactory(visibility="internal")
    assert client_for("activist").get(f"/activisms/{activism.pk}/edit/").status_code == 404
    assert client_for("official").get(f"/activisms/{activism.pk}/edit/").status_code == 200


def test_unchanged_contact_details_keep_their_consent(client_for, ring):
    r = client_for("activist").post(f"/activisms/{ring.pk}/edit/", edit_data(ring, name="Uusi"))
    assert r.status_code == 302
    ring.refresh_from_db()
    assert ring.contact_consent_at == EARLIER
    assert ring.contact_consent_text == "Aiempi suostumus"


def test_new_contact_details_need_a_new_consent(client_for, ring):
    r = client_for("activist").post(
        f"/activisms/{ring.pk}/edit/", edit_data(ring, contact_name="Matti", name="Uusi")
    )
    assert r.status_code == 400
    assert gettext_consent_error() in page_text(r)
    ring.refresh_from_db()
    assert (ring.name, ring.contact_name) == ("Vuosaaren REKO", "Maija")


def test_a_new_consent_is_recorded(client_for, ring):
    data = edit_data(ring, contact_name="Matti", contact_consent="on")
    assert client_for("activist").post(f"/activisms/{ring.pk}/edit/", data).status_code == 302
    ring.refresh_from_db()
    assert ring.contact_name == "Matti"
    assert ring.contact_consent_at > EARLIER
    assert ring.contact_consent_text == str(CONSENT_TEXT)


def test_removing_the_contact_details_removes_the_consent(client_for, ring):
    data = edit_data(ring, contact_name="", contact_email="", contact_phone="")
    assert client_for("activist").post(f"/activisms/{ring.pk}/edit/", data).status_code == 302
    ring.refresh_from_db()
    assert (ring.contact_name, ring.contact_email) == ("", "")
    assert ring.contact_consent_at is None
    assert ring.contact_consent_text == ""


@pytest.mark.parametrize(
    "overrides",
    [
        {"channels": "https://ok.example.org/\nei osoite"},
        {"name": "x" * 201},
        {"kind": "999999"},
        {"areas": ["atlantis"]},
        {"contact_email": "maija@", "contact_consent": "on"},
    ],
)
def test_bad_input_changes_nothing(client_for, ring, overrides):
    before = (
        ring.name,
        list(ring.channels.values_list("url", flat=True)),
        list(ring.areas.values_list("key", flat=True)),
        ring.contact_email,
    )
    r = client_for("official").post(
        f"/activisms/{ring.pk}/edit/", edit_data(ring, **{"name": "Muutettu", **overrides})
    )
    assert r.status_code == 400
    assert shown("The activism was not saved") in r.content.decode()
    ring.refresh_from_db()
    after = (
        ring.name,
        list(ring.channels.values_list("url", flat=True)),
        list(ring.areas.values_list("key", flat=True)),
        ring.contact_email,
    )
    assert after == before


def gettext_consent_error() -> str:
    from django.utils.translation import gettext

    return gettext(
        "Contact details can be saved only with the person's consent: tick the box, or leave "
        "the contact details empty."
    )
