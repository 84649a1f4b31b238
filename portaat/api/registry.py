"""Read API for the registry: units, areas, kinds of activism and activisms.

Visibility follows the pages exactly, through ``portaat.access``: anonymous readers see public,
approved activisms; the administration sees all; maintainers also see their own entries.
Contact details are personal data and appear only for the administration and maintainers.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from portaat import access
from portaat.api.fields import TranslatedField
from portaat.cases.queries import estimate_for_unit
from portaat.registry.models import Activism, ActivismKind, Area, Channel, Unit

_SLUG = re.compile(r"[-\w]+")


class SlugLookup:
    """For viewsets looked up by a slug or an area key: anything else in the address (a NUL
    byte, which PostgreSQL refuses in a query, and would be a 500) is simply not found."""

    lookup_field: str
    kwargs: dict[str, Any]

    def get_object(self) -> Any:
        if not _SLUG.fullmatch(str(self.kwargs.get(self.lookup_field, ""))):
            raise NotFound
        return super().get_object()  # type: ignore[misc]


class AdministrationOnly(permissions.BasePermission):
    """Reading internal data (units, cases …) needs an administration account."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS and access.is_administration(request.user)


class UnitSerializer(serializers.ModelSerializer[Unit]):
    name = TranslatedField()
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)  # type: ignore[assignment,var-annotated]
    case_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Unit
        fields = ["slug", "name", "kind", "parent", "case_count"]


class CriterionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField()
    status = serializers.ChoiceField(choices=["met", "unmet", "not_measurable"])
    requirement = serializers.CharField()
    numbers = serializers.CharField()
    advice = serializers.CharField()


class StageResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    reached = serializers.BooleanField()
    criteria = CriterionSerializer(many=True)


class MaturitySerializer(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.CharField()
    today = serializers.DateField()
    stage = serializers.IntegerField(help_text="The estimated stage, 1–5.")
    stages = StageResultSerializer(many=True)
    lift = CriterionSerializer(many=True, help_text="What would lift the unit one stage.")
    facts = serializers.DictField()


class UnitViewSet(SlugLookup, viewsets.ReadOnlyModelViewSet[Unit]):
    """The administration's units (city → division → unit). Administration only."""

    serializer_class = UnitSerializer
    permission_classes = [AdministrationOnly]
    lookup_field = "slug"
    filterset_fields = ["kind"]

    @extend_schema(responses=MaturitySerializer)
    @action(detail=True)
    def maturity(
        self, request: Any, slug: str | None = None, format: str | None = None
    ) -> Response:
        """The five-stage estimate for the unit and every unit below it, criterion by criterion,
        in the language of the request."""
        unit = self.get_object()
        estimate = estimate_for_unit(unit.pk, today=timezone.localdate())
        data = {
            "unit": unit.slug,
            "today": estimate.today,
            "stage": estimate.stage,
            "stages": [
                {
                    "number": s.number,
                    "reached": s.reached,
                    "criteria": [vars(c) for c in s.criteria],
                }
                for s in estimate.stages
            ],
            "lift": [vars(c) for c in estimate.lift],
            "facts": estimate.facts,
        }
        return Response(MaturitySerializer(data).data)

    def get_queryset(self) -> QuerySet[Unit]:
        return (
            Unit.objects.select_related("parent").annotate(case_count=Count("cases")).order_by("pk")
        )


class AreaSerializer(serializers.ModelSerializer[Area]):
    parent = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)  # type: ignore[assignment,var-annotated]

    class Meta:
        model = Area
        fields = [
            "key",
            "name",
            "name_sv",
            "aliases",
            "kind",
            "municipality",
            "parent",
            "lat",
            "lon",
        ]


class AreaViewSet(SlugLookup, viewsets.ReadOnlyModelViewSet[Area]):
    """The gazetteer: municipalities, districts and sub-districts, with fi and sv names."""

    serializer_class = AreaSerializer
    queryset = Area.objects.select_related("parent").order_by("municipality", "name")
    lookup_field = "key"
    filterset_fields = ["kind", "municipality"]


class ActivismKindSerializer(serializers.ModelSerializer[ActivismKind]):
    name = TranslatedField()

    class Meta:
        model = ActivismKind
        fields = ["slug", "name", "is_builtin"]


class ActivismKindViewSet(SlugLookup, viewsets.ReadOnlyModelViewSet[ActivismKind]):
    serializer_class = ActivismKindSerializer
    queryset = ActivismKind.objects.order_by("position", "slug")
    lookup_field = "slug"
    pagination_class = None


class ChannelSerializer(serializers.ModelSerializer[Channel]):
    class Meta:
        model = Channel
        fields = ["url", "platform", "handle"]


class ActivismSerializer(serializers.ModelSerializer[Activism]):
    kind: serializers.SlugRelatedField[ActivismKind] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    domains: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    areas: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )
    channels = ChannelSerializer(many=True, read_only=True)
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Activism
        fields = [
            "id",
            "name",
            "description",
            "kind",
            "domains",
            "areas",
            "channels",
            "legal_form",
            "status",
            "visibility",
            "origin",
            "review",
            "contact",
            "created_at",
            "updated_at",
        ]

    def get_contact(self, obj: Activism) -> dict[str, str] | None:
        """Only for the administration and the activism's maintainers; otherwise null."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        maintained: set[int] = self.context.get("maintained_ids", set())
        if not (access.is_administration(user) or obj.pk in maintained):
            return None
        if obj.contact_consent_at is None:
            return None
        return {
            "name": obj.contact_name,
            "email": obj.contact_email,
            "phone": obj.contact_phone,
            "consent_at": obj.contact_consent_at.isoformat(),
        }


class ActivismFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind__slug")
    domain = django_filters.CharFilter(field_name="domains__slug")
    area = django_filters.CharFilter(field_name="areas__key")
    municipality = django_filters.CharFilter(field_name="areas__municipality")

    class Meta:
        model = Activism
        fields = ["kind", "domain", "area", "municipality", "status", "visibility", "legal_form"]


class ActivismViewSet(viewsets.ReadOnlyModelViewSet[Activism]):
    """Activisms of the fourth sector. Anonymous readers get the public, approved ones."""

    serializer_class = ActivismSerializer
    filterset_class = ActivismFilter

    def get_queryset(self) -> QuerySet[Activism]:
        return (
            Activism.objects.filter(access.visible_activisms(self.request.user))
            .select_related("kind")
            .prefetch_related("domains", "areas", "channels")
            .distinct()
            .order_by("name", "pk")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        user = self.request.user
        context["maintained_ids"] = (
            set(Activism.objects.filter(maintainers=user.pk).values_list("pk", flat=True))
            if user.is_authenticated
            else set()
        )
        return context
