"""Read API of activity figures: the figures asked per kind of activism (anyone) and the
reported figures (the administration; ``?activism=``, ``?kind=``, ``?since=YYYY-MM``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError

from portaat import access
from portaat.api.fields import TranslatedField
from portaat.api.filters import ID_SCHEMA, id_param
from portaat.figures.models import FigureReport, Metric

MONTH = re.compile(r"^([1-9][0-9]{3})-(0[1-9]|1[0-2])$")


class MetricSerializer(serializers.ModelSerializer[Metric]):
    kind = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    name = TranslatedField()
    unit = TranslatedField()

    class Meta:
        model = Metric
        fields = ["id", "kind", "key", "name", "unit", "decimals", "maximum"]


class MetricViewSet(viewsets.ReadOnlyModelViewSet[Metric]):
    """The figures asked monthly from each kind of activism (``kind`` null: from kinds that
    have none of their own)."""

    queryset = Metric.objects.select_related("kind").order_by("kind_id", "order", "key")
    serializer_class = MetricSerializer
    pagination_class = None


class ManagesFigures(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS and access.can_manage_figures(
            request.user
        )


class FigureReportSerializer(serializers.ModelSerializer[FigureReport]):
    month = serializers.SerializerMethodField()

    class Meta:
        model = FigureReport
        fields = ["id", "activism", "month", "values", "submitted_at"]

    def get_month(self, obj: FigureReport) -> str:
        """``YYYY-MM``."""
        return f"{obj.period:%Y-%m}"


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("activism", ID_SCHEMA, description="an activism's id"),
            OpenApiParameter("kind", str, description="a kind of activism (slug)"),
            OpenApiParameter(
                "since", str, pattern=MONTH.pattern, description="from this month on, YYYY-MM"
            ),
        ]
    )
)
class FigureReportViewSet(viewsets.ReadOnlyModelViewSet[FigureReport]):
    """Reported activity figures, one object per activism and month: ``values`` maps the
    figures' keys to numbers."""

    serializer_class = FigureReportSerializer
    permission_classes = [ManagesFigures]
    queryset = FigureReport.objects.order_by("period", "activism_id")

    def get_queryset(self) -> QuerySet[FigureReport]:
        found = super().get_queryset()
        params = self.request.query_params
        activism = id_param(params, "activism")
        if activism is not None:
            found = found.filter(activism_id=activism)
        if params.get("kind"):
            found = found.filter(activism__kind__slug=params["kind"])
        if params.get("since"):
            # any month: reports are made for past months only, but a filter from a future
            # month (or 1999) is simply empty (or everything), not an error
            month = MONTH.fullmatch(params["since"])
            if month is None:
                message = _("Write the month as year-month, for example %(example)s.")
                raise ValidationError({"since": [message % {"example": "2026-11"}]})
            found = found.filter(period__gte=dt.date(int(month[1]), int(month[2]), 1))
        return found


def register(router: Any) -> None:
    """Register this app's viewsets on the API's router."""
    router.register("figure-metrics", MetricViewSet, basename="figure-metric")
    router.register("figure-reports", FigureReportViewSet, basename="figure-report")


# routes of the API that are not viewsets, under /api/
urlpatterns: list[Any] = []
