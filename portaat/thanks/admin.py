from django.contrib import admin

from portaat.thanks.models import ModerationEntry, Thanks


class ModerationEntryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ModerationEntry
    extra = 0
    fields = ["at", "action", "actor", "reason"]
    readonly_fields = ["at", "action", "actor", "reason"]
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Thanks)
class ThanksAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Thanks come through the public form and are moderated on the moderation page, so the
    admin adds none and shows the moderation fields read-only (the audit trail stays true)."""

    list_display = ["pk", "unit", "official", "status", "created_at", "moderated_by"]
    list_filter = ["status", "unit"]
    search_fields = ["story", "thanker_name"]
    readonly_fields = [
        "official",
        "unit",
        "activism",
        "language",
        "status",
        "rejection_reason",
        "moderated_by",
        "moderated_at",
        "published_at",
        "created_at",
    ]
    fields = ["story", "thanker_name", "contact_email", *readonly_fields]
    inlines = [ModerationEntryInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
