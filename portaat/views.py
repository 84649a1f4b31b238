"""Site-wide pages: the landing page, health, and the error pages."""

from __future__ import annotations

from datetime import timedelta

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_GET

from portaat.ladders.queries import ladders_with_steps
from portaat.models import Heartbeat


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


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "errors/403.html", {"message": message}, status=403)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_500(request: HttpRequest) -> HttpResponse:
    # No request context: whatever broke the request must not break its error page too.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
