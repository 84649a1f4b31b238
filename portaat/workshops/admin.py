from django.contrib import admin

from portaat.workshops.models import Workshop, WorkshopCase


class WorkshopCaseInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WorkshopCase
    extra = 0
    fields = ["case", "position", "locked_at", "assessment"]
    readonly_fields = ["case", "locked_at", "assessment"]
    can_delete = False


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "code", "facilitator", "created_at", "expires_at", "closed_at"]
    search_fields = ["title", "code"]
    readonly_fields = ["code", "created_at"]
    inlines = [WorkshopCaseInline]
