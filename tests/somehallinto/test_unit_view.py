"""/somehallinto/units/<slug>/: the unit's own level beside its officials'."""

from __future__ import annotations

import pytest

from portaat.somehallinto import services
from portaat.somehallinto.models import SelfAssessment
from tests.somehallinto.conftest import in_english

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [("activist", 403), ("researcher", 403), ("official", 200), ("coordinator", 200)],
)
def test_who_may_see_the_unit(client_for, guidance, unit, persona, status):
    assert client_for(persona).get("/somehallinto/units/planning/").status_code == status


def test_an_unknown_unit_is_not_found(client_for, guidance, unit):
    assert client_for("official").get("/somehallinto/units/nowhere/").status_code == 404


def test_the_unit_view_aggregates_its_officials(client_for, guidance, unit, official):
    services.assess_self(official, current=4, target=6)
    page = in_english(client_for("official")).get("/somehallinto/units/planning/").content.decode()
    assert "1 of 2 members has assessed themselves" in page
    assert "Median: level 4 now, level 6 as the target." in page
    # an official of the unit sees it but does not record the unit's own level
    assert "The unit&#x27;s self-assessment" not in page


def test_the_units_coordinator_records_the_units_own_level(client_for, guidance, unit, official):
    response = client_for("coordinator").post(
        "/somehallinto/units/planning/", {"current_level": "2", "target_level": "4", "note": ""}
    )
    assert response["Location"] == "/somehallinto/units/planning/"
    assert SelfAssessment.objects.get(unit=unit).current_level == 2
    # an official of the unit may not
    refused = client_for("official").post(
        "/somehallinto/units/planning/", {"current_level": "8", "target_level": "8"}
    )
    assert refused.status_code == 403
    assert SelfAssessment.objects.filter(unit=unit).count() == 1


def test_a_bad_unit_assessment_changes_nothing(client_for, guidance, unit):
    response = client_for("coordinator").post(
        "/somehallinto/units/planning/", {"current_level": "0", "target_level": "4"}
    )
    assert response.status_code == 400
    assert not SelfAssessment.objects.exists()
