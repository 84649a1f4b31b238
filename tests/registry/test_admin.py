from __future__ import annotations

import pytest

from portaat.registry.models import Channel
from tests.factories import ActivismFactory, ActivismKindFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["unit", "area", "activismkind", "activism"])
def test_the_registry_is_in_the_admin(client_for, unit, areas, model):
    activism = ActivismFactory(areas=[areas["kallahti"]])
    objects = {
        "unit": unit.pk,
        "area": areas["kallahti"].pk,
        "activismkind": activism.kind.pk,
        "activism": activism.pk,
    }
    client = client_for("admin")
    assert client.get(f"/admin/registry/{model}/").status_code == 200
    assert client.get(f"/admin/registry/{model}/{objects[model]}/change/").status_code == 200


def test_the_unit_page_lists_its_members(client_for, unit, official):
    text = client_for("admin").get(f"/admin/registry/unit/{unit.pk}/change/").content.decode()
    assert "memberships-TOTAL_FORMS" in text
    assert 'name="name_sv"' in text  # translated names


def test_channels_added_in_the_admin_get_their_platform(client_for, kinds):
    activism = ActivismFactory(kind=kinds["reko"])
    data = {
        "name": activism.name,
        "description": "",
        "kind": kinds["reko"].pk,
        "legal_form": "none",
        "status": "active",
        "visibility": "public",
        "review": "approved",
        "channels-TOTAL_FORMS": "1",
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "1000",
        "channels-0-url": "https://t.me/vuosaarenreko",
    }
    r = client_for("admin").post(f"/admin/registry/activism/{activism.pk}/change/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    channel = Channel.objects.get()
    assert (channel.platform, channel.handle) == ("telegram", "vuosaarenreko")


def test_contact_details_are_read_only_in_the_admin(client_for):
    activism = ActivismFactory()
    text = (
        client_for("admin").get(f"/admin/registry/activism/{activism.pk}/change/").content.decode()
    )
    assert 'name="contact_email"' not in text
    assert 'name="visibility"' in text


def test_built_in_kinds_cannot_be_deleted(client_for):
    kind = ActivismKindFactory(slug="other", is_builtin=True)
    r = client_for("admin").get(f"/admin/registry/activismkind/{kind.pk}/delete/")
    assert r.status_code == 403


def test_the_admin_is_for_staff_only(client_for):
    r = client_for("coordinator").get("/admin/registry/activism/")
    assert r.status_code == 302
    assert r["Location"].startswith("/admin/login/")
