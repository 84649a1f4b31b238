"""Issue 9's unit report in a real browser: fi, sv and en, with the stairs graphics, checked
with axe-core, and its print layout without the site's navigation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, format_violations, log_in

HEADING = {
    "fi": "Kunkin tapauksen portaat",
    "sv": "Trappan för varje fall",
    "en": "The stairs of each case",
}


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_the_unit_report_renders_with_the_stairs(server: str, page_in: Any, locale: str) -> None:
    page = page_in(locale)
    log_in(page, server, "official@demo.example")
    page.goto(server + "/units/demo-planning/")
    page.locator(".unit-tabs a[href$='/report/']").click()
    page.wait_for_url("**/units/demo-planning/report/")
    assert page.locator("html").get_attribute("lang") == locale
    assert page.get_by_role("heading", name=HEADING[locale]).is_visible()
    # the demo unit's assessed cases each have their stairs drawn, as labelled images
    stairs = page.locator(".unit-report__stairs svg.stairs")
    assert stairs.count() >= 1
    assert stairs.first.is_visible()
    assert stairs.first.get_attribute("role") == "img"
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    # on paper the report keeps its content and drops the navigation
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".unit-tabs").is_visible()
    assert stairs.first.is_visible()
