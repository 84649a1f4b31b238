"""Read API for thanks (kiitos), with the pages' permissions:

- anyone reads the published thanks (the public wall); filter by ``unit`` (a unit's slug; the
  units below it are included);
- coordinators (``access.can_moderate_thanks``) read every thanks, waiting and rejected ones
  too, with the moderation fields; filter by ``status``.

The thanker's contact email and the sender's address hash are never in the API.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from portaat import access
from portaat.api.fields import TranslatedField
from portaat.registry.models import Unit
from portaat.thanks import queries
from portaat.thanks.models import Thanks, ThanksStatus
from portaat.thanks.services import unit_and_below


class ThanksUnitSerializer(serializers.ModelSerializer[Unit]):
    name = TranslatedField()

    class Meta:
        model = Unit
        fields = ["slug", "name"]


class ThanksSerializer(serializers.ModelSerializer[Thanks]):
    unit = ThanksUnitSerializer(read_only=True)
    official = serializers.SerializerMethodField()
    thanker_name = serializers.SerializerMethodField()
    activism = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    rejection_reason = serializers.SerializerMethodField()
    moderated_at = serializers.SerializerMethodField()

    class Meta:
        model = Thanks
        fields = [
            "id",
            "unit",
            "official",
            "story",
            "language",
            "thanker_name",
            "activism",
            "created_at",
            "published_at",
            "status",
            "rejection_reason",
            "moderated_at",
        ]

    def _moderator(self) -> bool:
        request = self.context.get("request")
        return access.can_moderate_thanks(getattr(request, "user", None))

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        }
    )
    def get_official(self, obj: Thanks) -> dict[str, Any] | None:
        """The official thanked, by the public name they chose; null for a thanks to a whole
        unit, or when the official no longer allows being thanked by name."""
        name = obj.official_public_name
        return {"id": obj.official_id, "name": name} if name else None

    def get_thanker_name(self, obj: Thanks) -> str | None:
        """The name the thanker gave for the wall; null when anonymous."""
        return obj.thanker_name or None

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        }
    )
    def get_activism(self, obj: Thanks) -> dict[str, Any] | None:
        """The activism the thanker acts for, if it is public; else null."""
        if obj.activism is None or not obj.activism.is_public:
            return None
        return {"id": obj.activism.pk, "name": obj.activism.name}

    @extend_schema_field(
        serializers.ChoiceField(choices=ThanksStatus.choices, allow_null=True),
    )
    def get_status(self, obj: Thanks) -> str | None:
        """Coordinators only; null for others (who see published thanks only)."""
        return obj.status if self._moderator() else None

    def get_rejection_reason(self, obj: Thanks) -> str | None:
        """Coordinators only; null for others."""
        return obj.rejection_reason if self._moderator() else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_moderated_at(self, obj: Thanks) -> Any:
        """Coordinators only; null for others."""
        if not self._moderator() or obj.moderated_at is None:
            return None
        return serializers.DateTimeField().to_representation(obj.moderated_at)


class ThanksFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(),
        to_field_name="slug",
        method="filter_unit",
        label="A unit's slug: thanks to it, its officials and the units below it.",
    )
    status = django_filters.ChoiceFilter(
        choices=ThanksStatus.choices, label="Coordinators only (others see published thanks)."
    )

    class Meta:
        model = Thanks
        fields = ["unit", "status"]

    def filter_unit(self, queryset: QuerySet[Thanks], name: str, value: Unit) -> Any:
        return queryset.filter(unit_id__in=unit_and_below(value))


class ThanksViewSet(viewsets.ReadOnlyModelViewSet[Thanks]):
    """Thanks from civic actors to officials and units. Anyone reads the published ones, newest
    first; coordinators read every thanks with its moderation status."""

    serializer_class = ThanksSerializer
    filterset_class = ThanksFilter

    def get_queryset(self) -> QuerySet[Thanks]:
        if access.can_moderate_thanks(getattr(self.request, "user", None)):
            return queries.any_status()
        return queries.wall()
