"""The browser side of Web Push: taking a volunteer's subscription, forgetting it, and serving
the service worker.

The volunteer is identified by the secret of their page (as on the page itself); the requests
come from our own script on that page, so they carry the CSRF token like any form there.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portaat import ratelimit
from portaat.crowds.models import Volunteer, VolunteerStatus
from portaat.crowds.transports.webpush import subscriptions
from portaat.crowds.transports.webpush.subscriptions import Invalid

SERVICE_WORKER = Path(__file__).resolve().parents[2] / "static" / "crowds" / "sw.js"


def _volunteer(secret: str) -> Volunteer:
    volunteer = Volunteer.objects.filter(secret=secret).first() if len(secret) <= 64 else None
    if volunteer is None:
        raise Http404(_("Not found."))
    return volunteer


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message}, status=status)


@require_POST
@ratelimit.limit("push-subscribe", ratelimit.by_url_part("secret"), refuse=ratelimit.too_many_json)
def subscribe(request: HttpRequest, secret: str) -> HttpResponse:
    """Store the browser's subscription (``PushSubscription.toJSON()``) for the volunteer."""
    volunteer = _volunteer(secret)
    if volunteer.status != VolunteerStatus.ACTIVE:
        return _error(
            _("You have left the volunteers. Volunteer again first to get notifications."),
            status=409,
        )
    try:
        data = subscriptions.parse_subscription(
            subscriptions.read_json(request.body, request.content_type or "")
        )
    except Invalid as exc:
        return _error(str(exc))
    created = subscriptions.save_subscription(volunteer, data)
    return JsonResponse(
        {"ok": True, "message": _("Notifications are on in this browser.")},
        status=201 if created else 200,
    )


@require_POST
@ratelimit.limit("push-subscribe", ratelimit.by_url_part("secret"), refuse=ratelimit.too_many_json)
def unsubscribe(request: HttpRequest, secret: str) -> HttpResponse:
    """Forget one of the volunteer's browsers (``{"endpoint": …}``); unknown endpoints are
    fine: the browser may have been forgotten already after the push service said gone."""
    volunteer = _volunteer(secret)
    try:
        endpoint = subscriptions.parse_endpoint(
            subscriptions.read_json(request.body, request.content_type or "")
        )
    except Invalid as exc:
        return _error(str(exc))
    subscriptions.remove_subscription(volunteer, endpoint)
    return JsonResponse({"ok": True, "message": _("Notifications are off in this browser.")})


@lru_cache(maxsize=1)
def _cached_service_worker() -> bytes:
    return SERVICE_WORKER.read_bytes()


def _service_worker() -> bytes:
    # read afresh while developing, so an edited worker is served without a restart
    return SERVICE_WORKER.read_bytes() if settings.DEBUG else _cached_service_worker()


def worker_scope() -> str:
    """The pages the service worker may control: the crowd pages (where volunteer pages and
    answer pages live), wherever the crowd URLs are mounted."""
    try:
        return reverse("crowds:calls")
    except NoReverseMatch:
        return "/"


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """``sw.js`` from a URL under the crowd pages: a worker's scope can only reach above its
    own folder when the response allows it, and ``Service-Worker-Allowed`` does."""
    response = HttpResponse(_service_worker(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = worker_scope()
    # browsers check for a new worker at most daily anyway; never serve them a stale one
    response["Cache-Control"] = "no-cache"
    return response
