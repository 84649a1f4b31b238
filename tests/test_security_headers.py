"""Security headers of every page: Content-Security-Policy (no inline scripts, images also from
the map's tile server), HSTS over https, nosniff and no framing."""

from __future__ import annotations

import pytest
from django.test import Client

from portaat.settings import _tile_origin

pytestmark = pytest.mark.django_db


def test_every_page_has_the_policy_and_the_basic_headers():
    for path in ("/", "/crowds/join/", "/accounts/login/", "/does-not-exist/"):
        response = Client().get(path)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy, path
        assert "'unsafe-eval'" not in policy and "frame-ancestors 'none'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_over_https_when_configured(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    assert "Strict-Transport-Security" not in Client().get("/")
    secure = Client().get("/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def test_the_policy_can_be_replaced_or_turned_off(settings):
    settings.PORTAAT_CSP = "default-src 'none'"
    assert Client().get("/")["Content-Security-Policy"] == "default-src 'none'"
    settings.PORTAAT_CSP = "off"
    assert "Content-Security-Policy" not in Client().get("/")


def test_the_map_tile_server_is_allowed_for_images():
    assert _tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )
    assert _tile_origin("https://{s}.tiles.example.fi/{z}/{x}/{y}.png") == (
        "https://*.tiles.example.fi"
    )
    assert _tile_origin("") == ""
