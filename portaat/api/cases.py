"""API for cases, assessments and interactions, with the pages' permissions.

The administration reads all cases; an activism's maintainers read that activism's cases.
Internal notes appear only for members of the case's unit (``access.can_view_case_notes``).
Integrations also *record* assessments and *log* interactions (``POST``), with the same rights
and the same rules as the pages (``cases.services``): a case the writer may not see is reported
as not existing, a perspective they may not assess in is a 403.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from portaat import access
from portaat.cases import services
from portaat.cases.models import Assessment, Case, Interaction, InteractionKind, Perspective
from portaat.ladders.models import LEVELS
from portaat.registry.models import Activism


class SignedIn(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS and bool(
            request.user and request.user.is_authenticated
        )


class SignedInWrites(permissions.BasePermission):
    """Signed-in readers and writers; each write then checks its own right on the case."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


MAX_TEXT = 10_000  # as the pages' forms


class CaseField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A case the writer may see; any other id (also one that exists) is reported as unknown,
    so the API does not reveal which cases exist."""

    def __init__(self, *, visible: Any, **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(queryset=Case.objects.select_related("activism", "unit"), **kwargs)

    def to_internal_value(self, data: Any) -> Case:
        case: Case = super().to_internal_value(data)
        user = getattr(self.context.get("request"), "user", None)
        if not self.visible(user, case):
            self.fail("does_not_exist", pk_value=data)
        return case


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


class AssessmentWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A new assessment: one perspective's view of where the case is now and should be."""

    case = CaseField(visible=access.can_open_assessment_form)
    perspective = serializers.ChoiceField(choices=Perspective.choices)
    current_level = serializers.IntegerField(min_value=1, max_value=LEVELS)
    target_level = serializers.IntegerField(min_value=1, max_value=LEVELS)
    rationale = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_TEXT,
        help_text="Needed when the target is below the current level.",
    )
    assessed_on = serializers.DateField(
        required=False, help_text="Today when not given; never in the future."
    )


class AssessmentFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(field_name="assessed_on", lookup_expr="gte")
    until = django_filters.DateFilter(field_name="assessed_on", lookup_expr="lte")
    case = django_filters.ModelChoiceFilter(queryset=_visible_cases)

    class Meta:
        model = Assessment
        fields = ["case", "perspective", "since", "until"]


class AssessmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Assessment]):
    """Assessments over time; filter by ``case``, ``perspective``, ``since`` and ``until``.
    ``POST`` records a new one, as the case's assessment page does."""

    serializer_class = AssessmentSerializer
    permission_classes = [SignedInWrites]
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet[Assessment]:
        visible = Case.objects.filter(access.visible_cases(self.request.user)).values("pk")
        return Assessment.objects.filter(case__in=visible).order_by("-assessed_on", "-pk")

    @extend_schema(request=AssessmentWriteSerializer, responses={201: AssessmentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = AssessmentWriteSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if not access.can_assess(request.user, data["case"], data["perspective"]):
            raise exceptions.PermissionDenied(
                _("You may not record an assessment from this perspective.")
            )
        assessment = services.record_assessment(data.pop("case"), by=request.user, **data)
        return Response(AssessmentSerializer(assessment).data, status=201)


class InteractionSerializer(serializers.ModelSerializer[Interaction]):
    class Meta:
        model = Interaction
        fields = ["id", "case", "happened_on", "kind", "note", "created_at"]


class InteractionWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A new interaction between the unit and the activism."""

    case = CaseField(visible=access.can_view_case)
    kind = serializers.ChoiceField(choices=InteractionKind.choices)
    happened_on = serializers.DateField(help_text="Never in the future.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)


class InteractionFilter(django_filters.FilterSet):
    case = django_filters.ModelChoiceFilter(queryset=_visible_cases)

    class Meta:
        model = Interaction
        fields = ["case", "kind"]


class InteractionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Interaction]):
    """Logged interactions between the unit and the activism; filter by ``case`` and ``kind``.
    ``POST`` logs a new one (members of the case's unit, as on the case page)."""

    serializer_class = InteractionSerializer
    permission_classes = [SignedInWrites]
    filterset_class = InteractionFilter

    def get_queryset(self) -> QuerySet[Interaction]:
        visible = Case.objects.filter(access.visible_cases(self.request.user)).values("pk")
        return Interaction.objects.filter(case__in=visible).order_by("-happened_on", "-pk")

    @extend_schema(request=InteractionWriteSerializer, responses={201: InteractionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = InteractionWriteSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if not access.can_log_interaction(request.user, data["case"]):
            raise exceptions.PermissionDenied(
                _("Only members of the case's unit log its interactions.")
            )
        interaction = services.log_interaction(data.pop("case"), by=request.user, **data)
        return Response(InteractionSerializer(interaction).data, status=201)
