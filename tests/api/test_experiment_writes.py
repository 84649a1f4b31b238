"""Experiments through the API (POST /api/v1/experiments/, …/{id}/close/, …/{id}/abandon/):
the administration starts one in the cases they may change and closes or abandons it, checked
by the experiment pages' forms and rules; others are refused and nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client

from portaat.repertoire import services
from portaat.repertoire.models import Experiment, Practice
from tests.factories import CaseFactory
from tests.helpers import translation_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/experiments/"


@pytest.fixture
def practice(builtin):
    services.sync_builtin_practices()
    return Practice.objects.order_by("pk").first()


def _post(client, path, body, **extra):
    return client.post(path, body, content_type="application/json", **extra)


def _body(case, practice, **overrides):
    body = {
        "title": "Yhteinen jakelupaikka",
        "hypothesis": "Kirjaston aula jakelupaikkana tuo uusia jäseniä.",
        "practices": [practice.pk],
        "cases": [case.pk],
        "starts_on": "2026-11-01",
        "ends_on": "2027-02-28",
    }
    body.update(overrides)
    return body


def test_an_official_starts_closes_an_experiment(client_for, personas, reko_case, practice):
    official = client_for("official")
    made = _post(official, URL, _body(reko_case, practice, success_criteria="10 uutta"))
    assert made.status_code == 201, made.json()
    item = made.json()
    assert (item["status"], item["practices"], item["cases"]) == (
        "running",
        [practice.pk],
        [reko_case.pk],
    )
    assert Experiment.objects.get().owner == personas["official"]
    closed = _post(
        official,
        f"{URL}{item['id']}/close/",
        {
            "outcome": "worked",
            "lessons": "Aula toimi; tarvitaan kyltti.",
            "evidence_links": ["https://example.org/raportti"],
        },
    )
    assert closed.status_code == 200, closed.json()
    assert (closed.json()["status"], closed.json()["outcome"]) == ("done", "worked")
    assert closed.json()["evidence_links"] == ["https://example.org/raportti"]
    again = _post(
        official,
        f"{URL}{item['id']}/abandon/",
        {"lessons": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["The experiment is already closed."]}


def test_abandoning_with_the_reason(client_for, reko_case, practice):
    official = client_for("official")
    pk = _post(official, URL, _body(reko_case, practice)).json()["id"]
    response = _post(official, f"{URL}{pk}/abandon/", {"lessons": "Kirjasto suljettiin."})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["lessons"]) == (
        "abandoned",
        "Kirjasto suljettiin.",
    )


def test_only_the_cases_one_may_change(client_for, reko_case, practice):
    elsewhere = CaseFactory()
    response = _post(
        client_for("official"),
        URL,
        _body(reko_case, practice, cases=[reko_case.pk, elsewhere.pk]),
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 400
    assert response.json() == {
        "cases": [translation_of("You may only choose cases of your own units.", "fi")]
    }
    assert not Experiment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"practices": [999999]}, "practices"),
        ({"practices": []}, "practices"),
        ({"hypothesis": ""}, "hypothesis"),
        ({"ends_on": "2026-10-01"}, "non_field_errors"),
        ({"starts_on": "someday"}, "starts_on"),
    ],
)
def test_bad_input_is_a_400_that_saves_nothing(client_for, reko_case, practice, overrides, field):
    response = _post(client_for("official"), URL, _body(reko_case, practice, **overrides))
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Experiment.objects.exists()


def test_closing_needs_lessons_and_a_known_outcome(client_for, reko_case, practice):
    official = client_for("official")
    pk = _post(official, URL, _body(reko_case, practice)).json()["id"]
    for body, field in (
        ({"outcome": "worked", "lessons": "   "}, "lessons"),
        ({"outcome": "great", "lessons": "x"}, "outcome"),
        ({"outcome": "worked", "lessons": "x", "evidence_links": ["not a link"]}, "evidence_links"),
    ):
        response = _post(official, f"{URL}{pk}/close/", body)
        assert response.status_code == 400
        assert field in response.json(), response.json()
    assert Experiment.objects.get().status == "running"


def test_outside_the_administration_nothing_is_started_or_closed(client_for, reko_case, practice):
    experiment = services.create_experiment(
        title="t",
        hypothesis="h",
        practices=[practice],
        cases=[reko_case],
        starts_on=reko_case.created_at.date(),
        ends_on=reko_case.created_at.date(),
    )
    for persona in ("activist", "researcher"):
        client = client_for(persona)
        assert _post(client, URL, _body(reko_case, practice)).status_code == 403
        closing = {"outcome": "worked", "lessons": "x"}
        assert _post(client, f"{URL}{experiment.pk}/close/", closing).status_code == 403
    assert _post(Client(), URL, _body(reko_case, practice)).status_code == 403
    assert Experiment.objects.count() == 1
    experiment.refresh_from_db()
    assert experiment.status != "done"


def test_an_official_of_another_unit_may_not_close_it(roles, reko_case, practice):
    from tests.factories import MembershipFactory, UserFactory

    experiment = services.create_experiment(
        title="t",
        hypothesis="h",
        practices=[practice],
        cases=[reko_case],
        starts_on=reko_case.created_at.date(),
        ends_on=reko_case.created_at.date(),
    )
    other = UserFactory(username="other@example.org", role="official")
    MembershipFactory(unit=CaseFactory().unit, user=other)
    client = Client()
    client.force_login(other)
    response = _post(client, f"{URL}{experiment.pk}/close/", {"outcome": "worked", "lessons": "x"})
    assert response.status_code == 403
    experiment.refresh_from_db()
    assert experiment.status != "done"


def test_an_items_error_names_the_item_in_the_documented_shape(client_for, reko_case, practice):
    """A list's item (``practices[1]``) is refused as ``{"practices": ["1: …"]}``: each field
    with a list of messages, as the schema says, not DRF's nested objects."""
    response = _post(
        client_for("official"),
        URL,
        _body(reko_case, practice, practices=[practice.pk, 0]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"practices": ["1: Ensure this value is greater than or equal to 1."]}
