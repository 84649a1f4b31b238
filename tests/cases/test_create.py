"""Opening a case: an activism × a unit × a ladder, by the administration."""

from __future__ import annotations

import pytest
from django.utils import translation

from portaat.access import Role
from portaat.cases.models import Case
from portaat.ladders.models import Ladder
from tests.factories import ActivismFactory, CaseFactory, MembershipFactory, UserFactory
from tests.helpers import html_lang

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring(builtin, unit, activist):
    """A REKO ring without a case yet, whose domain is the REKO ladder."""
    ring = ActivismFactory(name="Käpylän REKO", maintainers=[activist])
    ring.domains.set([Ladder.objects.get(slug="reko")])
    return ring


def url(activism=None):
    return "/cases/new/" if activism is None else f"/cases/new/?activism={activism.pk}"


def options(body: str, name: str) -> list[str]:
    select = body.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return [part.split('"', 1)[0] for part in select.split('<option value="')[1:] if part[0] != '"']


def test_it_opens_a_case(login, people, ring, unit):
    reko = Ladder.objects.get(slug="reko")
    r = login(people["member"]).post(url(ring), {"unit": unit.pk, "ladder": reko.pk})
    case = Case.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{case.pk}/"
    assert (case.activism, case.unit, case.ladder) == (ring, unit, reko)
    assert case.created_by == people["member"]


def test_it_offers_the_activisms_domains_first(login, people, ring):
    body = login(people["member"]).get(url(ring)).content.decode()
    reko = Ladder.objects.get(slug="reko")
    ladders = options(body, "ladder")
    assert ladders[0] == str(reko.pk)
    assert f'<option value="{reko.pk}" selected>' in body
    assert body.index("<optgroup") < body.index(f'value="{reko.pk}"')


def test_it_offers_only_cooperation_ladders(login, people, ring):
    body = login(people["member"]).get(url(ring)).content.decode()
    offered = set(options(body, "ladder"))
    somehallinto = Ladder.objects.get(slug="somehallinto")
    assert str(somehallinto.pk) not in offered
    assert offered == {
        str(pk) for pk in Ladder.objects.exclude(pk=somehallinto.pk).values_list("pk", flat=True)
    }


def test_it_offers_the_units_the_person_may_open_cases_in(login, people, ring, city):
    member_units = options(login(people["member"]).get(url(ring)).content.decode(), "unit")
    assert member_units == [str(city["unit"].pk)]
    # a division official may open cases in the division and the services below it
    division = options(login(people["division_official"]).get(url(ring)).content.decode(), "unit")
    assert set(division) == {str(city["division"].pk), str(city["unit"].pk)}
    # a site coordinator anywhere
    everywhere = options(login(people["coordinator"]).get(url(ring)).content.decode(), "unit")
    assert set(everywhere) == {str(u.pk) for u in city.values()}


def test_it_refuses_a_unit_the_person_is_not_in(login, people, ring, city):
    reko = Ladder.objects.get(slug="reko")
    r = login(people["member"]).post(url(ring), {"unit": city["other"].pk, "ladder": reko.pk})
    assert r.status_code == 400
    assert "unit_error" in r.content.decode()
    assert not Case.objects.exists()


def test_it_refuses_a_duplicate_case(login, people, ring, unit):
    reko = Ladder.objects.get(slug="reko")
    CaseFactory(activism=ring, unit=unit, ladder=reko)
    r = login(people["member"]).post(url(ring), {"unit": unit.pk, "ladder": reko.pk})
    assert r.status_code == 400
    with translation.override("fi"):
        expected = translation.gettext(
            "%(activism)s already has a case in %(unit)s on this ladder."
        ) % {"activism": ring.name, "unit": unit.name}
    assert expected in r.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"ladder": "abc"},
        {"ladder": "999999"},
        {"unit": "abc"},
        {"unit": "999999"},
    ],
)
def test_it_refuses_bad_input(login, people, ring, unit, payload):
    reko = Ladder.objects.get(slug="reko")
    values = {"unit": str(unit.pk), "ladder": str(reko.pk), **payload} if payload else {}
    r = login(people["member"]).post(url(ring), values)
    assert r.status_code == 400
    assert 'role="alert"' in r.content.decode()
    assert not Case.objects.exists()


def test_it_refuses_the_social_media_ladder(login, people, ring, unit):
    somehallinto = Ladder.objects.get(slug="somehallinto")
    r = login(people["member"]).post(url(ring), {"unit": unit.pk, "ladder": somehallinto.pk})
    assert r.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize("value", ["abc", "999999", "-1"])
def test_it_answers_404_for_an_unknown_activism(login, people, ring, value):
    assert login(people["member"]).get(f"/cases/new/?activism={value}").status_code == 404


# --- permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["maintainer", "other_activist", "researcher"])
def test_it_is_for_the_administration_only(login, people, ring, unit, who):
    reko = Ladder.objects.get(slug="reko")
    client = login(people[who])
    assert client.get(url()).status_code == 403
    assert client.get(url(ring)).status_code == 403
    assert client.post(url(ring), {"unit": unit.pk, "ladder": reko.pk}).status_code == 403
    assert not Case.objects.exists()


def test_it_sends_anonymous_visitors_to_log_in(client, ring, unit):
    r = client.post(url(ring), {"unit": unit.pk, "ladder": Ladder.objects.get(slug="reko").pk})
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/?next=")
    assert not Case.objects.exists()


def test_an_official_without_a_unit_is_told_why_nothing_can_be_chosen(login, ring, roles):
    loner = UserFactory(role=Role.OFFICIAL)
    r = login(loner).get(url(ring))
    assert r.status_code == 200
    assert options(r.content.decode(), "unit") == []
    r = login(loner).post(url(ring), {"unit": "1", "ladder": "1"})
    assert r.status_code == 400
    assert not Case.objects.exists()


def test_an_elected_member_may_open_cases_in_their_unit(login, ring, unit):
    elected = UserFactory()
    MembershipFactory(unit=unit, user=elected, role="elected")
    reko = Ladder.objects.get(slug="reko")
    r = login(elected).post(url(ring), {"unit": unit.pk, "ladder": reko.pk})
    assert r.status_code == 302
    assert Case.objects.get().created_by == elected


# --- finding the activism ----------------------------------------------------------------------


def test_it_helps_find_the_activism_first(login, people, ring):
    ActivismFactory(name="Vallilan kaupunkiviljelijät")
    client = login(people["member"])
    r = client.get(url())
    assert r.status_code == 200
    assert 'name="q"' in r.content.decode()
    body = client.get("/cases/new/?q=käpylän").content.decode()
    assert f'href="?activism={ring.pk}"' in body
    assert "Vallilan" not in body


def test_it_finds_administration_only_activisms_for_officials(login, people, ring):
    hidden = ActivismFactory(name="Sisäinen REKO", visibility="internal")
    body = login(people["member"]).get("/cases/new/?q=sisäinen").content.decode()
    assert f'href="?activism={hidden.pk}"' in body


# --- language ----------------------------------------------------------------------------------


def test_it_renders_in_swedish(login, people, ring):
    r = login(people["member"]).get(url(ring), HTTP_ACCEPT_LANGUAGE="sv")
    assert r.status_code == 200
    assert html_lang(r.content) == "sv"
    body = r.content.decode()
    assert Ladder.objects.get(slug="reko").name_sv in body
    assert "Detaljplanering" in body  # the unit's Swedish name


def test_it_lists_the_cases_the_activism_already_has(login, people, reko_case):
    body = login(people["member"]).get(url(reko_case.activism)).content.decode()
    assert f'href="/cases/{reko_case.pk}/"' in body
