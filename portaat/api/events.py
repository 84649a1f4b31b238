"""The events part of the REST API (``/api/v1/``): upcoming events in the reader's areas."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import BaseRouter

from portaat import access
from portaat.events import services
from portaat.events.models import Event
from portaat.registry.models import Area


class FollowsEvents(permissions.BasePermission):
    """Reading events needs an administration account."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS and access.can_follow_events(request.user)


class EventSerializer(serializers.ModelSerializer[Event]):
    name = serializers.SerializerMethodField()
    areas = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)  # type: ignore[var-annotated]
    activism = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # type: ignore[var-annotated]
    going = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "source_id",
            "name",
            "name_fi",
            "name_sv",
            "name_en",
            "description",
            "start_time",
            "end_time",
            "place_name",
            "street_address",
            "lat",
            "lon",
            "areas",
            "publisher",
            "info_url",
            "status",
            "activism",
            "going",
            "fetched_at",
        ]

    def get_name(self, event: Event) -> str:
        request = self.context.get("request")
        return event.display_name(getattr(request, "LANGUAGE_CODE", None))

    def get_going(self, event: Event) -> int:
        """How many from the administration said they are going."""
        return len(event.attendances.all())


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "area", str, description="An area's identifier: only events in that area."
            )
        ]
    )
)
class EventViewSet(viewsets.ReadOnlyModelViewSet[Event]):
    """Upcoming events (from Linked Events) in the areas of the reader's cases, or of the
    activisms they work with, soonest first. For the administration only."""

    serializer_class = EventSerializer
    permission_classes = [FollowsEvents]

    def get_queryset(self) -> QuerySet[Event]:
        user = self.request.user
        if self.action != "list":
            return Event.objects.prefetch_related("areas", "attendances")
        key = self.request.query_params.get("area", "")
        area = Area.objects.filter(key=key).first() if key else None
        if key and area is None:
            return Event.objects.none()
        return services.upcoming_for(user, area=area)


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API's router."""
    router.register("events", EventViewSet, basename="event")


# routes of the API that are not viewsets, under /api/
urlpatterns: list[URLPattern | URLResolver] = []
