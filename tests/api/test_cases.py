from __future__ import annotations

import datetime as dt

import pytest

from portaat.cases.services import log_interaction, record_assessment
from tests.factories import ActivismFactory, CaseFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(reko_case, official, activist):
    reko_case.internal_notes = "Sisäinen muistiinpano"
    reko_case.save()
    record_assessment(
        reko_case,
        perspective="official",
        current_level=2,
        target_level=5,
        rationale="R",
        by=official,
    )
    record_assessment(
        reko_case, perspective="activist", current_level=2, target_level=7, by=activist
    )
    log_interaction(reko_case, kind="event", happened_on=dt.date(2026, 5, 1), by=official)
    other = CaseFactory(activism=ActivismFactory(name="Toinen"), unit=UnitFactory(slug="elsewhere"))
    return reko_case, other


def test_anonymous_readers_get_no_cases(client, assessed):
    assert client.get("/api/v1/cases/").status_code == 403
    assert client.get("/api/v1/assessments/").status_code == 403


def test_an_official_of_the_unit_sees_cases_with_notes(client_for, assessed):
    case, other = assessed
    data = client_for("official").get("/api/v1/cases/").json()["results"]
    by_id = {item["id"]: item for item in data}
    assert set(by_id) == {case.pk, other.pk}
    assert by_id[case.pk]["internal_notes"] == "Sisäinen muistiinpano"
    # the official is not a member of the other case's unit
    assert by_id[other.pk]["internal_notes"] is None


def test_maintainers_see_their_activisms_cases_without_notes(client_for, assessed):
    case, _other = assessed
    data = client_for("activist").get("/api/v1/cases/").json()["results"]
    assert [item["id"] for item in data] == [case.pk]
    assert data[0]["internal_notes"] is None
    levels = client_for("activist").get(f"/api/v1/assessments/?case={case.pk}").json()["results"]
    assert {(a["perspective"], a["target_level"]) for a in levels} == {
        ("official", 5),
        ("activist", 7),
    }


def test_other_activists_see_nothing(client_for, assessed, roles):
    from tests.factories import UserFactory

    client = client_for("activist")
    client.force_login(UserFactory(username="someone@example.org"))
    assert client.get("/api/v1/cases/").json()["results"] == []
    assert client.get("/api/v1/interactions/").json()["results"] == []


def test_filters_cases_by_unit_and_ladder(client_for, assessed):
    client = client_for("official")
    data = client.get("/api/v1/cases/?unit=planning&ladder=reko").json()["results"]
    assert len(data) == 1
    bad = client.get("/api/v1/assessments/?since=yesterday")
    assert bad.status_code == 400
