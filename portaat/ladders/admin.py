from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from portaat.ladders.models import Ladder, Stage, Step


class StepInline(TranslationTabularInline):  # type: ignore[type-arg]
    model = Step
    extra = 0
    max_num = 8
    can_delete = False


@admin.register(Ladder)
class LadderAdmin(TranslationAdmin):  # type: ignore[type-arg]
    list_display = ["name", "domain", "kind", "is_builtin"]
    list_filter = ["kind", "is_builtin"]
    inlines = [StepInline]
    readonly_fields = ["is_builtin", "created_by", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A ladder added here would start with no steps; custom ladders are made by copying
        # one (services.save_custom_ladder), which guarantees exactly eight.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # View-only: built-ins are upgraded by `portaat init`, and custom ladders are edited on
        # their own page, where services.save_custom_ladder validates every text.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_builtin:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Stage)
class StageAdmin(TranslationAdmin):  # type: ignore[type-arg]
    list_display = ["number", "title"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
