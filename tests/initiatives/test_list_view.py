"""/initiatives/: the administration sees every initiative, activists those of their activisms."""

from __future__ import annotations

import pytest

from tests.factories import ActivismFactory, UserFactory
from tests.initiatives.conftest import make_initiative

pytestmark = pytest.mark.django_db


def test_officials_see_all_and_activists_their_own(client_for, initiative, places, builtin):
    other = make_initiative(ActivismFactory(name="Toinen ryhmä"), domains=[], areas=[], title="Muu")
    official_page = client_for("official").get("/initiatives/").content.decode()
    assert initiative.title in official_page and other.title in official_page
    activist_page = client_for("activist").get("/initiatives/").content.decode()
    assert initiative.title in activist_page and other.title not in activist_page


def test_people_without_an_activism_are_refused(client_for, initiative, client):
    assert client_for("researcher").get("/initiatives/").status_code == 403
    assert client.get("/initiatives/").status_code == 302  # to log in
    # an activist who keeps no activism's entry has nothing to see here
    loner = UserFactory(username="loner@example.org", role="activist")
    client.force_login(loner)
    assert client.get("/initiatives/").status_code == 403


def test_filter_by_status_and_ignore_an_unknown_one(client_for, initiative):
    client = client_for("official")
    assert initiative.title not in client.get("/initiatives/?status=closed").content.decode()
    assert initiative.title in client.get("/initiatives/?status=open").content.decode()
    assert initiative.title in client.get("/initiatives/?status=nonsense").content.decode()
    assert client.get("/initiatives/?page=x").status_code == 200
