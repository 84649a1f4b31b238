from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def activism_list(request: HttpRequest) -> HttpResponse:
    """Placeholder until the registry pages land."""
    return render(request, "base.html")
