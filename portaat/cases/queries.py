"""Read querysets for cases, built in one place so list pages stay free of N+1 queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from portaat.cases.maturity import CaseRecord, GoalRecord, reference_dates
from portaat.cases.models import (
    Assessment,
    Case,
    Interaction,
    MaturityJudgement,
    Perspective,
    UnitGoal,
)
from portaat.registry.models import Activism, Area, Unit


def latest_assessment_id(perspective: str) -> Subquery:
    """Correlated subquery: the id of a case's latest assessment in one perspective.

    Uses the ``assessment_latest_idx`` index (case, perspective, -assessed_on, -created_at).
    """
    return Subquery(
        Assessment.objects.filter(case=OuterRef("pk"), perspective=perspective)
        .order_by("-assessed_on", "-created_at", "-pk")
        .values("pk")[:1]
    )


def cases_with_latest(perspective: str = "official") -> QuerySet[Case]:
    """Cases with their activism, unit and ladder, annotated with ``latest_id``."""
    return Case.objects.select_related("activism", "activism__kind", "unit", "ladder").annotate(
        latest_id=latest_assessment_id(perspective)
    )


def attach_latest(cases: Iterable[Case]) -> list[Case]:
    """Fetch the annotated latest assessments in one query and set ``case.latest``."""
    cases = list(cases)
    ids = [case.latest_id for case in cases if getattr(case, "latest_id", None)]  # type: ignore[attr-defined]
    by_id = Assessment.objects.in_bulk(ids)
    for case in cases:
        case.latest = by_id.get(getattr(case, "latest_id", None))  # type: ignore[attr-defined,arg-type]
    return cases


def latest_by_perspective(case: Case) -> dict[str, Assessment]:
    """The newest assessment of each perspective for one case (the case page)."""
    latest: dict[str, Assessment] = {}
    for assessment in case.assessments.order_by("-assessed_on", "-created_at", "-pk"):
        latest.setdefault(assessment.perspective, assessment)
    return latest


# --- the case page ---------------------------------------------------------------------------


def case_for_page() -> QuerySet[Case]:
    """A case with everything its page and its permission checks read, in two queries.

    The unit's parents feed ``access.is_unit_member`` (a division sees its services' cases);
    the ladder's steps feed the stairs, the level titles and the assessment form.
    """
    return Case.objects.select_related(
        "activism", "activism__kind", "unit__parent__parent", "ladder"
    ).prefetch_related("ladder__steps")


def case_history(case: Case) -> list[Assessment]:
    """Every assessment of the case, newest first, with its author (one query)."""
    return list(
        Assessment.objects.filter(case=case)
        .select_related("author")
        .order_by("-assessed_on", "-created_at", "-pk")
    )


def case_interactions(case: Case) -> list[Interaction]:
    """Every interaction logged on the case, newest first, with its author (one query)."""
    return list(
        Interaction.objects.filter(case=case)
        .select_related("author", "event_note")
        .order_by("-happened_on", "-created_at", "-pk")
    )


def latest_of_each(history: Iterable[Assessment]) -> dict[str, Assessment]:
    """The newest assessment of each perspective, from a history ordered newest first.

    Keyed in the order of ``Perspective`` (officials, activists, researchers, workshop), so
    pages list the perspectives the same way everywhere.
    """
    latest: dict[str, Assessment] = {}
    for assessment in history:
        latest.setdefault(assessment.perspective, assessment)
    return {p: latest[p] for p in Perspective.values if p in latest}


@dataclass(frozen=True)
class Disagreement:
    """The perspectives' latest views differ on one aspect ("current" or "target")."""

    aspect: str
    positions: tuple[tuple[str, int], ...]  # (perspective, level), in the order given

    @property
    def spread(self) -> int:
        levels = [level for _perspective, level in self.positions]
        return max(levels) - min(levels)

    def message(self) -> str:
        """One translated sentence, e.g. "Officials and activists disagree on the target
        level: 5 vs 7." """
        names = [str(PERSPECTIVE_IN_SENTENCE.get(p, p)) for p, _level in self.positions]
        levels = [level for _perspective, level in self.positions]
        if len(self.positions) == 2:
            if self.aspect == "current":
                text = _("%(first)s and %(second)s disagree on the current level: %(a)d vs %(b)d.")
            else:
                text = _("%(first)s and %(second)s disagree on the target level: %(a)d vs %(b)d.")
            return capfirst(
                text % {"first": names[0], "second": names[1], "a": levels[0], "b": levels[1]}
            )
        listing = ", ".join(
            _("%(perspective)s %(level)d") % {"perspective": name, "level": level}
            for name, level in zip(names, levels, strict=True)
        )
        if self.aspect == "current":
            return _("The perspectives disagree on the current level: %(positions)s.") % {
                "positions": listing
            }
        return _("The perspectives disagree on the target level: %(positions)s.") % {
            "positions": listing
        }


# Perspective names inside a sentence ("officials and activists disagree …"); separate from
# the capitalised labels so that each language can inflect them as its grammar needs.
PERSPECTIVE_IN_SENTENCE = {
    Perspective.OFFICIAL.value: pgettext_lazy("perspective in a sentence", "officials"),
    Perspective.ACTIVIST.value: pgettext_lazy("perspective in a sentence", "activists"),
    Perspective.RESEARCHER.value: pgettext_lazy("perspective in a sentence", "researchers"),
    Perspective.WORKSHOP.value: pgettext_lazy("perspective in a sentence", "the workshop"),
}


def disagreements(positions: Iterable[tuple[str, int, int]]) -> list[Disagreement]:
    """Where the perspectives' views differ: on the current level, the target, or both.

    ``positions`` are ``(perspective, current, target)``, one per perspective (its latest
    assessment). Pure: no database, no request. One perspective alone never disagrees.
    """
    rows = list(positions)
    found: list[Disagreement] = []
    for aspect, column in (("current", 1), ("target", 2)):
        levels = tuple((row[0], int(row[column])) for row in rows)
        if len({level for _perspective, level in levels}) > 1:
            found.append(Disagreement(aspect, levels))
    return found


# --- units: the hierarchy, the dashboard and the maturity estimate -----------------------------


def descendant_ids(root_id: int, parents: Mapping[int, int | None]) -> list[int]:
    """``root_id`` and every unit below it, from ``{unit_id: parent_id}`` of all units.

    The hierarchy is a few levels deep, so it is walked in Python from one query of all
    units rather than with a recursive query; a cycle in bad data cannot loop forever.
    """
    children: dict[int, list[int]] = {}
    for unit_id, parent_id in parents.items():
        if parent_id is not None:
            children.setdefault(parent_id, []).append(unit_id)
    found: list[int] = []
    seen: set[int] = set()
    queue = [root_id]
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        found.append(current)
        queue.extend(sorted(children.get(current, [])))
    return found


def all_units() -> dict[int, Unit]:
    """Every unit by id, in one query (breadcrumbs, children and descendants)."""
    return {unit.pk: unit for unit in Unit.objects.all()}


@dataclass
class UnitNode:
    unit: Unit
    own_cases: int
    total_cases: int = 0
    children: list[UnitNode] = field(default_factory=list)


def unit_tree() -> list[UnitNode]:
    """The hierarchy (cities at the top) with case counts, from one aggregate query.

    ``own_cases`` counts the unit's own cases, ``total_cases`` adds every unit below it.
    """
    units = list(Unit.objects.annotate(case_count=Count("cases")))
    nodes = {unit.pk: UnitNode(unit, unit.case_count) for unit in units}  # type: ignore[attr-defined]
    roots: list[UnitNode] = []
    for unit in units:
        node = nodes[unit.pk]
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        if parent is None or parent is node:
            roots.append(node)
        else:
            parent.children.append(node)

    def total(node: UnitNode, path: frozenset[int]) -> int:
        node.children = [child for child in node.children if child.unit.pk not in path]
        node.total_cases = node.own_cases + sum(
            total(child, path | {child.unit.pk}) for child in node.children
        )
        return node.total_cases

    reached: set[int] = set()
    for root in roots:
        total(root, frozenset({root.unit.pk}))

    def mark(node: UnitNode) -> None:
        reached.add(node.unit.pk)
        for child in node.children:
            mark(child)

    for root in roots:
        mark(root)
    # units caught in a parent cycle hang from nothing: show them at the top rather than lose them
    for unit in units:
        if unit.pk not in reached:
            node = nodes[unit.pk]
            node.children = []
            node.total_cases = node.own_cases
            roots.append(node)
    return roots


def unit_cases(unit_ids: Iterable[int], where: Q | None = None) -> QuerySet[Case]:
    """The cases of the units (a dashboard's filter applied), without annotations."""
    return Case.objects.filter(unit_id__in=list(unit_ids)).filter(where or Q())


def dashboard_rows(unit_ids: Iterable[int], where: Q | None = None) -> QuerySet[Case]:
    """The dashboard's rows: ``cases_with_latest`` for the units, in a stable order."""
    return (
        cases_with_latest()
        .filter(unit_id__in=list(unit_ids))
        .filter(where or Q())
        .order_by("activism__name", "ladder__position", "ladder__slug", "unit__slug", "pk")
    )


def dashboard_summary(
    unit_ids: Iterable[int], where: Q | None, *, stale_before: dt.date
) -> dict[str, int]:
    """Counts over all the matching cases (not only the page shown), in one query.

    ``never``: cases without an official assessment; ``stale``: cases whose latest official
    assessment is older than ``stale_before`` (none on or after that day). Semi-joins on the
    ``assessment_latest_idx`` index, much cheaper than finding each case's latest row.
    """
    official = Assessment.objects.filter(case=OuterRef("pk"), perspective="official")
    counts = unit_cases(unit_ids, where).aggregate(
        total=Count("pk"),
        never=Count("pk", filter=~Exists(official)),
        stale=Count(
            "pk",
            filter=Exists(official) & ~Exists(official.filter(assessed_on__gte=stale_before)),
        ),
    )
    counts["assessed"] = counts["total"] - counts["never"]
    return counts


def area_counts(unit_ids: Iterable[int], where: Q | None = None) -> list[dict[str, Any]]:
    """Areas where the units' (matching) cases' activisms act, each with how many activisms.

    One aggregate query: ``key``, ``name``, ``name_sv``, ``lat``, ``lon``, ``count``.
    """
    cases = unit_cases(unit_ids, where)
    return list(
        Area.objects.filter(activisms__cases__in=cases.values("pk"))
        .values("pk", "key", "name", "name_sv", "lat", "lon")
        .annotate(count=Count("activisms", distinct=True))
        .order_by("municipality", "name", "pk")
    )


def activisms_without_area(unit_ids: Iterable[int], where: Q | None = None) -> int:
    """How many of the matching cases' activisms have no area (they cannot be on the map)."""
    cases = unit_cases(unit_ids, where)
    return (
        Activism.objects.filter(cases__in=cases.values("pk"), areas__isnull=True)
        .values("pk")
        .distinct()
        .count()
    )


def goal_activisms(unit_ids: Iterable[int]) -> QuerySet[Activism]:
    """The activisms a unit's goal may name: those with a case in the unit or below it."""
    return Activism.objects.filter(
        pk__in=Case.objects.filter(unit_id__in=list(unit_ids)).values("activism_id")
    ).order_by("name", "pk")


def unit_goals(unit_ids: Iterable[int]) -> QuerySet[UnitGoal]:
    return (
        UnitGoal.objects.filter(unit_id__in=list(unit_ids))
        .select_related("unit", "author")
        .prefetch_related("activisms")
    )


def unit_judgements(unit: Unit) -> QuerySet[MaturityJudgement]:
    return MaturityJudgement.objects.filter(unit=unit).select_related("author")


def maturity_records(
    unit_ids: Iterable[int], *, today: dt.date, rules: Mapping[str, Any]
) -> tuple[list[CaseRecord], list[GoalRecord]]:
    """The maturity engine's input for the units, in five queries whatever their size.

    Per case only the first assessment date and the latest one up to each of the engine's
    reference dates are loaded: for those dates the engine's answers are the same as with
    every date (see ``CaseRecord``).
    """
    ids = list(unit_ids)
    perspectives = list(rules["perspectives"])
    dates = reference_dates(today, rules)
    counted = Assessment.objects.filter(perspective__in=perspectives, assessed_on__lte=today)
    latest = Subquery(
        counted.filter(case=OuterRef("pk"))
        .order_by("-assessed_on", "-created_at", "-pk")
        .values("pk")[:1]
    )
    cases = Case.objects.filter(unit_id__in=ids)
    # the latest counted assessment of each case: an index probe per case (a window function
    # over all the assessments measured slower on PostgreSQL: it sorts them all)
    levels = {
        case_id: (current, target)
        for case_id, current, target in Assessment.objects.filter(
            pk__in=cases.annotate(latest_id=latest).values("latest_id")
        ).values_list("case_id", "current_level", "target_level")
    }
    stats = {
        row["case_id"]: row
        for row in counted.filter(case__unit_id__in=ids)
        .order_by()
        .values("case_id")
        .annotate(
            first=Min("assessed_on"),
            **{
                f"last{i}": Max("assessed_on", filter=Q(assessed_on__lte=day))
                for i, day in enumerate(dates)
            },
        )
    }
    records = []
    for case_id, unit_id, ladder_id, created_at in cases.order_by().values_list(
        "pk", "unit_id", "ladder_id", "created_at"
    ):
        row = stats.get(case_id)
        found = (
            {row["first"], *(row[f"last{i}"] for i in range(len(dates)))} - {None} if row else set()
        )
        current, target = levels.get(case_id, (None, None))
        records.append(
            CaseRecord(
                ladder=ladder_id,
                opened_on=timezone.localtime(created_at).date(),
                assessment_dates=tuple(sorted(found)),
                latest_current=current,
                latest_target=target,
                unit=unit_id,
            )
        )
    named: dict[int, set[int]] = {}
    for goal_id, activism_id in UnitGoal.activisms.through.objects.filter(
        unitgoal__unit_id__in=ids
    ).values_list("unitgoal_id", "activism_id"):
        named.setdefault(goal_id, set()).add(activism_id)
    goals = [
        GoalRecord(set_on=set_on, activisms=frozenset(named.get(goal_id, ())), unit=unit_id)
        for goal_id, unit_id, set_on in UnitGoal.objects.filter(unit_id__in=ids)
        .order_by()
        .values_list("pk", "unit_id", "set_on")
    ]
    return records, goals


def estimate_for_unit(unit_id: int, *, today: dt.date) -> Any:
    """The maturity estimate of one unit over its whole subtree (the API's maturity view)."""
    from portaat.cases.maturity import configured_rules, estimate

    parents = {pk: unit.parent_id for pk, unit in all_units().items()}
    rules = configured_rules()
    records, goals = maturity_records(descendant_ids(unit_id, parents), today=today, rules=rules)
    return estimate(records, goals, today=today, rules=rules)
