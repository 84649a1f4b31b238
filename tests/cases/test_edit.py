"""Editing a case: whether positions are public, and the unit's internal notes."""

from __future__ import annotations

import pytest

from portaat.cases import services
from portaat.cases.models import Case
from tests.helpers import html_lang

pytestmark = pytest.mark.django_db


def url(case):
    return f"/cases/{case.pk}/edit/"


def state(case):
    case = Case.objects.get(pk=case.pk)
    return case.positions_public, case.internal_notes


def test_it_saves_the_case(login, people, reko_case):
    r = login(people["member"]).post(
        url(reko_case), {"positions_public": "on", "internal_notes": "  Soita syksyllä  "}
    )
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{reko_case.pk}/"
    assert state(reko_case) == (True, "Soita syksyllä")


def test_an_unticked_box_hides_the_positions_again(login, people, reko_case):
    services.update_case(reko_case, positions_public=True, internal_notes="Muistiinpano")
    r = login(people["member"]).post(url(reko_case), {"internal_notes": ""})
    assert r.status_code == 302
    assert state(reko_case) == (False, "")


def test_it_shows_the_current_values(login, people, reko_case):
    services.update_case(reko_case, positions_public=True, internal_notes="Muistiinpano")
    body = login(people["member"]).get(url(reko_case)).content.decode()
    assert 'name="positions_public" id="id_positions_public" checked' in body
    assert "Muistiinpano</textarea>" in body


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 200),
        ("coordinator", 200),
        ("division_official", 200),
        ("maintainer", 403),
        ("outsider", 403),
        ("other_activist", 404),
        ("researcher", 404),
    ],
)
def test_it_is_for_the_units_members(login, people, reko_case, who, status):
    client = login(people[who])
    assert client.get(url(reko_case)).status_code == status
    r = client.post(url(reko_case), {"positions_public": "on", "internal_notes": "Muutettu"})
    assert r.status_code == (302 if status == 200 else status)
    assert state(reko_case) == ((True, "Muutettu") if status == 200 else (False, ""))


def test_it_sends_anonymous_visitors_to_log_in(client, reko_case):
    r = client.post(url(reko_case), {"positions_public": "on", "internal_notes": "x"})
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/?next=")
    assert state(reko_case) == (False, "")


def test_it_refuses_overlong_notes(login, people, reko_case):
    r = login(people["member"]).post(url(reko_case), {"internal_notes": "x" * 10_001})
    assert r.status_code == 400
    assert 'role="alert"' in r.content.decode()
    assert state(reko_case) == (False, "")


def test_the_service_strips_the_notes(reko_case):
    services.update_case(reko_case, positions_public=True, internal_notes="\n Huom \n")
    assert state(reko_case) == (True, "Huom")


def test_it_renders_in_swedish(login, people, reko_case):
    r = login(people["member"]).get(url(reko_case), HTTP_ACCEPT_LANGUAGE="sv")
    assert r.status_code == 200
    assert html_lang(r.content) == "sv"
