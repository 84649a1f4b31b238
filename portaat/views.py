"""Site-wide pages: the landing page, health, the two-step explanation, and the error pages."""

from __future__ import annotations

import logging
import sys
from datetime import timedelta

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from portaat import access
from portaat.ladders.queries import ladders_with_steps
from portaat.models import Heartbeat

logger = logging.getLogger("portaat.storage")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    ladders = ladders_with_steps().filter(is_builtin=True)
    return render(
        request,
        "home.html",
        {
            "ladders": ladders,
            "featured": next((lad for lad in ladders if lad.slug == "generic"), None),
        },
    )


@require_GET
def second_step(request: HttpRequest) -> HttpResponse:
    """Why some pages ask for an authenticator app's code, and the way there."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.needs_second_step(request.user):
        raise PermissionDenied
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    need = access.second_step_missing(request)
    if not need:
        return redirect(next_url)
    return render(request, "second_step.html", {"need": need, "next": next_url})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run` users: is the database reachable, is a worker alive?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = Heartbeat.objects.filter(name="worker").first()
    except DatabaseError:
        return JsonResponse({"database": "down"}, status=503)
    worker_ok = beat is not None and timezone.now() - beat.seen_at < timedelta(minutes=3)
    return JsonResponse(
        {
            "database": "ok",
            "worker": "ok" if worker_ok else "unknown",
            "worker_seen_at": beat.seen_at.isoformat() if beat else None,
        }
    )


def error_429(request: HttpRequest) -> HttpResponse:
    """Too many attempts (django-allauth's login and sign-up limits call this)."""
    return render(request, "errors/429.html", status=429)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # an address no API route matches still gets the API's JSON error body
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "errors/403.html", {"message": message}, status=403)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


LOCKED = ("database is locked", "database table is locked")
FULL = ("database or disk is full", "no space left on device", "could not extend file")


def storage_fault(error: BaseException | None) -> str:
    """``"locked"`` (SQLite busy beyond ``PORTAAT_SQLITE_TIMEOUT``), ``"full"`` (disk full, on
    SQLite or PostgreSQL) or ``""`` for any other error."""
    if not isinstance(error, DatabaseError):
        return ""
    text = str(error).lower()
    if any(marker in text for marker in LOCKED):
        return "locked"
    if any(marker in text for marker in FULL):
        return "full"
    return ""


def error_500(request: HttpRequest) -> HttpResponse:
    # No request context: whatever broke the request must not break its error page too.
    # Django calls this while handling the exception, so it can tell storage faults apart: the
    # failed statement was rolled back and the database is intact, so say what happened and
    # when to try again (503) instead of "something went wrong".
    fault = storage_fault(sys.exc_info()[1])
    if fault:
        logger.error("Storage fault (%s) on %s %s", fault, request.method, request.path)
        page = loader.render_to_string("errors/503.html", {"fault": fault})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30" if fault == "locked" else "300"
        return response
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
