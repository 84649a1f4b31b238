"""``services.cases_for_practice``: the cases where a practice could apply next, on crafted data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from portaat.cases.services import record_assessment
from portaat.ladders.models import Ladder
from portaat.repertoire import services
from tests.factories import ActivismFactory, ActivismKindFactory, AreaFactory, CaseFactory

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2025, 12, 1)
START = dt.date(2026, 1, 10)
AFTER = dt.date(2026, 3, 1)


@pytest.fixture
def world(builtin, official):
    """A practice for levels 4–5 on the REKO ladder that worked in two REKO rings in Kallio,
    and a handful of other cases, each there to be found or left out for one reason."""
    reko = Ladder.objects.get(slug="reko")
    planning = Ladder.objects.get(slug="city-planning")
    ring = ActivismKindFactory()  # reko-ring
    group = ActivismKindFactory(slug="planning-group", name_fi="Suunnitteluryhmä")
    kallio = AreaFactory(key="helsinki-kallio", name="Kallio")
    tapiola = AreaFactory(key="espoo-tapiola", name="Tapiola", municipality="Espoo")
    practice = services.save_practice(
        practice=None,
        texts={"title": {"fi": "Jakopaikan pikalupa"}},
        level_from=4,
        level_to=5,
        action_type="develop",
        ladders=[reko],
    )

    def case(name, *, ladder=reko, kind=ring, areas=(kallio,), levels=None, on=AFTER):
        made = CaseFactory(
            activism=ActivismFactory(name=name, kind=kind, areas=list(areas)), ladder=ladder
        )
        if levels:
            record_assessment(
                made,
                perspective="official",
                current_level=levels[0],
                target_level=levels[1],
                assessed_on=on,
                by=official,
            )
        return made

    def experiment(cases, outcome):
        made = services.create_experiment(
            title=f"Kokeilu {outcome}",
            hypothesis="h",
            practices=[practice],
            cases=cases,
            starts_on=START,
            ends_on=START + dt.timedelta(days=30),
        )
        if outcome:
            services.close_experiment(made, outcome=outcome, lessons="l")
        return made

    worked = [case(f"Onnistunut {n}", levels=(3, 5), on=BEFORE) for n in (1, 2)]
    experiment(worked, "worked")
    for done in worked:
        record_assessment(
            done,
            perspective="official",
            current_level=5,
            target_level=5,
            assessed_on=AFTER,
            by=official,
        )
    failed = case("Epäonnistunut", kind=group, areas=(tapiola,), levels=(2, 4))
    experiment([failed], "failed")

    cases = {
        # found: most like the rings where it worked (same ladder, kind and area)
        "near": case("Kallion REKO", levels=(3, 5)),
        # found: same ladder and kind, another area
        "far": case("Tapiolan REKO", areas=(tapiola,), levels=(3, 4)),
        # found, without a similar case: only the ladder in common
        "unlike": case("Tapiolan ryhmä", kind=group, areas=(tapiola,), levels=(2, 4)),
        # left out
        "already_there": case("Jo tasolla", levels=(4, 6)),
        "low_target": case("Matala tavoite", levels=(2, 3)),
        "other_ladder": case("Kaavaryhmä", ladder=planning, levels=(3, 5)),
        "unassessed": case("Arvioimaton"),
        "planned": case("Suunniteltu", levels=(3, 5)),
        "tried": case("Kokeilussa", levels=(3, 5)),
        "moved_on": case("Edennyt", levels=(3, 5), on=BEFORE),
    }
    services.plan_practice(cases["planned"], practice)
    experiment([cases["tried"]], None)  # still running: tried all the same
    record_assessment(
        cases["moved_on"],
        perspective="official",
        current_level=4,
        target_level=6,
        assessed_on=AFTER,
        by=official,
    )
    # another perspective's view does not move the case
    record_assessment(
        cases["near"],
        perspective="researcher",
        current_level=6,
        target_level=7,
        assessed_on=AFTER + dt.timedelta(days=1),
    )
    return practice, cases, worked


def test_cases_where_it_could_apply_next_are_ranked_with_reasons(world, official):
    practice, cases, _worked = world
    with translation.override("en"):
        found = services.cases_for_practice(practice, official)
    assert [a.case for a in found] == [cases["near"], cases["far"], cases["unlike"]]
    near, far, unlike = found
    assert (near.current, near.target, near.similar_worked) == (3, 5, 2)
    assert near.similarity > far.similarity > 0
    assert near.reason == (
        "similar to 2 cases where it worked; now at level 3 with target 5, so it is the next step"
    )
    assert far.similar_worked == 2
    assert unlike.similar_worked == 0
    assert unlike.reason.startswith("no similar case has tried it yet; now at level 2")
    assert "next step" not in unlike.reason


def test_cases_that_planned_or_tried_it_or_do_not_fit_are_left_out(world, official):
    practice, cases, worked = world
    found = {a.case.pk for a in services.cases_for_practice(practice, official)}
    for name in (
        "already_there",
        "low_target",
        "other_ladder",
        "unassessed",
        "planned",
        "tried",
        "moved_on",
    ):
        assert cases[name].pk not in found, name
    assert not found & {w.pk for w in worked}


def test_a_practice_for_every_domain_looks_at_every_ladder(world, official):
    practice, cases, _worked = world
    practice.ladders.clear()
    found = {a.case.pk for a in services.cases_for_practice(practice, official)}
    assert cases["other_ladder"].pk in found


def test_only_the_administration_is_told(world, personas):
    practice, _cases, _worked = world
    for persona in ("anonymous", "activist", "researcher"):
        assert services.cases_for_practice(practice, personas[persona]) == []
    for persona in ("official", "coordinator", "admin"):
        assert len(services.cases_for_practice(practice, personas[persona])) == 3


def test_the_practice_page_lists_them_in_order(world, client_for):
    practice, cases, _worked = world
    html = client_for("coordinator").get(f"/practices/{practice.pk}/").content.decode()
    positions = [html.index(f'data-case="{cases[name].pk}"') for name in ("near", "far", "unlike")]
    assert positions == sorted(positions)
    assert f'data-case="{cases["planned"].pk}"' not in html
