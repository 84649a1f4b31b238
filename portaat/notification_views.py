"""The notification pages: a signed-in user's own notifications and digest setting.

Everyone reads only their own notifications; an id that is not the user's gets a 404, so an
address does not reveal whether somebody else's notification exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from portaat import notifications
from portaat.models import EmailDigest, Notification

PAGE_SIZE = 25


def _page(
    request: HttpRequest, *, status: int = 200, error: str = "", digest: str | None = None
) -> HttpResponse:
    user = request.user
    page = Paginator(notifications.for_user(user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"note": n, "text": notifications.render(n)} for n in page.object_list]
    current = notifications.settings_for(user)
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "items": items,
            "unread": notifications.unread_count(user),
            "digest_choices": EmailDigest.choices,
            "digest": digest if digest is not None else current.email_digest,
            "error": error,
        },
        status=status,
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list (the same page of it), or to a local ``next`` address."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    url = reverse("notifications:list")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, with the digest setting."""
    notifications.remember_language(request.user, translation.get_language())
    return _page(request)


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``; several ids are fine) or all (``all``) read."""
    user: Any = request.user
    if request.POST.get("all"):
        count = notifications.mark_all_read(user)
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked read.",
                "%(count)d notifications marked read.",
                count,
            )
            % {"count": count},
        )
        return _back(request)
    raw = request.POST.getlist("id")
    if not raw:
        return _page(request, status=400, error=_("Choose the notifications to mark read."))
    try:
        ids = {int(value) for value in raw}
    except ValueError:
        return _page(request, status=400, error=_("That is not a notification."))
    own = set(Notification.objects.filter(user_id=user.pk, pk__in=ids).values_list("pk", flat=True))
    if own != ids:
        raise Http404
    notifications.mark_read(user, ids)
    return _back(request)


@login_required
@require_POST
def digest_settings(request: HttpRequest) -> HttpResponse:
    """Choose how often the email digest comes: never, daily or weekly."""
    choice = request.POST.get("email_digest", "")
    if choice not in EmailDigest.values:
        return _page(
            request,
            status=400,
            error=_("Choose how often you want the email: never, daily or weekly."),
            digest="",
        )
    notifications.set_digest(request.user, choice)
    notifications.remember_language(request.user, translation.get_language())
    messages.success(request, _("Your email setting was saved."))
    return redirect("notifications:list")
