"""Read querysets for the registry, built in one place so its pages stay free of N+1 queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from portaat import access
from portaat.registry.models import Activism, Area, Review

if TYPE_CHECKING:
    from portaat.access import AnyUser


def activisms_for(user: AnyUser | None) -> QuerySet[Activism]:
    """The activisms the user may see, with everything a list row or the page shows.

    ``distinct()`` because the visibility rule for maintainers joins the maintainers table.
    """
    return (
        Activism.objects.filter(access.visible_activisms(user))
        .select_related("kind")
        .prefetch_related("domains", "areas", "channels")
        .distinct()
        .order_by("name", "pk")
    )


def pending_review() -> QuerySet[Activism]:
    """Self-registrations waiting for an official, oldest first."""
    return (
        Activism.objects.filter(review=Review.PENDING)
        .select_related("kind")
        .prefetch_related("domains", "areas", "channels", "maintainers")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class ActivismFilters:
    """What the list is narrowed to; every part is optional."""

    text: str = ""
    kind: Any = None  # an ActivismKind
    domain: Any = None  # a Ladder
    municipality: str = ""
    area: Area | None = None
    status: str = ""


def _in_area(area: Area) -> Q:
    """The area itself or any area below it (municipality → major district → district →
    sub-district, so at most three steps down)."""
    return Q(pk=area.pk) | Q(parent=area) | Q(parent__parent=area) | Q(parent__parent__parent=area)


def filter_activisms(qs: QuerySet[Activism], filters: ActivismFilters) -> QuerySet[Activism]:
    """Narrow ``qs``; many-valued filters are EXISTS subqueries, so rows are never repeated."""
    if filters.text:
        qs = qs.filter(Q(name__icontains=filters.text) | Q(description__icontains=filters.text))
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.domain is not None:
        through = Activism.domains.through
        qs = qs.filter(
            Exists(through.objects.filter(activism_id=OuterRef("pk"), ladder_id=filters.domain.pk))
        )
    if filters.municipality:
        qs = qs.filter(
            Exists(Area.objects.filter(activisms=OuterRef("pk"), municipality=filters.municipality))
        )
    if filters.area is not None:
        qs = qs.filter(
            Exists(Area.objects.filter(_in_area(filters.area), activisms=OuterRef("pk")))
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


def municipalities() -> list[str]:
    return list(
        Area.objects.order_by("municipality").values_list("municipality", flat=True).distinct()
    )


def area_counts(activisms: QuerySet[Activism]) -> QuerySet[Area]:
    """Areas with ``activism_count``: how many of ``activisms`` act in each. One query.

    Filtering and counting over the same relation makes Django use one join, so only the
    given activisms are counted.
    """
    return (
        Area.objects.filter(activisms__in=activisms.order_by().values("pk"))
        .annotate(activism_count=Count("activisms", distinct=True))
        .order_by("municipality", "name")
    )


def map_points(
    areas: QuerySet[Area] | list[Area], *, language: str | None, url_for: Any
) -> list[dict[str, Any]]:
    """Points for ``includes/area_map.html``: ``{"lat", "lon", "label", "count", "url"}``.

    ``url_for(area)`` gives each point's link; ``count`` is the area's ``activism_count``
    annotation where present (1 otherwise).
    """
    return [
        {
            "lat": area.lat,
            "lon": area.lon,
            "label": area.display_name(language),
            "count": getattr(area, "activism_count", 1),
            "url": url_for(area),
        }
        for area in areas
    ]
