"""The initiatives part of the REST API (``/api/v1/``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API's router."""


# routes of the API that are not viewsets, under /api/
urlpatterns: list[URLPattern | URLResolver] = []
