"""Practices, plans, experiments, evidence and recommendations through the service functions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portaat.cases.services import record_assessment
from portaat.ladders.models import Ladder, Step
from portaat.repertoire import services
from portaat.repertoire.models import Experiment, PlanItem, Practice
from tests.factories import ActivismFactory, AreaFactory, CaseFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 10)


def test_every_ladder_step_is_a_builtin_practice(builtin):
    assert Practice.objects.filter(step__isnull=False).count() == Step.objects.count() == 40
    step = Step.objects.get(ladder__slug="city-planning", level=4)
    practice = step.practice
    assert practice.title_fi == "Viranhaltijat keskustelevat aktivistien someryhmissä"
    assert (practice.level_from, practice.level_to) == (4, 4)
    assert list(practice.ladders.all()) == [step.ladder]


def test_builtin_practices_follow_their_step_and_sync_is_idempotent(builtin):
    step = Step.objects.get(ladder__slug="reko", level=2)
    step.title_en = "Renamed"
    step.save()
    assert Practice.objects.get(step=step).title_en == "Renamed"
    assert services.sync_builtin_practices() == 0


def test_builtin_practices_are_read_only(builtin):
    practice = Practice.objects.filter(step__isnull=False).first()
    with pytest.raises(ValidationError):
        services.save_practice(
            practice=practice,
            texts={"title": {"fi": "X"}},
            level_from=1,
            level_to=1,
            action_type="recognise",
        )


@pytest.mark.parametrize(
    ("level_from", "level_to", "title"),
    [(0, 2, "X"), (3, 9, "X"), (5, 4, "X"), ("a", 4, "X"), (2, 3, "")],
)
def test_bad_practices_are_refused_and_nothing_is_written(builtin, level_from, level_to, title):
    before = Practice.objects.count()
    with pytest.raises(ValidationError):
        services.save_practice(
            practice=None,
            texts={"title": {"fi": title}},
            level_from=level_from,
            level_to=level_to,
            action_type="develop",
        )
    assert Practice.objects.count() == before


def test_a_user_practice_over_a_range_of_levels(builtin, official):
    reko = Ladder.objects.get(slug="reko")
    practice = services.save_practice(
        practice=None,
        texts={"title": {"fi": "Tilalupien pikakaista", "sv": "Snabbfil för lokaltillstånd"}},
        level_from=3,
        level_to=5,
        action_type="develop",
        ladders=[reko],
        by=official,
        links=["https://example.org/ohje", " "],
    )
    assert practice.covers(4) and not practice.covers(6)
    assert practice.links == ["https://example.org/ohje"]


def test_a_practice_is_planned_once_per_case(reko_case, official):
    practice = Practice.objects.filter(step__ladder__slug="reko", level_from=4).get()
    item = services.plan_practice(reko_case, practice, owner=official, due_on=START)
    with pytest.raises(ValidationError):
        services.plan_practice(reko_case, practice)
    assert PlanItem.objects.get() == item
    services.update_plan_item(item, status="done", owner=official, due_on=START)
    with pytest.raises(ValidationError):
        services.update_plan_item(item, status="finished")


def test_closing_an_experiment_records_outcome_and_prompts_reassessment(reko_case, official):
    practice = Practice.objects.filter(step__ladder__slug="reko", level_from=4).get()
    experiment = services.create_experiment(
        title="Vuosittainen REKO-tapahtuma",
        hypothesis="Ylläpitäjät verkostoituvat",
        practices=[practice],
        cases=[reko_case],
        starts_on=START,
        ends_on=START + dt.timedelta(days=60),
        owner=official,
    )
    assert experiment.status == "running"
    with pytest.raises(ValidationError):
        services.close_experiment(experiment, outcome="worked", lessons="  ")
    with pytest.raises(ValidationError):
        services.close_experiment(experiment, outcome="great", lessons="x")
    to_reassess = services.close_experiment(
        experiment, outcome="worked", lessons="Tapahtuma kannattaa pitää keväällä."
    )
    assert to_reassess == [reko_case]
    evidence = services.evidence_for([practice.pk])[practice.pk]
    assert (evidence.tried, evidence.worked) == (1, 1)
    assert evidence.experiments == [experiment]
    with pytest.raises(ValidationError):
        services.close_experiment(experiment, outcome="worked", lessons="again")


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": " "},
        {"hypothesis": ""},
        {"practices": []},
        {"cases": []},
        {"ends_on": START - dt.timedelta(days=1)},
    ],
)
def test_bad_experiments_are_refused(reko_case, overrides):
    practice = Practice.objects.filter(step__ladder__slug="reko", level_from=4).get()
    values = {
        "title": "T",
        "hypothesis": "H",
        "practices": [practice],
        "cases": [reko_case],
        "starts_on": START,
        "ends_on": START,
    }
    values.update(overrides)
    with pytest.raises(ValidationError):
        services.create_experiment(**values)
    assert not Experiment.objects.exists()


def _reko_case(unit, name, area, current, target, official):
    ring = ActivismFactory(name=name, areas=[area])
    case = CaseFactory(activism=ring, unit=unit, ladder=Ladder.objects.get(slug="reko"))
    record_assessment(
        case,
        perspective="official",
        current_level=current,
        target_level=target,
        assessed_on=START - dt.timedelta(days=30),
        by=official,
    )
    return case


def test_recommendations_from_similar_cases_with_reasons(builtin, unit, official):
    helsinki = AreaFactory(key="helsinki", name="Helsinki", kind="municipality")
    kallio = AreaFactory(key="kallio", name="Kallio", parent=helsinki)
    vallila = AreaFactory(key="vallila", name="Vallila", parent=helsinki)
    here = _reko_case(unit, "Kallion REKO", kallio, 3, 5, official)
    others = [_reko_case(unit, f"REKO {n}", vallila, 3, 5, official) for n in range(4)]
    event = Practice.objects.get(step__ladder__slug="reko", level_from=4)
    stats = Practice.objects.get(step__ladder__slug="reko", level_from=5)
    for n, other in enumerate(others):
        experiment = services.create_experiment(
            title=f"Kokeilu {n}",
            hypothesis="H",
            practices=[event],
            cases=[other],
            starts_on=START,
            ends_on=START,
            owner=official,
        )
        services.close_experiment(
            experiment, outcome="worked" if n < 3 else "failed", lessons="Opittiin."
        )
        record_assessment(
            other, perspective="official", current_level=5, target_level=5, by=official
        )
    # tried here already: not recommended
    services.plan_practice(here, stats)
    tried_here = services.create_experiment(
        title="Tilastointi",
        hypothesis="H",
        practices=[stats],
        cases=[others[0]],
        starts_on=START,
        ends_on=START,
    )
    services.close_experiment(tried_here, outcome="worked", lessons="Hyvä.")

    [(practice, rec)] = services.recommendations_for_case(here)
    assert practice == event
    assert (rec.tried, rec.worked) == (4, 3.0)
    with translation.override("en"):
        assert (
            services.reason(rec) == "worked in 3 of 4 similar cases, typically moving from 3 to 5"
        )
    assert services.reason(rec) == (
        "onnistunut 3/4 samankaltaisessa tapauksessa, tyypillisesti tasolta 3 tasolle 5"
    )


def test_suggestions_favour_the_next_levels_and_evidence(builtin, reko_case, official):
    record_assessment(
        reko_case, perspective="official", current_level=3, target_level=6, by=official
    )
    suggested = [p for p, _e in services.suggestions_for_case(reko_case)]
    assert suggested, "the next levels have built-in practices"
    assert all(p.level_from <= 5 and p.level_to >= 4 for p in suggested)
