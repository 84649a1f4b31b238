"""Read querysets for the repertoire pages, built in one place so they stay free of N+1 queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from portaat import access
from portaat.cases.models import Case
from portaat.ladders.models import Ladder
from portaat.repertoire.models import Experiment, ExperimentStatus, Outcome, Practice

if TYPE_CHECKING:
    from portaat.access import AnyUser

SORTS = ("level", "tried", "worked")


def practices() -> QuerySet[Practice]:
    """Practices with what a list row or the page shows: the built-in step's ladder, ladders."""
    return Practice.objects.select_related("step__ladder").prefetch_related("ladders")


def _done_count(**extra: Any) -> Count:
    """How many finished experiments tried a practice (filters on the other relations are
    EXISTS subqueries, so this join is the only one and the count stays exact)."""
    return Count(
        "experiments",
        filter=Q(experiments__status=ExperimentStatus.DONE, **extra),
        distinct=True,
    )


@dataclass(frozen=True)
class PracticeFilters:
    """What the repertoire is narrowed to; every part is optional."""

    text: str = ""
    ladder: Ladder | None = None
    level: int | None = None
    action_type: str = ""
    evidence: str = ""  # "" any, "tried" tried at least once, "worked" worked at least once
    origin: str = ""  # "" any, "builtin", "own"
    sort: str = "level"


def filter_practices(qs: QuerySet[Practice], filters: PracticeFilters) -> QuerySet[Practice]:
    """Narrow and order ``qs``; many-valued filters are EXISTS subqueries, so rows never repeat.

    Every row is annotated with ``tried`` and ``worked`` (finished experiments) for sorting.
    """
    qs = qs.annotate(tried=_done_count(), worked=_done_count(experiments__outcome=Outcome.WORKED))
    if filters.text:
        text = Q()
        for lang in ("fi", "sv", "en"):
            text |= Q(**{f"title_{lang}__icontains": filters.text})
            text |= Q(**{f"description_{lang}__icontains": filters.text})
        qs = qs.filter(text)
    if filters.ladder is not None:
        through = Practice.ladders.through
        qs = qs.filter(
            Exists(through.objects.filter(practice_id=OuterRef("pk"), ladder_id=filters.ladder.pk))
        )
    if filters.level is not None:
        qs = qs.filter(level_from__lte=filters.level, level_to__gte=filters.level)
    if filters.action_type:
        qs = qs.filter(action_type=filters.action_type)
    if filters.evidence == "tried":
        qs = qs.filter(tried__gt=0)
    elif filters.evidence == "worked":
        qs = qs.filter(worked__gt=0)
    if filters.origin == "builtin":
        qs = qs.filter(step__isnull=False)
    elif filters.origin == "own":
        qs = qs.filter(step__isnull=True)
    level_order = ("level_from", "level_to", "step__ladder__position", "title", "pk")
    if filters.sort == "tried":
        return qs.order_by("-tried", "-worked", *level_order)
    if filters.sort == "worked":
        return qs.order_by("-worked", "-tried", *level_order)
    return qs.order_by(*level_order)


def ladders_for_filter() -> QuerySet[Ladder]:
    """Every ladder, the social-media one too: its steps are practices as well."""
    return Ladder.objects.all()


# --- the practice page -------------------------------------------------------------------------


@dataclass
class ExperimentCases:
    """An experiment's cases as one reader may see them: the visible ones, and how many not."""

    visible: list[Case] = field(default_factory=list)
    hidden: int = 0


def experiment_cases(
    experiments: Iterable[Experiment], user: AnyUser | None
) -> dict[int, ExperimentCases]:
    """The cases of each experiment, split by ``access.visible_cases`` (two queries)."""
    ids = [e.pk for e in experiments]
    result: dict[int, ExperimentCases] = defaultdict(ExperimentCases)
    if not ids:
        return result
    through = Experiment.cases.through
    rows = list(
        through.objects.filter(experiment_id__in=ids)
        .select_related("case__activism", "case__unit", "case__ladder")
        .order_by("case__activism__name", "case_id")
    )
    visible = set(
        Case.objects.filter(access.visible_cases(user), pk__in={row.case_id for row in rows})
        .distinct()
        .values_list("pk", flat=True)
    )
    for row in rows:
        entry = result[row.experiment_id]
        if row.case_id in visible:
            entry.visible.append(row.case)
        else:
            entry.hidden += 1
    return result
