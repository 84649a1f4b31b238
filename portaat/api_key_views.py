"""The API keys page (``/api-keys/``): a signed-in person makes keys for integrations, sees them
(name, start, when made, last used, expiry) and revokes them. A new key is shown once, on the
answer to the form that made it; only its digest is kept (``portaat.api.keys``).

Those who must give the authenticator app's code for their pages (call runners, staff) give it
here too: a key acts as its account."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portaat import access
from portaat.api import keys


def _page(
    request: HttpRequest,
    *,
    status: int = 200,
    error: str = "",
    new_key: str = "",
    name: str = "",
    days: str = "",
) -> HttpResponse:
    response = render(
        request,
        "api_keys/list.html",
        {
            "keys": keys.keys_of(request.user),
            "lifetimes": keys.LIFETIMES,
            "days": days or str(keys.DEFAULT_LIFETIME),
            "name": name,
            "name_max": keys.NAME_MAX,
            "error": error,
            "new_key": new_key,
        },
        status=status,
    )
    # a page that may show a key is never kept by a browser or a proxy
    add_never_cache_headers(response)
    return response


@login_required
@access.require_second_step
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """GET: the person's keys and the form; POST: make a key and show it once."""
    if request.method == "GET":
        return _page(request)
    user: Any = request.user
    name = request.POST.get("name", "")
    raw_days = request.POST.get("days", "").strip()
    try:
        days = int(raw_days)
    except ValueError:
        return _page(
            request,
            status=400,
            error=_("Choose how long the key is valid."),
            name=name,
            days=raw_days,
        )
    if days not in keys.LIFETIMES:
        return _page(
            request,
            status=400,
            error=_("Choose how long the key is valid."),
            name=name,
        )
    try:
        _row, key = keys.create(user, name, days)
    except keys.ApiKeyError as error:
        return _page(request, status=400, error=str(error), name=name, days=raw_days)
    return _page(request, new_key=key)


@login_required
@access.require_second_step
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes one of the person's own keys; another's key is answered as a missing one."""
    if not keys.revoke(request.user, pk):
        raise Http404
    messages.success(request, _("The API key was revoked: it no longer works."))
    return redirect("api_keys")
