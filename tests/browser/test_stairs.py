from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, format_violations

BUILTIN = ["generic", "city-planning", "peer-lending", "reko", "somehallinto"]


@pytest.mark.parametrize("slug", BUILTIN)
def test_each_ladder_shows_its_stairs_and_a_text_equivalent(
    server: str, page_in: Any, slug: str
) -> None:
    page = page_in("fi")
    page.goto(f"{server}/ladders/{slug}/?current=3&target=6&p=Aktivistit:5")
    svg = page.locator("figure svg.stairs")
    assert svg.is_visible()
    assert svg.get_attribute("role") == "img"
    assert svg.locator("title").count() == 1
    assert page.locator(".stairs-table tbody tr").count() == 8
    # the markers are drawn as labelled badges, not colour alone
    assert svg.locator("g.marker").count() == 3
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_the_corrected_city_planning_ladder_in_finnish(server: str, page_in: Any) -> None:
    page = page_in("fi")
    page.goto(f"{server}/ladders/city-planning/")
    rows = page.locator(".stairs-table tbody tr")
    # the table lists level 8 first
    assert "Viranhaltijat keskustelevat aktivistien someryhmissä" in rows.nth(4).inner_text()
    assert "Vaihtoehtoisen kaupunkisuunnittelun tukipalvelu" in rows.nth(3).inner_text()


def test_the_svg_url_renders_as_an_image(server: str, page_in: Any) -> None:
    page = page_in("sv")
    response = page.goto(f"{server}/ladders/reko/stairs.svg?current=2&target=4")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert page.locator("svg").bounding_box()["width"] > 300


def test_the_stairs_fit_a_phone_screen(server: str, page_in: Any) -> None:
    page = page_in("fi", viewport={"width": 360, "height": 740}, is_mobile=True)
    page.goto(f"{server}/ladders/generic/?current=2&target=5")
    box = page.locator("figure svg.stairs").bounding_box()
    assert box["width"] <= 360
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, "the page scrolls sideways on a phone"


@pytest.mark.parametrize("path", ["/ladders/", "/stages/", "/accounts/login/"])
def test_other_pages_have_no_serious_accessibility_violations(
    server: str, page_in: Any, path: str
) -> None:
    for locale in ("fi", "sv"):
        page = page_in(locale)
        page.goto(server + path)
        violations = axe_violations(page)
        assert not violations, f"{path} ({locale}):\n" + format_violations(violations)


def test_a_coordinator_logs_in_and_copies_a_ladder(server: str, page_in: Any) -> None:
    from tests.browser.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

    page = page_in("en")
    page.goto(server + "/accounts/login/")
    page.locator("input[name='login']").fill(ADMIN_EMAIL)
    page.locator("input[name='password']").fill(ADMIN_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_load_state()
    page.goto(server + "/ladders/reko/")
    page.get_by_role("link", name="Copy into a new ladder").click()
    page.locator("#id_name_en").fill("Browser test REKO ladder")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Browser test REKO ladder"
    assert page.locator(".stairs-table tbody tr").count() == 8
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
