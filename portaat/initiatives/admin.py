from django.contrib import admin

from portaat.initiatives.models import Initiative, Match, Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "title",
        "kind",
        "provider",
        "amount_min",
        "amount_max",
        "deadline",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("title", "provider")
    filter_horizontal = ("domains", "areas")
    raw_id_fields = ("created_by",)


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "activism", "amount_sought", "needed_by", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "activism__name")
    raw_id_fields = ("activism", "created_by")
    filter_horizontal = ("domains", "areas")


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("initiative", "opportunity", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("initiative", "opportunity", "created_by")
    readonly_fields = ("history", "reasons")

    def has_add_permission(self, request: object) -> bool:
        return False  # proposed on the initiative's page, which checks the deadline and notifies
