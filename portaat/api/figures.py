"""Read API of activity figures: the figures asked per kind of activism (anyone) and the
reported figures (the administration; ``?activism=``, ``?kind=``, ``?since=YYYY-MM``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError

from portaat import access
from portaat.api.fields import TranslatedField
from portaat.figures import services
from portaat.figures.models import FigureReport, Metric


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
            OpenApiParameter("activism", int, description="an activism's id"),
            OpenApiParameter("kind", str, description="a kind of activism (slug)"),
            OpenApiParameter("since", str, description="from this month on, YYYY-MM"),
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
        if params.get("activism"):
            if not params["activism"].isdigit():
                raise ValidationError({"activism": ["Not an id."]})
            found = found.filter(activism_id=int(params["activism"]))
        if params.get("kind"):
            found = found.filter(activism__kind__slug=params["kind"])
        if params.get("since"):
            try:
                found = found.filter(period__gte=services.parse_period(params["since"]))
            except DjangoValidationError as exc:
                raise ValidationError({"since": exc.messages}) from None
        return found


def register(router: Any) -> None:
    """Register this app's viewsets on the API's router."""
    router.register("figure-metrics", MetricViewSet, basename="figure-metric")
    router.register("figure-reports", FigureReportViewSet, basename="figure-report")


# routes of the API that are not viewsets, under /api/
urlpatterns: list[Any] = []
