"""/units/<slug>/report/: the print-ready unit report in fi, sv and en."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portaat.repertoire import services as repertoire
from portaat.repertoire.models import Practice
from tests.factories import ThanksFactory
from tests.units.conftest import ago, in_english, page_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [("activist", 403), ("researcher", 403), ("official", 200), ("coordinator", 200)],
)
def test_who_may_read_the_report(client_for, builtin, city, persona, status):
    assert client_for(persona).get("/units/planning/report/").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client_for, city):
    response = client_for("anonymous").get("/units/planning/report/")
    assert response["Location"] == "/accounts/login/?next=/units/planning/report/"


def test_an_unknown_unit_is_not_found(client_for, builtin, city):
    assert client_for("official").get("/units/no-such-unit/report/").status_code == 404


def test_the_report_draws_the_stairs_of_each_case_with_its_positions(
    client_for, builtin, unit, make_case
):
    make_case(unit, "reko", [(ago(2), 2, 5)], name="REKO Kallio")
    make_case(unit, "reko", [(ago(1), 3, 6)], perspective="activist", name="Lainaamo")
    make_case(unit, "reko", [], name="Uusi rengas")
    response = in_english(client_for("official")).get("/units/planning/report/")
    assert response.status_code == 200
    body = response.content.decode()
    # one stairs drawing per assessed case, none for the case nobody has assessed
    assert body.count('<figure class="stairs-figure unit-report__stairs">') == 2
    text = page_text(response)
    assert "REKO Kallio" in text and "Lainaamo" in text and "Uusi rengas" in text
    assert "Nobody has assessed this case yet." in text
    report = response.context["report"]
    levels = {
        e.case.activism.name: [(p.current, p.target) for p in e.positions] for e in report.cases
    }
    assert levels == {"REKO Kallio": [(2, 5)], "Lainaamo": [(3, 6)], "Uusi rengas": []}


def test_the_report_explains_the_maturity_stage_and_counts_thanks(
    client_for, builtin, unit, make_case
):
    make_case(unit, "reko", [(ago(2), 2, 5)], name="REKO Kallio")
    ThanksFactory(unit=unit, status="approved")
    ThanksFactory(unit=unit, status="approved")
    ThanksFactory(unit=unit)  # waiting for moderation: not counted
    response = in_english(client_for("official")).get("/units/planning/report/")
    report = response.context["report"]
    assert report.estimate.stage >= 1
    assert report.stage is not None and report.stage.number == report.estimate.stage
    text = page_text(response)
    assert f"Maturity: stage {report.estimate.stage} — {report.stage.title}" in text
    if report.stage.description:
        assert report.stage.description.split()[0] in text
    assert report.thanks_total.total == 2
    assert "Thanks to the unit 2 2" in text


def test_plans_and_experiments_with_lessons_are_in_the_report(
    client_for, builtin, unit, make_case, official
):
    case = make_case(unit, "reko", [(ago(2), 2, 5)], name="REKO Kallio")
    practice = Practice.objects.filter(step__ladder=case.ladder).first()
    repertoire.plan_practice(case, practice, owner=official)
    experiment = repertoire.create_experiment(
        title="Yhteinen noutopiste",
        hypothesis="Yhteinen noutopiste lisää tilauksia.",
        practices=[practice],
        cases=[case],
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 1),
        owner=official,
    )
    experiment.lessons = "Kirjasto oli hyvä paikka."
    experiment.save()
    text = page_text(in_english(client_for("official")).get("/units/planning/report/"))
    assert str(practice.title) in text
    assert "Yhteinen noutopiste" in text
    assert "Lessons learned: Kirjasto oli hyvä paikka." in text


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("fi", "Kunkin tapauksen portaat"),
        ("sv", "Trappan för varje fall"),
        ("en", "The stairs of each case"),
    ],
)
def test_the_report_is_in_finnish_swedish_and_english(
    client_for, builtin, unit, make_case, language, heading
):
    from django.conf import settings

    make_case(unit, "reko", [(ago(2), 2, 5)], name="REKO Kallio")
    client = client_for("official")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/units/planning/report/")
    assert f'<html lang="{language}">' in response.content.decode()
    assert heading in page_text(response)
    assert "<svg" in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_cases(client_for, builtin, unit, make_case):
    client = client_for("official")
    make_case(unit, "reko", [(ago(2), 2, 5)])
    client.get("/units/planning/report/")
    with CaptureQueriesContext(connection) as few:
        client.get("/units/planning/report/")
    for _ in range(6):
        make_case(unit, "reko", [(ago(2), 2, 5)])
    with CaptureQueriesContext(connection) as many:
        client.get("/units/planning/report/")
    assert len(many) == len(few)


def test_the_report_shows_the_activity_figures_of_the_units_activisms(
    client_for, builtin, unit, make_case
):
    from django.utils import timezone

    from portaat.figures import services as figures
    from portaat.registry.models import ActivismKind
    from portaat.registry.services import load_builtin_kinds

    load_builtin_kinds()
    figures.load_builtin_metrics()
    case = make_case(unit, "reko", [(ago(2), 2, 5)], name="REKO Kallio")
    case.activism.kind = ActivismKind.objects.get(slug="reko-ring")
    case.activism.save()
    month = timezone.localdate().replace(day=1)
    figures.submit(case.activism, period=month, values={"orders": 321})
    response = in_english(client_for("official")).get("/units/planning/report/")
    text = page_text(response)
    assert "Activity figures" in text
    assert "321" in text
    assert response.content.decode().count('class="figure-chart') >= 1


def test_a_report_without_figures_says_so(client_for, builtin, unit):
    text = page_text(in_english(client_for("official")).get("/units/planning/report/"))
    assert "No figures reported yet." in text
