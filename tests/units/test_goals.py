"""/units/<slug>/goals/new/: a coordinator writes a dated goal that names activisms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portaat.cases.models import UnitGoal
from tests.factories import ActivismFactory, MembershipFactory, UserFactory
from tests.units.conftest import ago, in_english, page_text

pytestmark = pytest.mark.django_db

URL = "/units/planning/goals/new/"


@pytest.fixture
def cases(unit, make_case, city):
    return {
        "reko": make_case(unit, "reko", [(ago(1), 2, 5)], name="Lauttasaaren REKO"),
        "planners": make_case(unit, "city-planning", name="Kallion suunnittelijat"),
        "elsewhere": make_case(city["other"], "reko", name="Kulttuuriryhmä"),
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("activist", 403),
        ("researcher", 403),
        ("official", 403),
        ("coordinator", 200),
        ("admin", 200),
    ],
)
def test_who_may_write_goals_for_a_unit_they_do_not_belong_to(client_for, city, persona, status):
    assert client_for(persona).get(URL).status_code == status
    r = client_for(persona).post(URL, {"text": "x", "set_on": ago(1).isoformat()})
    assert r.status_code in {status, 302}
    assert UnitGoal.objects.exists() == (status == 200)


def test_anonymous_visitors_are_sent_to_log_in(client_for, city):
    r = client_for("anonymous").post(URL, {"text": "x", "set_on": "2026-01-01"})
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    assert not UnitGoal.objects.exists()


def test_the_units_official_may_not_but_its_coordinator_may(client, city):
    official, lead = UserFactory(), UserFactory()
    MembershipFactory(unit=city["unit"], user=official, role="official")
    MembershipFactory(unit=city["division"], user=lead, role="coordinator")
    client.force_login(official)
    assert client.get(URL).status_code == 403
    client.force_login(lead)  # a coordinator of the division above manages the units below
    assert client.get(URL).status_code == 200
    assert client.get("/units/culture/goals/new/").status_code == 403


def test_the_form_offers_the_units_activisms(client_for, cases):
    r = in_english(client_for("coordinator")).get(URL)
    text = page_text(r)
    assert "Lauttasaaren REKO" in text
    assert "Kallion suunnittelijat" in text
    assert "Kulttuuriryhmä" not in text  # a case of another unit
    assert 'type="date"' in r.content.decode()


def test_a_coordinator_writes_a_goal(client_for, cases, coordinator):
    data = {
        "text": "  Tuemme REKO-renkaita ja suunnitteluryhmiä.  ",
        "set_on": ago(1).isoformat(),
        "activisms": [cases["reko"].activism.pk, cases["planners"].activism.pk],
    }
    r = in_english(client_for("coordinator")).post(URL, data)
    assert r.status_code == 302
    assert r["Location"] == "/units/planning/maturity/"
    goal = UnitGoal.objects.get()
    assert goal.unit.slug == "planning"
    assert goal.text == "Tuemme REKO-renkaita ja suunnitteluryhmiä."
    assert goal.set_on == ago(1)
    assert goal.author == coordinator
    assert set(goal.activisms.all()) == {cases["reko"].activism, cases["planners"].activism}
    page = in_english(client_for("official")).get(r["Location"])
    assert "Tuemme REKO-renkaita" in page_text(page)
    assert "1 goal names activisms (2 activisms named; needs 1)." in page_text(page)


def test_a_city_goal_may_name_activisms_of_its_units(client_for, cases):
    data = {
        "text": "Koko kaupunki",
        "set_on": ago(1).isoformat(),
        "activisms": [cases["elsewhere"].activism.pk, cases["reko"].activism.pk],
    }
    assert client_for("coordinator").post("/units/city/goals/new/", data).status_code == 302
    assert UnitGoal.objects.get().activisms.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "   "}, "This field is required."),
        ({"set_on": "not a date"}, "Enter a valid date."),
        ({"set_on": "future"}, "The date cannot be in the future."),
        ({"activisms": ["other-unit"]}, "Select a valid choice."),
        ({"activisms": ["999999"]}, "Select a valid choice."),
    ],
)
def test_bad_input_is_400_with_a_message_and_writes_nothing(client_for, cases, change, message):
    data = {
        "text": "Tavoite",
        "set_on": ago(1).isoformat(),
        "activisms": [cases["reko"].activism.pk],
    }
    data.update(change)
    if data["set_on"] == "future":
        data["set_on"] = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    if data["activisms"] == ["other-unit"]:
        data["activisms"] = [cases["elsewhere"].activism.pk]
    r = in_english(client_for("coordinator")).post(URL, data)
    assert r.status_code == 400
    text = page_text(r)
    assert message in text
    assert "The goal was not saved" in text
    assert not UnitGoal.objects.exists()


def test_an_activism_without_a_case_cannot_be_named(client_for, cases):
    stranger = ActivismFactory(name="Stranger")
    data = {"text": "Tavoite", "set_on": ago(1).isoformat(), "activisms": [stranger.pk]}
    assert client_for("coordinator").post(URL, data).status_code == 400
    assert not UnitGoal.objects.exists()


def test_an_unknown_unit_is_404(client_for, city):
    assert client_for("coordinator").get("/units/nowhere/goals/new/").status_code == 404


def test_put_is_not_allowed(client_for, city):
    assert client_for("coordinator").put(URL).status_code == 405
