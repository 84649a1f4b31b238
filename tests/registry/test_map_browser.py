"""The list page and its map in a real Chromium (marked ``browser``; skipped without one)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils.translation import gettext

from tests.browser.conftest import CHROMIUM, axe_violations, format_violations
from tests.factories import ActivismFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chromium_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the test's own database work
    # (factories, the live server's flush) is still synchronous and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("PORTAAT_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(locale="fi")
        context.set_default_timeout(15_000)
        # nothing may be fetched from another host: no tiles are configured
        foreign: list[str] = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("http://localhost")
                else (foreign.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        page.foreign_requests = foreign
        yield page
        browser.close()


def test_the_map_draws_one_marker_per_area(live_server, chromium_page, areas):
    ActivismFactory(name="Alfa", areas=[areas["kallahti"], areas["tapiola"]])
    ActivismFactory(name="Beta", areas=[areas["kallahti"]])
    page = chromium_page
    page.goto(f"{live_server.url}/activisms/")
    canvas = page.locator("#activism-map")
    assert canvas.is_visible()
    assert "leaflet-container" in canvas.get_attribute("class")
    assert "area-map__canvas--plain" in canvas.get_attribute("class")
    assert page.locator("#activism-map path.leaflet-interactive").count() == 2
    assert page.locator("#activism-map .leaflet-control-scale").count() == 1
    zoom_in = page.locator("#activism-map .leaflet-control-zoom-in")
    assert zoom_in.get_attribute("title") == gettext("Zoom in")
    assert page.locator(".area-map__table tbody tr").count() == 2
    # a marker opens a popup that links to the list narrowed to its area
    page.locator("#activism-map path.leaflet-interactive").first.click(force=True)
    link = page.locator("#activism-map .leaflet-popup-content a")
    assert link.get_attribute("href").startswith("/activisms/?area=")
    assert page.foreign_requests == []
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_without_javascript_the_table_remains(live_server, chromium_page, areas):
    ActivismFactory(name="Alfa", areas=[areas["kallahti"]])
    page = chromium_page
    page.context.route("**/map.js", lambda route: route.abort())
    page.goto(f"{live_server.url}/activisms/")
    assert not page.locator("#activism-map").is_visible()
    assert page.locator(".area-map__table a", has_text="Kallahti").is_visible()


def test_the_forms_have_no_serious_accessibility_violations(
    live_server, chromium_page, areas, kinds, builtin, official
):
    page = chromium_page
    page.context.add_cookies(_session_cookie(live_server.url, official))
    for path in ("/activisms/new/", "/activisms/review/", "/activisms/?kind=nope"):
        page.goto(f"{live_server.url}{path}")
        violations = axe_violations(page)
        assert not violations, f"{path}: " + format_violations(violations)


def _session_cookie(url: str, user: Any) -> list[dict[str, Any]]:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": url,
        }
    ]
