from django.contrib import admin

from portaat.figures.models import FigureLink, FigureReport, Metric


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Coordinators choose which figures each kind of activism reports."""

    list_display = ("name", "key", "kind", "unit", "decimals", "maximum", "order")
    list_filter = ("kind",)


@admin.register(FigureReport)
class FigureReportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("activism", "period", "submitted_at", "link", "by")
    list_filter = ("period",)
    raw_id_fields = ("activism", "link", "by")
    readonly_fields = ("corrections",)

    def has_add_permission(self, request: object) -> bool:
        return False  # figures are reported on the pages, where they are validated


@admin.register(FigureLink)
class FigureLinkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("activism", "label", "created_at", "revoked_at")
    raw_id_fields = ("activism", "created_by")
    exclude = ("secret",)

    def has_add_permission(self, request: object) -> bool:
        return False  # made on the activism's figures page, which shows the link once
