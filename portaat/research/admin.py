from django.contrib import admin

from portaat.research.models import ExportLog, ResearchProject


@admin.register(ResearchProject)
class ResearchProjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Coordinators add members here; grants are made on the project's page."""

    list_display = ("title", "organisation", "lead", "status", "intended_level", "access_until")
    list_filter = ("status",)
    raw_id_fields = ("lead", "granted_by")
    filter_horizontal = ("members", "cases")
    exclude = ("secret",)
    readonly_fields = ("granted_by", "granted_at")


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit of downloads: read only."""

    list_display = ("project", "dataset", "format", "user", "at", "rows")
    list_filter = ("dataset", "format")
    readonly_fields = ("project", "dataset", "format", "user", "at", "rows")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # the audit stays; it goes with its project
