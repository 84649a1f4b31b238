"""Read API for ladders, steps and the five-stage model."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import serializers, viewsets

from portaat.api.fields import TranslatedField
from portaat.api.filters import BooleanFilter
from portaat.ladders.models import Ladder, Stage, Step
from portaat.ladders.queries import ladders_with_steps


class StepSerializer(serializers.ModelSerializer[Step]):
    title = TranslatedField()
    description = TranslatedField()

    class Meta:
        model = Step
        fields = ["level", "title", "description"]


class LadderSerializer(serializers.ModelSerializer[Ladder]):
    name = TranslatedField()
    domain = TranslatedField()
    description = TranslatedField()
    source_note = TranslatedField()
    steps = StepSerializer(many=True, read_only=True)
    based_on: serializers.SlugRelatedField[Ladder] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    stairs_svg = serializers.SerializerMethodField()

    class Meta:
        model = Ladder
        fields = [
            "slug",
            "kind",
            "is_builtin",
            "name",
            "domain",
            "description",
            "source_note",
            "based_on",
            "steps",
            "stairs_svg",
            "created_at",
            "updated_at",
        ]

    def get_stairs_svg(self, obj: Ladder) -> str:
        request = self.context.get("request")
        url = reverse("ladders:stairs_svg", args=[obj.slug])
        return request.build_absolute_uri(url) if request is not None else url


class StageSerializer(serializers.ModelSerializer[Stage]):
    title = TranslatedField()
    description = TranslatedField()

    class Meta:
        model = Stage
        fields = ["number", "title", "description"]


class LadderFilter(django_filters.FilterSet):
    is_builtin = BooleanFilter()

    class Meta:
        model = Ladder
        fields = ["kind", "is_builtin"]


class LadderViewSet(viewsets.ReadOnlyModelViewSet[Ladder]):
    """Ladders with their eight steps; filter with ``?kind=`` and ``?is_builtin=``."""

    serializer_class = LadderSerializer
    lookup_field = "slug"
    filterset_class = LadderFilter

    def get_queryset(self) -> QuerySet[Ladder]:
        return ladders_with_steps().select_related("based_on")


class StageViewSet(viewsets.ReadOnlyModelViewSet[Stage]):
    """The five stages of the relationship between activisms and an administration."""

    serializer_class = StageSerializer
    queryset = Stage.objects.order_by("number")
    lookup_field = "number"
    pagination_class = None
