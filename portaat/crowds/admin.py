"""Coordinators maintain the consent texts and the skills list here; calls and the audit log
are read-only (they change only through the call pages, which keep the log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from portaat.crowds.models import AuditEntry, Call, ConsentText, Skill, Volunteer


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["version", "published_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # a published version is never edited: volunteers consented to its exact words
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["slug", "name_fi", "name_sv", "name_en", "position"]
    list_editable = ["position"]


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """For removing a sign-up made with someone else's number; contact data shows only to
    staff who hold the model's view permission."""

    list_display = ["pk", "name", "status", "language", "confirmed_at", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["name", "email", "phone"]
    readonly_fields = ["consent", "consented_at", "confirmed_at", "created_at", "left_at"]
    filter_horizontal = ["areas", "skills"]


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Call)
class CallAdmin(ReadOnly):
    list_display = ["title", "status", "starts_at", "needed", "created_by"]
    list_filter = ["status"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly):
    list_display = ["at", "actor", "action", "call"]
    list_filter = ["action"]
