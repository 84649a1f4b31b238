"""/units/<slug>/maturity/: the estimate with every criterion, children, goals and judgements."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portaat.cases.services import add_goal, record_judgement
from portaat.ladders.models import Stage
from tests.factories import AssessmentFactory
from tests.units.conftest import ago, in_english, page_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("activist", 403),
        ("researcher", 403),
        ("official", 200),
        ("coordinator", 200),
        ("admin", 200),
    ],
)
def test_who_may_see_the_maturity_page(client_for, builtin, city, persona, status):
    assert client_for(persona).get("/units/planning/maturity/").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client_for, city):
    r = client_for("anonymous").get("/units/city/maturity/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/units/city/maturity/"


def test_an_empty_unit_is_at_stage_one_with_the_stage_titles(client_for, builtin, city):
    r = in_english(client_for("official")).get("/units/planning/maturity/")
    assert r.context["estimate"].stage == 1
    text = page_text(r)
    stage_one = Stage.objects.get(number=1)
    stage_two = Stage.objects.get(number=2)
    assert f"Estimated stage 1 {stage_one.title_en}" in text
    assert f"What would lift this unit to stage 2: {stage_two.title_en}" in text
    assert "0 cases registered (needs 1)." in text
    for number in range(2, 6):
        assert Stage.objects.get(number=number).title_en in text


def test_the_page_explains_every_criterion_with_numbers(client_for, unit, make_case, coordinator):
    first = make_case(unit, "reko", [(ago(2), 2, 5)], name="A")
    make_case(unit, "city-planning", [(ago(14), 3, 3)], name="B")
    make_case(unit, "reko", [], name="C")
    add_goal(unit, text="Tukea REKO-renkaita", set_on=ago(1), activisms=[first.activism])
    r = in_english(client_for("official")).get("/units/planning/maturity/")
    estimate = r.context["estimate"]
    assert estimate.stage == 3
    text = page_text(r)
    assert "3 cases registered (needs 1)." in text
    assert "2 of 3 cases assessed (needs 1)." in text
    assert "1 goal names activisms (1 activisms named; needs 1)." in text
    assert "2 of 3 cases have a target (67 %, needs 50 %)." in text
    assert "Not yet measurable: plans arrive with the repertoire of practices." in text
    assert "Assessments cover 2 domains (needs 2)." in text
    assert "1 of 3 cases assessed within 12 months (33 %, needs 50 %)." in text
    assert "Not yet measurable: lessons arrive" in text
    # what would lift it: the unmet criterion of stage 4, in plain words
    assert [c.key for c in estimate.lift] == ["renewed"]
    assert "Renew the assessment of 1 more case." in text
    assert "Tukea REKO-renkaita" in text
    assert "Activisms named: A" in text
    assert "Assessments counted: Officials, Workshop." in text


def test_workshop_assessments_count_but_activists_do_not(client_for, unit, make_case):
    make_case(unit, "reko", [(ago(1), 2, 5)], perspective="workshop")
    make_case(unit, "reko", [(ago(1), 2, 7)], perspective="activist")
    r = in_english(client_for("official")).get("/units/planning/maturity/")
    assert "1 of 2 cases assessed (needs 1)." in page_text(r)
    assert r.context["estimate"].facts["max_level"] == 5


def test_settings_tune_the_rules(client_for, unit, make_case, settings):
    settings.PORTAAT_MATURITY_RULES = {"perspectives": ["official", "activist"], "top_level": 6}
    make_case(unit, "reko", [(ago(1), 2, 6)], perspective="activist")
    r = in_english(client_for("official")).get("/units/planning/maturity/")
    text = page_text(r)
    assert "1 of 1 case assessed (needs 1)." in text
    assert "level 6 or higher" in text
    assert "Assessments counted: Officials, Activists." in text


def test_a_city_is_estimated_over_its_units_and_lists_their_stages(
    client_for, city, unit, make_case
):
    make_case(unit, "reko", [(ago(1), 2, 5)])
    make_case(city["other"], "city-planning", [(ago(1), 3, 8)])
    add_goal(city["other"], text="Kulttuuri", set_on=ago(1), activisms=[])
    r = in_english(client_for("official")).get("/units/city/maturity/")
    estimate = r.context["estimate"]
    assert estimate.facts["cases"] == 2
    assert estimate.facts["domains"] == 2
    assert estimate.facts["max_level"] == 8
    children = {child.slug: est.stage for child, est, _title in r.context["children"]}
    assert children == {"environment": 2, "culture": 2}
    text = page_text(r)
    assert "Units below" in text
    assert "Computed over the cases and goals of this unit and 3 units below it." in text
    assert "Kulttuuri" in text  # goals of the units below are listed, with their unit
    assert "Names no activisms." in text
    division = in_english(client_for("official")).get("/units/environment/maturity/")
    assert division.context["estimate"].facts["cases"] == 1


def test_judgements_are_listed_beside_the_estimate(client_for, unit, coordinator):
    record_judgement(unit, stage=3, estimated_stage=1, rationale="Teemme enemmän", by=coordinator)
    r = in_english(client_for("official")).get("/units/planning/maturity/")
    text = page_text(r)
    assert "The unit's own judgement 3" in text
    assert "when the estimate was 1" in text
    assert "Teemme enemmän" in text
    assert "coordinator@example.org" in text


def test_only_coordinators_see_the_forms(client_for, unit, builtin):
    official = client_for("official").get("/units/planning/maturity/").content.decode()
    assert "/units/planning/maturity/judgement/" not in official
    assert "/units/planning/goals/new/" not in official
    coordinator = client_for("coordinator").get("/units/planning/maturity/").content.decode()
    assert 'action="/units/planning/maturity/judgement/"' in coordinator
    assert 'href="/units/planning/goals/new/"' in coordinator


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_cases(client_for, city, unit, make_case):
    client = client_for("official")
    make_case(unit, "reko", [(ago(1), 2, 5)])
    add_goal(unit, text="Goal", set_on=ago(1), activisms=[])
    small = _queries(client, "/units/city/maturity/")
    for i in range(20):
        case = make_case((unit, city["other"])[i % 2], "reko", [(ago(i), 2, 5), (ago(30), 1, 2)])
        AssessmentFactory(case=case, assessed_on=ago(13), perspective="workshop")
    add_goal(city["other"], text="Goal", set_on=ago(1), activisms=[])
    assert _queries(client, "/units/city/maturity/") == small
