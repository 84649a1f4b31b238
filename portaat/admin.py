"""Admin for what Portaat adds to others' models: a person's two-step sign-in can be seen and
removed (a lost phone), never added, read or edited — its secret stays out of sight."""

from __future__ import annotations

from typing import Any

from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.http import HttpRequest

admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AllauthAuthenticatorAdmin):
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields
    search_fields = ("user__username", "user__email")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
