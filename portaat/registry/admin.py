from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from portaat.registry.channels import recognise
from portaat.registry.models import Activism, ActivismKind, Area, Channel, Membership, Unit


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(TranslationAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "parent", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "name_sv", "kind", "municipality", "parent"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name", "name_sv", "key"]
    raw_id_fields = ["parent"]


@admin.register(ActivismKind)
class ActivismKindAdmin(TranslationAdmin):  # type: ignore[type-arg]
    list_display = ["name", "slug", "position", "is_builtin"]
    readonly_fields = ["is_builtin"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # built-in kinds come back with every `portaat init`; activisms PROTECT their kind
        if obj is not None and obj.is_builtin:
            return False
        return super().has_delete_permission(request, obj)


class ChannelInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Channel
    extra = 0
    fields = ["url", "platform", "handle"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # recognised from the address on save, as on the activism's own form
    readonly_fields = ["platform", "handle"]


@admin.register(Activism)
class ActivismAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "status", "visibility", "review", "origin", "updated_at"]
    list_filter = ["visibility", "review", "origin", "status", "legal_form", "kind"]
    search_fields = ["name", "description"]
    filter_horizontal = ["domains", "areas"]
    raw_id_fields = ["maintainers"]
    inlines = [ChannelInline]
    # Contact details are personal data kept only with recorded consent; the activism's own
    # form asks for that consent, so here they can only be read (or removed with the entry).
    readonly_fields = [
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_consent_at",
        "contact_consent_text",
        "origin",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Activism]:
        return super().get_queryset(request).select_related("kind")

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Any],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        if formset.model is not Channel:
            super().save_formset(request, form, formset, change)
            return
        channels = formset.save(commit=False)
        for channel in channels:
            channel.platform, channel.handle = recognise(channel.url)
            channel.save()
        for channel in formset.deleted_objects:
            channel.delete()
        formset.save_m2m()
