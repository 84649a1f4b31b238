from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from portaat.repertoire.models import Experiment, ExperimentAttachment, PlanItem, Practice


@admin.register(Practice)
class PracticeAdmin(TranslationAdmin):  # type: ignore[type-arg]
    list_display = ["title", "level_from", "level_to", "action_type", "is_builtin"]
    list_filter = ["action_type", "level_from", "ladders"]
    search_fields = ["title_fi", "title_sv", "title_en"]
    filter_horizontal = ["ladders"]
    readonly_fields = ["step", "created_by", "created_at", "updated_at"]

    @admin.display(boolean=True, description=_("built-in"))
    def is_builtin(self, obj: Practice) -> bool:
        return obj.is_builtin

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New practices come from the repertoire page, where services.save_practice checks
        # the texts, levels and links.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Built-ins are the ladders' own steps and follow them on every release.
        if obj is not None and obj.is_builtin:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_builtin:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-mostly: plans are made on the case page; the admin only views and cleans up."""

    list_display = ["case", "practice", "owner", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["case__activism", "case__unit", "case__ladder", "practice", "owner"]
    date_hierarchy = "due_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ExperimentAttachmentInline(admin.TabularInline):  # type: ignore[type-arg]
    """The experiment's files, read-only: they are added and deleted on the experiment page
    (where the type, size and scan are checked); deleting the experiment deletes them. The
    stored file name is not shown: the files are reached only through the download view."""

    model = ExperimentAttachment
    extra = 0
    readonly_fields = (
        "download",
        "title",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    fields = readonly_fields
    can_delete = False

    @admin.display(description=_("file name"))
    def download(self, obj: ExperimentAttachment) -> str:
        url = reverse("experiments:attachment", args=[obj.experiment_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_filename)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-mostly: experiments are run and closed on their pages (services check outcomes)."""

    inlines = [ExperimentAttachmentInline]

    list_display = ["title", "status", "outcome", "starts_on", "ends_on", "owner"]
    list_filter = ["status", "outcome"]
    list_select_related = ["owner"]
    search_fields = ["title", "hypothesis", "lessons"]
    date_hierarchy = "starts_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
