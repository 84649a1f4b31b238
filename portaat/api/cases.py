"""Read API for cases, assessments and interactions, with the pages' permissions.

The administration reads all cases; an activism's maintainers read that activism's cases.
Internal notes appear only for members of the case's unit (``access.can_view_case_notes``).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import permissions, serializers, viewsets

from portaat import access
from portaat.api.errors import ApiSchema
from portaat.cases.models import Assessment, Case, Interaction
from portaat.registry.models import Activism


class SignedIn(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS and bool(
            request.user and request.user.is_authenticated
        )


class CaseSerializer(serializers.ModelSerializer[Case]):
    activism: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    unit: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    ladder: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    internal_notes = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "activism",
            "unit",
            "ladder",
            "positions_public",
            "internal_notes",
            "created_at",
        ]

    def get_internal_notes(self, obj: Case) -> str | None:
        """Null unless the reader is a member of the case's unit."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return obj.internal_notes if access.can_view_case_notes(user, obj) else None


def _visible_activisms(request: Any) -> QuerySet[Activism]:
    # Filter choices are what the reader may see: an unknown id and another unit's hidden
    # one give the same answer, so a filter does not reveal what exists.
    user = getattr(request, "user", None)
    return Activism.objects.filter(access.visible_activisms(user)).distinct()


def _visible_cases(request: Any) -> QuerySet[Case]:
    return Case.objects.filter(access.visible_cases(getattr(request, "user", None))).distinct()


class CaseFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__slug")
    ladder = django_filters.CharFilter(field_name="ladder__slug")
    activism = django_filters.ModelChoiceFilter(queryset=_visible_activisms)

    class Meta:
        model = Case
        fields = ["unit", "ladder", "activism"]


class CaseViewSet(viewsets.ReadOnlyModelViewSet[Case]):
    """Cases: an activism, a unit and a ladder. Signed-in readers see what the pages show them."""

    schema = ApiSchema()
    serializer_class = CaseSerializer
    permission_classes = [SignedIn]
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet[Case]:
        return (
            Case.objects.filter(access.visible_cases(self.request.user))
            .select_related("unit", "unit__parent", "unit__parent__parent", "ladder", "activism")
            .distinct()
            .order_by("pk")
        )


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    class Meta:
        model = Assessment
        fields = [
            "id",
            "case",
            "assessed_on",
            "perspective",
            "current_level",
            "target_level",
            "rationale",
            "details",
            "created_at",
        ]


class AssessmentFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(field_name="assessed_on", lookup_expr="gte")
    until = django_filters.DateFilter(field_name="assessed_on", lookup_expr="lte")
    case = django_filters.ModelChoiceFilter(queryset=_visible_cases)

    class Meta:
        model = Assessment
        fields = ["case", "perspective", "since", "until"]


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet[Assessment]):
    """Assessments over time; filter by ``case``, ``perspective``, ``since`` and ``until``."""

    schema = ApiSchema()
    serializer_class = AssessmentSerializer
    permission_classes = [SignedIn]
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet[Assessment]:
        visible = Case.objects.filter(access.visible_cases(self.request.user)).values("pk")
        return Assessment.objects.filter(case__in=visible).order_by("-assessed_on", "-pk")


class InteractionSerializer(serializers.ModelSerializer[Interaction]):
    class Meta:
        model = Interaction
        fields = ["id", "case", "happened_on", "kind", "note", "created_at"]


class InteractionFilter(django_filters.FilterSet):
    case = django_filters.ModelChoiceFilter(queryset=_visible_cases)

    class Meta:
        model = Interaction
        fields = ["case", "kind"]


class InteractionViewSet(viewsets.ReadOnlyModelViewSet[Interaction]):
    """Logged interactions between the unit and the activism; filter by ``case`` and ``kind``."""

    schema = ApiSchema()
    serializer_class = InteractionSerializer
    permission_classes = [SignedIn]
    filterset_class = InteractionFilter

    def get_queryset(self) -> QuerySet[Interaction]:
        visible = Case.objects.filter(access.visible_cases(self.request.user)).values("pk")
        return Interaction.objects.filter(case__in=visible).order_by("-happened_on", "-pk")
