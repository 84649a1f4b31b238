"""The unit report: one printable page that gathers what the unit's work with civic action
looks like — the stairs of each case, the maturity stage with its explanation, plans and
experiments with their lessons, thanks received and the unit's level of social-media
governance. Everything is read in a fixed number of queries, whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from portaat.cases import queries
from portaat.cases.maturity import Estimate
from portaat.cases.models import Assessment, Case, Perspective
from portaat.ladders import drawing
from portaat.ladders.models import Ladder, Stage
from portaat.registry.models import Unit

# The report lists every case; beyond this many a case gets a row in the table but no drawing
# (a printed report of hundreds of stairs helps nobody, and each drawing costs time).
MAX_DRAWINGS = 120


@dataclass
class Position:
    label: str
    current: int
    target: int
    current_title: str
    target_title: str
    assessed_on: dt.date


@dataclass
class CaseEntry:
    case: Case
    positions: list[Position]
    svg: str = ""
    plan: list[Any] = field(default_factory=list)


@dataclass
class UnitReport:
    unit: Unit
    today: dt.date
    estimate: Estimate
    stage: Stage | None
    next_stage: Stage | None
    cases: list[CaseEntry]
    drawn: int
    experiments: list[Any]
    thanks_total: Any
    thanks_year: Any
    somehallinto: dict[str, Any] | None
    figures: list[Any] = field(default_factory=list)


def _case_entries(unit_ids: list[int]) -> tuple[list[CaseEntry], int]:
    from portaat.cases.views import case_markers

    cases = list(
        queries.unit_cases(unit_ids)
        .select_related("activism", "ladder", "unit")
        .order_by("unit__name", "activism__name", "pk")
    )
    by_case: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in Assessment.objects.filter(case__in=cases).order_by(
        "case_id", "-assessed_on", "-created_at", "-pk"
    ):
        by_case[assessment.case_id].append(assessment)
    # one object per ladder, its steps read once, shared by the cases that use it
    ladders = {
        ladder.pk: ladder
        for ladder in Ladder.objects.filter(
            pk__in={case.ladder_id for case in cases}
        ).prefetch_related("steps")
    }
    titles: dict[tuple[int, int], str] = {
        (ladder.pk, step.level): step.title
        for ladder in ladders.values()
        for step in ladder.steps.all()
    }
    from portaat.repertoire.models import PlanItem

    plans: dict[int, list[PlanItem]] = defaultdict(list)
    for item in (
        PlanItem.objects.filter(case__in=cases).select_related("practice").order_by("due_on", "pk")
    ):
        plans[item.case_id].append(item)

    entries = []
    drawn = 0
    for case in cases:
        latest = queries.latest_of_each(by_case.get(case.pk, []))
        positions = [
            Position(
                label=str(Perspective(perspective).label)
                if perspective in Perspective.values
                else perspective,
                current=assessment.current_level,
                target=assessment.target_level,
                current_title=titles.get((case.ladder_id, assessment.current_level), ""),
                target_title=titles.get((case.ladder_id, assessment.target_level), ""),
                assessed_on=assessment.assessed_on,
            )
            for perspective, assessment in latest.items()
        ]
        entry = CaseEntry(case=case, positions=positions, plan=plans.get(case.pk, []))
        if latest and drawn < MAX_DRAWINGS:
            entry.svg = drawing.render_ladder(
                ladders[case.ladder_id], case_markers(latest), id_prefix=f"report-{case.pk}"
            )
            drawn += 1
        entries.append(entry)
    return entries, drawn


def _experiments(cases: list[CaseEntry]) -> list[Any]:
    from portaat.repertoire.models import Experiment

    return list(
        Experiment.objects.filter(cases__in=[entry.case for entry in cases])
        .distinct()
        .prefetch_related("practices")
        .order_by("-ends_on", "pk")
    )


def _somehallinto(unit: Unit) -> dict[str, Any] | None:
    from portaat.somehallinto.services import unit_level

    level: dict[str, Any] = unit_level(unit)
    return level


def build(unit: Unit, unit_ids: list[int], estimate: Estimate, today: dt.date) -> UnitReport:
    from portaat.figures.services import unit_figures
    from portaat.thanks.services import counts_for_unit

    stages = {stage.number: stage for stage in Stage.objects.all()}
    cases, drawn = _case_entries(unit_ids)
    return UnitReport(
        unit=unit,
        today=today,
        estimate=estimate,
        stage=stages.get(estimate.stage),
        next_stage=stages.get(estimate.stage + 1),
        cases=cases,
        drawn=drawn,
        experiments=_experiments(cases),
        thanks_total=counts_for_unit(unit),
        thanks_year=counts_for_unit(unit, since=today - dt.timedelta(days=365)),
        somehallinto=_somehallinto(unit),
        figures=unit_figures(unit),
    )
