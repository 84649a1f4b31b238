from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, format_violations

HEADINGS = {
    "en": "The administration and civic action, working together",
}


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_the_landing_page_speaks_the_browsers_language(
    server: str, page_in: Any, locale: str
) -> None:
    page = page_in(locale)
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == locale
    heading = page.locator("h1").inner_text()
    if locale == "en":
        assert heading == HEADINGS["en"]
    else:
        assert heading and heading != HEADINGS["en"], "the heading is not translated"
    # "How to start" for the three audiences of the info packet
    assert page.locator(".cards article").count() == 3
    assert page.locator("svg.stairs").first.is_visible()


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_the_landing_page_has_no_serious_accessibility_violations(
    server: str, page_in: Any, locale: str
) -> None:
    page = page_in(locale)
    page.goto(server + "/")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_finnish_is_the_default_for_other_languages(server: str, page_in: Any) -> None:
    page = page_in("de-DE")
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "fi"


def test_the_api_docs_work_under_the_content_security_policy(server: str, page_in: Any) -> None:
    """Swagger UI's start script is a file of its own (no inline script); ``page_in`` fails the
    test if the policy blocked anything."""
    page = page_in("en")
    page.goto(server + "/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 10
