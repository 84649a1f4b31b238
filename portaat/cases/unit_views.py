from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portaat import access


@require_GET
@access.require(access.is_administration)
def unit_list(request: HttpRequest) -> HttpResponse:
    """Placeholder until the unit pages land."""
    return render(request, "base.html")
