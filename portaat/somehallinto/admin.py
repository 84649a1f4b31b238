from django.contrib import admin

from portaat.somehallinto.models import Guidance, SelfAssessment


@admin.register(Guidance)
class GuidanceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("level", "title", "updated_at")
    readonly_fields = ("updated_at", "updated_by")

    def has_add_permission(self, request: object) -> bool:
        return False  # one per level, shipped with the release

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("assessed_at", "official", "unit", "current_level", "target_level")
    list_filter = ("current_level", "target_level")
    raw_id_fields = ("official", "unit", "by")

    def has_add_permission(self, request: object) -> bool:
        return False  # assessments are made on the pages, by the official or the unit
