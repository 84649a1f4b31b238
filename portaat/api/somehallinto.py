"""Read API of social-media governance (somehallinto), with the pages' permissions:

- ``somehallinto-guidance``: the learning path, one entry per level of the stairs — anyone;
- ``somehallinto-assessments``: self-assessments — the reader's own; with ``?unit=<slug>`` the
  unit's own assessments and the latest one of each of its officials (the administration).

Self-assessments are made on the pages (``/somehallinto/``), not through the API.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.routers import BaseRouter

from portaat import access
from portaat.api.fields import TranslatedField
from portaat.registry.models import Unit
from portaat.somehallinto import services
from portaat.somehallinto.models import Guidance, SelfAssessment


class SomehallintoGuidanceSerializer(serializers.ModelSerializer[Guidance]):
    title = TranslatedField()
    body = TranslatedField()

    class Meta:
        model = Guidance
        fields = ["level", "title", "body", "updated_at"]


class GuidanceViewSet(viewsets.ReadOnlyModelViewSet[Guidance]):
    """The learning path of the stairs of social-media governance: practical guidance for
    each level, in Finnish, Swedish and English."""

    queryset = Guidance.objects.order_by("level")
    serializer_class = SomehallintoGuidanceSerializer
    lookup_field = "level"
    lookup_value_regex = "[1-8]"
    pagination_class = None


class Administration(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return access.can_assess_somehallinto(request.user)


class SomehallintoAssessmentSerializer(serializers.ModelSerializer[SelfAssessment]):
    unit = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    official = serializers.SerializerMethodField()

    class Meta:
        model = SelfAssessment
        fields = ["id", "official", "unit", "current_level", "target_level", "note", "assessed_at"]

    def get_official(self, obj: SelfAssessment) -> str | None:
        """The official's email, for an official's assessment; null for a unit's own."""
        return obj.official.email if obj.official_id and obj.official else None


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "unit",
                str,
                description="a unit's slug: its own assessments and the latest of each of its "
                "officials, newest first",
            )
        ]
    )
)
class AssessmentViewSet(viewsets.ReadOnlyModelViewSet[SelfAssessment]):
    """Self-assessments on the stairs of social-media governance: the reader's own, newest
    first; with ``?unit=`` a unit's (the administration)."""

    serializer_class = SomehallintoAssessmentSerializer
    permission_classes = [Administration]

    queryset = SelfAssessment.objects.none()  # for the schema; the rows come from below

    def get_queryset(self) -> QuerySet[SelfAssessment]:
        if getattr(self, "swagger_fake_view", False):
            return SelfAssessment.objects.none()
        slug = self.request.query_params.get("unit")
        if self.action == "list" and slug:
            unit = Unit.objects.filter(slug=slug).first()
            if unit is None:
                raise ValidationError({"unit": [_("There is no such unit.")]})
            if not access.can_view_unit(self.request.user, unit):
                raise Http404
            ids = [a.pk for a in services.officials_latest(unit)]
            ids += list(services.unit_history(unit).values_list("pk", flat=True))
            found = SelfAssessment.objects.filter(pk__in=ids)
        else:
            found = services.history_of(self.request.user)
        return found.select_related("official", "unit").order_by("-assessed_at", "-pk")


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API's router."""
    router.register("somehallinto-guidance", GuidanceViewSet, basename="somehallinto-guidance")
    router.register(
        "somehallinto-assessments", AssessmentViewSet, basename="somehallinto-assessment"
    )


# routes of the API that are not viewsets, under /api/
urlpatterns: list[Any] = []
