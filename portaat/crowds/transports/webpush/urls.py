"""The Web Push URLs, mounted under ``/crowds/push/``: ``sw.js`` (the service worker, whose
scope is the crowd pages), ``<secret>/subscribe/`` and ``<secret>/unsubscribe/``."""

from __future__ import annotations

from django.urls import path

from portaat.crowds.transports.webpush import views

app_name = "push"

urlpatterns = [
    path("sw.js", views.service_worker, name="sw"),
    path("<str:secret>/subscribe/", views.subscribe, name="subscribe"),
    path("<str:secret>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
