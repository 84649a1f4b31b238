from __future__ import annotations

from typing import Any


def test_switching_to_swedish_sticks_across_pages(server: str, page_in: Any) -> None:
    page = page_in("fi")
    page.goto(server + "/ladders/")
    finnish_title = page.locator("h1").inner_text()
    page.locator(".lang-switcher button[value='sv']").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
    # stays on the same page, now in Swedish
    assert page.url.endswith("/ladders/")
    assert page.locator("h1").inner_text() != finnish_title
    assert page.locator(".lang-switcher button[value='sv']").get_attribute("aria-current") == "true"
    page.goto(server + "/stages/")
    assert page.locator("html").get_attribute("lang") == "sv"


def test_switching_back_to_english_and_finnish(server: str, page_in: Any) -> None:
    page = page_in("sv")
    page.goto(server + "/")
    page.locator(".lang-switcher button[value='en']").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".lang-switcher button[value='fi']").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fi"
