"""API keys in a real browser: a researcher opens the API keys page from the notifications page,
is told why an unnamed key cannot be made, makes one, copies it from the page, uses it against
the API, and revokes it. Every page is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, format_violations, log_in


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_make_use_and_revoke_an_api_key(server: str, page_in: Any, locale: str) -> None:
    page = page_in(locale)
    log_in(page, server, "researcher@demo.example")
    page.goto(f"{server}/notifications/")
    page.locator("main a[href='/api-keys/']").click()
    page.wait_for_url("**/api-keys/")
    check_accessibility(page, "the API keys page")

    page.locator("#key-name").evaluate("input => input.removeAttribute('required')")
    with page.expect_navigation():
        page.locator(".api-key-form button[type='submit']").click()
    assert page.locator(".hds-notification--error").count() == 1
    assert page.locator("#new-key").count() == 0
    check_accessibility(page, "a refused key")

    name = f"Tutkimusaineiston haku ({locale})"
    page.locator("#key-name").fill(name)
    page.locator("input[name='days'][value='30']").check()
    with page.expect_navigation():
        page.locator(".api-key-form button[type='submit']").click()
    key = page.locator("#new-key").input_value()
    assert key.startswith("portaat_")
    assert name in page.locator("main table").inner_text()
    check_accessibility(page, "a new key, shown once")

    api = page.context.request
    headers = {"Authorization": f"Token {key}", "Cookie": ""}
    answer = api.get(f"{server}/api/v1/research-projects/", headers=headers)
    assert answer.status == 200, answer.text()

    page.goto(f"{server}/api-keys/")
    assert key not in page.content()
    with page.expect_navigation():
        page.locator("main table button[type='submit']").first.click()
    assert page.locator("main table").count() == 0
    check_accessibility(page, "after revoking")
    refused = api.get(f"{server}/api/v1/research-projects/", headers=headers)
    assert refused.status == 403
