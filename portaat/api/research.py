"""Read API of research projects: the projects the reader may see (their lead, their members
and the administration), with the cases, the intended level and what was granted. Exports are
downloaded on the project's page, where each download is logged."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError

from portaat import access
from portaat.research.models import Dataset, ProjectStatus, ResearchProject


class ReadsResearch(permissions.BasePermission):
    """Researchers and the administration; each sees only the projects it may see."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS and access.can_propose_research(
            request.user
        )


class ResearchProjectSerializer(serializers.ModelSerializer[ResearchProject]):
    cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)  # type: ignore[var-annotated]
    datasets = serializers.SerializerMethodField()

    class Meta:
        model = ResearchProject
        fields = [
            "id",
            "title",
            "summary",
            "organisation",
            "cases",
            "intended_level",
            "status",
            "datasets",
            "access_until",
            "granted_at",
            "created_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Dataset.choices)))
    def get_datasets(self, obj: ResearchProject) -> list[str]:
        """The granted datasets."""
        return obj.granted


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=ProjectStatus.values, description="only projects in this status"
            ),
        ]
    )
)
class ResearchProjectViewSet(viewsets.ReadOnlyModelViewSet[ResearchProject]):
    """Research projects (citizen science) on cases: ``intended_level`` is the level of
    collaboration on the stairs (1–8) the project aims at; ``datasets`` are the pseudonymised
    exports a coordinator granted it, available while ``status`` is ``active`` and until
    ``access_until``. Researchers see the projects they lead or belong to, the administration
    all of them."""

    serializer_class = ResearchProjectSerializer
    permission_classes = [ReadsResearch]
    queryset = ResearchProject.objects.order_by("pk")
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ResearchProject]:
        found = (
            super()
            .get_queryset()
            .filter(access.visible_research_projects(self.request.user))
            .prefetch_related("cases")
            .distinct()
        )
        status = self.request.query_params.get("status")
        if status:
            if status not in ProjectStatus.values:
                raise ValidationError({"status": ["Not a status."]})
            found = found.filter(status=status)
        return found


def register(router: Any) -> None:
    """Register this app's viewsets on the API's router."""
    router.register("research-projects", ResearchProjectViewSet, basename="research-project")


# routes of the API that are not viewsets, under /api/
urlpatterns: list[Any] = []
