"""The admin site's sign-in, and admin for what Portaat adds to others' models.

The admin shows everything, volunteers' contact details too, so it signs people in as the rest
of the site does (django-allauth: rate limits on wrong passwords, the authenticator app's code)
rather than with Django's own login form, and its pages ask staff for the second step as the
call pages do (``access.second_step_missing``). A person's two-step sign-in can be seen and
removed here (a lost phone), never added, read or edited — its secret stays out of sight."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.decorators import secure_admin_login
from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.http import HttpRequest, HttpResponseBase

from portaat import access
from portaat.models import ApiKey

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
_admin_view = admin.site.admin_view


def _admin_view_with_second_step(
    view: Callable[..., HttpResponseBase], cacheable: bool = False
) -> Callable[..., HttpResponseBase]:
    inner = _admin_view(view, cacheable)

    @wraps(inner)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if admin.site.has_permission(request) and access.second_step_missing(request):
            return access.second_step_redirect(request)
        return inner(request, *args, **kwargs)

    return wrapped


admin.site.admin_view = _admin_view_with_second_step  # type: ignore[method-assign,assignment]

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


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A person's API keys can be seen (never the key: it is not stored) and revoked here, as on
    their own page; a key is made by its owner, who is the only one ever to see it."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "expires_at")
    search_fields = ("user__username", "user__email", "name", "prefix")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
