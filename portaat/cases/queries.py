"""Read querysets for cases, built in one place so list pages stay free of N+1 queries."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet, Subquery

from portaat.cases.models import Assessment, Case


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
