"""Issue 9's social-media governance journey in a real browser: an official finds the page
from the menu, places themselves on the stairs (level 3 now, 5 as the target), sees the stairs
marked and the learning path pointing to level 4, and opens the guidance of that next level.
In Finnish and in Swedish; every page is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, format_violations, log_in

NEXT_LEVEL = {"fi": "arkistolain", "sv": "arkivlagen"}


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


def pick(page: Any, name: str, value: str) -> None:
    radio = page.locator(f"input[name='{name}'][value='{value}']")
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    assert radio.is_checked()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_an_official_self_assesses_and_opens_the_guidance_for_the_next_level(
    server: str, page_in: Any, locale: str
) -> None:
    page = page_in(locale)
    log_in(page, server, "official@demo.example")
    page.locator("nav.site-nav a[href='/somehallinto/']").click()
    page.wait_for_url("**/somehallinto/")
    check_accessibility(page, "my social-media governance")

    pick(page, "current_level", "3")
    pick(page, "target_level", "5")
    page.locator("#id_note").fill("Seuraan asukasryhmiä / Jag följer invånargrupper")
    page.locator(".sh-form button[type='submit']").click()
    page.wait_for_load_state()
    assert page.locator(".hds-notification--error").count() == 0

    # the stairs show where I am and where I aim; the path marks level 4 as the next
    svg = page.locator(".sh-layout figure svg.stairs")
    assert svg.get_attribute("role") == "img"
    assert svg.locator("g.marker").count() == 2
    next_level = page.locator(".sh-path__item.is-next")
    assert next_level.count() == 1
    check_accessibility(page, "after the self-assessment")

    next_level.locator("a").click()
    page.wait_for_url("**/somehallinto/levels/4/")
    assert NEXT_LEVEL[locale] in page.locator(".sh-guidance").inner_text()
    check_accessibility(page, "guidance of level 4")
