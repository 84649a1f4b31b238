from django.contrib import admin
from django.db import models

from portaat.listening.models import PublicAccount, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "platform", "kind", "target", "paused", "last_success_at"]
    list_filter = ["platform", "paused"]
    search_fields = ["name", "target"]
    filter_horizontal = ["activisms"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["last_success_at", "last_error_at", "last_error_code", "last_error_detail"]


@admin.register(PublicAccount)
class PublicAccountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["platform", "handle", "note", "created_at"]
    search_fields = ["handle", "note"]
