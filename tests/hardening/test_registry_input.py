"""The registry pages (list, page, register, edit, review) with hostile and odd input."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from portaat.registry.models import Activism, Channel
from tests.factories import ActivismFactory, AreaFactory
from tests.hardening.conftest import BAD_PAGES, HUGE, NUL, ODD_TEXTS, SCRIPT, status_ok
from tests.registry.helpers import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field",
    ["name", "description", "contact_name", "contact_phone", "channels", "maintainers"],
)
def test_nul_byte_in_any_text_field_is_an_error_and_writes_nothing(client_for, kinds, field):
    data = form_data(kinds["reko"], contact_consent="on", **{field: NUL})
    response = client_for("official").post("/activisms/new/", data)
    status_ok(response, 400)
    assert not Activism.objects.exists()


@pytest.mark.parametrize("field", ["name", "description", "contact_name", "contact_phone"])
def test_huge_text_is_an_error(client_for, kinds, field):
    data = form_data(kinds["reko"], contact_consent="on", **{field: HUGE})
    response = client_for("official").post("/activisms/new/", data)
    status_ok(response, 400)
    assert not Activism.objects.exists()


@pytest.mark.parametrize(
    "override",
    [
        {"kind": "999999"},
        {"kind": "abc"},
        {"kind": "1' OR 1=1 --"},
        {"legal_form": "foundation"},
        {"status": "zombie"},
        {"visibility": "everyone"},
        {"areas": ["nowhere"]},
        {"domains": ["abc"]},
        {"domains": ["99999999999999999999999"]},
        {"contact_email": "not an email", "contact_consent": "on"},
        {"channels": "javascript:alert(1)"},
        {"channels": "https://" + "a" * 600 + ".fi"},
        {"channels": "\n".join(f"https://example.org/{n}" for n in range(40))},
        {"maintainers": "nobody@example.org"},
    ],
)
def test_unknown_choices_and_bad_values_are_errors(client_for, kinds, override):
    response = client_for("official").post("/activisms/new/", form_data(kinds["reko"], **override))
    status_ok(response, 400)
    assert not Activism.objects.exists()


def test_a_long_but_valid_channel_address_is_saved(client_for, kinds):
    """A 450-character Facebook group address fits the URL column; its handle must fit too."""
    url = "https://www.facebook.com/groups/" + "a" * 450
    response = client_for("official").post(
        "/activisms/new/", form_data(kinds["reko"], channels=url)
    )
    status_ok(response, 302, 400)
    if response.status_code == 302:
        channel = Channel.objects.get()
        assert channel.url == url
        assert len(channel.handle) <= Channel._meta.get_field("handle").max_length


@pytest.mark.parametrize("name", ODD_TEXTS)
def test_unicode_names_round_trip(client_for, kinds, name):
    client = client_for("official")
    response = client.post("/activisms/new/", form_data(kinds["reko"], name=name))
    status_ok(response, 302)
    activism = Activism.objects.get()
    assert activism.name == name
    page = client.get(activism.get_absolute_url())
    assert name in page.content.decode()


def test_duplicate_post_keys_take_one_value(client_for, kinds):
    client = client_for("official")
    data = form_data(kinds["reko"])
    body = "&".join(f"{k}={v}" for k, v in data.items() if k != "name")
    body += "&name=Eka&name=Toka"
    response = client.post(
        "/activisms/new/", body, content_type="application/x-www-form-urlencoded"
    )
    status_ok(response, 302)
    assert Activism.objects.get().name in ("Eka", "Toka")


def test_script_in_names_is_escaped_on_every_page(client_for, kinds, builtin):
    area = AreaFactory(key="helsinki-kallio", name=SCRIPT, name_sv=SCRIPT, lat=60.18, lon=24.95)
    activism = ActivismFactory(name=SCRIPT, description=SCRIPT, areas=[area])
    activism.channels.create(url="https://example.org/", platform="website", handle=SCRIPT)
    for persona in ("anonymous", "official"):
        client = client_for(persona)
        for url in ("/activisms/", activism.get_absolute_url(), "/activisms/?q=%3Cscript%3E"):
            page = client.get(url).content.decode()
            assert "<script>alert" not in page, (persona, url)
            # the map's points are JSON inside <script type="application/json">
            for blob in re.findall(
                r'<script id="[^"]+" type="application/json">(.*?)</script>', page
            ):
                assert SCRIPT not in blob
                json.loads(blob)


@pytest.mark.parametrize("page", BAD_PAGES)
def test_odd_page_numbers_on_the_list(client_for, kinds, page):
    ActivismFactory.create_batch(3)
    response = client_for("anonymous").get("/activisms/", {"page": page})
    status_ok(response, 200, 400)


@pytest.mark.parametrize("page", BAD_PAGES)
def test_odd_page_numbers_on_the_review_queue(client_for, page):
    status_ok(client_for("official").get("/activisms/review/", {"page": page}), 200, 400)


@pytest.mark.parametrize(
    "params",
    [
        {"q": NUL},
        {"q": HUGE[:5000]},
        {"q": "%_\\'\""},
        {"kind": NUL},
        {"kind": SCRIPT},
        {"domain": "99999999999999999999"},
        {"municipality": NUL},
        {"area": NUL},
        {"area": "x" * 3000},
        {"status": "zombie"},
    ],
)
def test_odd_filters_on_the_list_are_reported_not_500(client_for, kinds, params):
    ActivismFactory()
    response = client_for("official").get("/activisms/", params)
    status_ok(response, 200, 400)
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_huge_or_zero_ids_are_not_found(client_for, pk):
    for path in (f"/activisms/{pk}/", f"/activisms/{pk}/edit/"):
        status_ok(client_for("official").get(path), 404)
    status_ok(client_for("official").post(f"/activisms/{pk}/review/", {"decision": "approve"}), 404)


def test_very_long_url_is_not_a_500(client_for):
    status_ok(client_for("anonymous").get("/activisms/" + "a" * 8000 + "/"), 404)
    status_ok(client_for("anonymous").get("/activisms/?q=" + "ä" * 8000), 200, 400)


def test_review_with_a_bogus_decision_changes_nothing(client_for, kinds):
    pending = ActivismFactory(review="pending", visibility="public")
    for decision in ("", "maybe", NUL):
        response = client_for("official").post(
            f"/activisms/{pending.pk}/review/", {"decision": decision}
        )
        status_ok(response, 400)
    pending.refresh_from_db()
    assert pending.review == "pending"


def test_review_next_does_not_redirect_off_site(client_for, kinds):
    pending = ActivismFactory(review="pending")
    response = client_for("official").post(
        f"/activisms/{pending.pk}/review/", {"decision": "approve", "next": "//evil.example/"}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]


def test_edit_by_a_stranger_is_not_allowed(client_for, kinds, researcher: Any):
    internal = ActivismFactory(visibility="internal")
    public = ActivismFactory()
    client = client_for("activist")
    status_ok(client.get(f"/activisms/{internal.pk}/edit/"), 404)
    status_ok(client.post(f"/activisms/{public.pk}/edit/", form_data(kinds["reko"])), 403)
    public.refresh_from_db()
    assert public.name != "Vuosaaren REKO"


# --- a municipality's own gazetteer (CLI) ------------------------------------------------------


def _place(**overrides: Any) -> dict[str, Any]:
    place = {
        "id": "turku-keskusta",
        "name": "Keskusta",
        "name_sv": "Centrum",
        "aliases": [],
        "kind": "district",
        "municipality": "Turku",
        "parent": None,
        "lat": 60.45,
        "lon": 22.27,
    }
    place.update(overrides)
    return place


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": NUL},
        {"name": "x" * 121},
        {"name": 123},
        {"name_sv": ["Centrum"]},
        {"municipality": "T" * 200},
        {"aliases": ["a\x00b"]},
        {"id": "turku/keskusta"},
        {"id": "k" * 121},
        {"id": 5},
        {"parent": ["turku"]},
        {"lat": "nan"},
        {"lon": "inf"},
    ],
)
def test_a_bad_gazetteer_row_is_reported_and_nothing_is_loaded(tmp_path, overrides):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from portaat.registry.models import Area

    path = tmp_path / "places.json"
    path.write_text(json.dumps([_place(id="turku", kind="municipality"), _place(**overrides)]))
    with pytest.raises(CommandError):
        call_command("gazetteer", "import", str(path))
    assert not Area.objects.exists()


def test_the_shipped_gazetteer_still_validates(db):
    from portaat.analytics import gazetteer
    from portaat.registry.services import validate_places

    assert validate_places(gazetteer.places()) == []
