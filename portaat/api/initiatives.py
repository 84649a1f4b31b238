"""Read API of initiatives and opportunities: the catalogue of opportunities (anyone; the
administration also sees hidden ones) and initiatives with their proposed opportunities (the
administration, and the people who keep the activism's entry)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError

from portaat import access
from portaat.api.filters import ID_SCHEMA, id_param
from portaat.initiatives import services
from portaat.initiatives.models import (
    Initiative,
    InitiativeStatus,
    Match,
    Opportunity,
    OpportunityKind,
)


class OpportunitySerializer(serializers.ModelSerializer[Opportunity]):
    domains = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)  # type: ignore[var-annotated]
    areas = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "kind",
            "title",
            "provider",
            "description",
            "url",
            "amount_min",
            "amount_max",
            "deadline",
            "domains",
            "areas",
            "is_active",
        ]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=OpportunityKind.values, description="kind"),
            OpenApiParameter(
                "open", bool, description="only those one can still apply for (default: true)"
            ),
        ]
    )
)
class OpportunityViewSet(viewsets.ReadOnlyModelViewSet[Opportunity]):
    """The catalogue of opportunities for initiatives (grants, crowdfunding, premises, sponsors,
    city programmes). ``domains`` are ladder slugs and ``areas`` gazetteer keys; empty means
    open to all."""

    serializer_class = OpportunitySerializer

    def get_queryset(self) -> QuerySet[Opportunity]:
        found = Opportunity.objects.prefetch_related("domains", "areas").order_by("deadline", "pk")
        if not access.can_manage_opportunities(self.request.user):
            found = found.filter(is_active=True)
        if self.action == "list":
            params = self.request.query_params
            is_open = (params.get("open") or "true").lower()
            if is_open not in ("true", "false", "1", "0"):
                raise ValidationError({"open": [_("Must be a valid boolean.")]})
            if is_open in ("true", "1"):
                found = found.filter(pk__in=services.open_opportunities().values("pk"))
            if params.get("kind"):
                if params["kind"] not in OpportunityKind.values:
                    raise ValidationError({"kind": ["Not a kind of opportunity."]})
                found = found.filter(kind=params["kind"])
        return found


class MatchSerializer(serializers.ModelSerializer[Match]):
    class Meta:
        model = Match
        fields = ["id", "opportunity", "status", "reasons", "created_at", "updated_at"]


class InitiativeSerializer(serializers.ModelSerializer[Initiative]):
    domains = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)  # type: ignore[var-annotated]
    areas = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)  # type: ignore[var-annotated]
    matches = MatchSerializer(many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "activism",
            "title",
            "description",
            "missed_grant",
            "amount_sought",
            "needed_by",
            "domains",
            "areas",
            "status",
            "matches",
            "created_at",
        ]


class UsesInitiatives(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS and access.can_use_initiatives(
            request.user
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=InitiativeStatus.values, description="status"),
            OpenApiParameter("activism", ID_SCHEMA, description="an activism's id"),
        ]
    )
)
class InitiativeViewSet(viewsets.ReadOnlyModelViewSet[Initiative]):
    """Initiatives that missed the grant they applied for, with the opportunities proposed to
    them and how each went."""

    serializer_class = InitiativeSerializer
    permission_classes = [UsesInitiatives]

    def get_queryset(self) -> QuerySet[Initiative]:
        found = (
            Initiative.objects.filter(access.visible_initiatives(self.request.user))
            .prefetch_related("domains", "areas", "matches")
            .distinct()
            .order_by("-created_at", "-pk")
        )
        params = self.request.query_params
        if self.action == "list":
            if params.get("status"):
                if params["status"] not in InitiativeStatus.values:
                    raise ValidationError({"status": ["Not a status of an initiative."]})
                found = found.filter(status=params["status"])
            activism = id_param(params, "activism")
            if activism is not None:
                found = found.filter(activism_id=activism)
        return found


def register(router: Any) -> None:
    """Register this app's viewsets on the API's router."""
    router.register("opportunities", OpportunityViewSet, basename="opportunity")
    router.register("initiatives", InitiativeViewSet, basename="initiative")


# routes of the API that are not viewsets, under /api/
urlpatterns: list[Any] = []
