"""The administration names the activists who keep an entry up to date (by account email)."""

from __future__ import annotations

import pytest

from portaat.registry.models import Activism
from tests.factories import ActivismFactory, UserFactory
from tests.registry.test_edit import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring(builtin, kinds):
    return ActivismFactory(name="Kontulan REKO", kind=kinds["reko"], visibility="internal")


def test_an_official_names_a_maintainer_who_then_sees_the_entry(client_for, ring, activist):
    assert client_for("activist").get(f"/activisms/{ring.pk}/").status_code == 404
    response = client_for("official").post(
        f"/activisms/{ring.pk}/edit/", edit_data(ring, maintainers="ACTIVIST@example.org\n")
    )
    assert response.status_code == 302
    assert list(ring.maintainers.all()) == [activist]
    assert client_for("activist").get(f"/activisms/{ring.pk}/").status_code == 200


def test_an_unknown_address_is_an_error_and_changes_nothing(client_for, ring, activist):
    ring.maintainers.add(activist)
    response = client_for("official").post(
        f"/activisms/{ring.pk}/edit/",
        edit_data(ring, name="Muutettu", maintainers="nobody@example.org"),
    )
    assert response.status_code == 400
    assert "nobody@example.org" in response.content.decode()
    ring.refresh_from_db()
    assert ring.name == "Kontulan REKO"
    assert list(ring.maintainers.all()) == [activist]


def test_leaving_the_field_out_keeps_the_maintainers(client_for, ring, activist):
    ring.maintainers.add(activist)
    client_for("official").post(f"/activisms/{ring.pk}/edit/", edit_data(ring, name="Uusi nimi"))
    assert list(Activism.objects.get(pk=ring.pk).maintainers.all()) == [activist]


def test_maintainers_cannot_name_other_maintainers(client_for, ring, activist, roles):
    ring.maintainers.add(activist)
    other = UserFactory(username="other@example.org")
    client = client_for("activist")
    assert "maintainers" not in client.get(f"/activisms/{ring.pk}/edit/").context["form"].fields
    client.post(
        f"/activisms/{ring.pk}/edit/", edit_data(ring, visibility=None, maintainers=other.email)
    )
    assert list(ring.maintainers.all()) == [activist]
