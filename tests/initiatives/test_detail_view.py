"""/initiatives/<pk>/: the initiative, proposals and (for officials) suggestions; edit."""

from __future__ import annotations

import pytest

from tests.factories import ActivismFactory
from tests.initiatives.conftest import make_initiative

pytestmark = pytest.mark.django_db


def test_officials_see_suggestions_with_reasons(client_for, initiative, catalogue):
    page = client_for("official").get(f"/initiatives/{initiative.pk}/").content.decode()
    assert page.index("Lähiruoka-avustus") < page.index("Joukkorahoitusalusta")
    assert "Vanha avustus" not in page and "Espoon avustus" not in page
    assert "Helsinki" in page  # the area reason


def test_the_activism_sees_its_initiative_without_suggestions(client_for, initiative, catalogue):
    page = client_for("activist").get(f"/initiatives/{initiative.pk}/").content.decode()
    assert initiative.title in page
    assert "Lähiruoka-avustus" not in page


def test_others_do_not_learn_that_it_exists(client_for, initiative, client):
    assert client_for("researcher").get(f"/initiatives/{initiative.pk}/").status_code == 404
    assert client.get(f"/initiatives/{initiative.pk}/").status_code == 404
    assert client_for("official").get("/initiatives/999999/").status_code == 404


def test_an_activist_edits_and_closes_their_initiative(client_for, initiative):
    client = client_for("activist")
    response = client.post(
        f"/initiatives/{initiative.pk}/edit/",
        {"title": "Uusi nimi", "description": "Uusi kuvaus", "status": "closed"},
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status) == ("Uusi nimi", "closed")
    assert initiative.activism.name == "Lauttasaaren REKO"  # stays with its activism


def test_an_activist_cannot_edit_anothers_initiative(client_for, builtin):
    other = make_initiative(ActivismFactory(), domains=[], areas=[])
    response = client_for("activist").post(
        f"/initiatives/{other.pk}/edit/", {"title": "X", "description": "Y", "status": "open"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.title != "X"


def test_a_bad_status_on_edit_changes_nothing(client_for, initiative):
    response = client_for("official").post(
        f"/initiatives/{initiative.pk}/edit/",
        {"title": "X", "description": "Y", "status": "won"},
    )
    assert response.status_code == 400
    initiative.refresh_from_db()
    assert initiative.title == "Kallion kierrätyskeskus"
