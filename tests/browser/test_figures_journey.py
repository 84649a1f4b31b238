"""Issue 9's activity figures in a real browser: an official makes a personal link for the demo
REKO ring; a member opens it without an account and reports last month's figures, which are
refused when malformed and then appear on the ring's public chart. Every page is checked with
axe-core."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, format_violations, log_in


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


def last_month() -> str:
    return f"{dt.date.today().replace(day=1) - dt.timedelta(days=1):%Y-%m}"  # noqa: DTZ011


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_members_report_figures_through_a_personal_link(
    server: str, page_in: Any, locale: str
) -> None:
    official = page_in(locale)
    log_in(official, server, "official@demo.example")
    official.goto(f"{server}/activisms/")
    official.locator("a", has_text="Vuosaaren REKO-rengas").first.click()
    official.wait_for_load_state()
    public_url = official.url
    official.locator("a[href^='/figures/activisms/']").click()
    official.wait_for_url("**/figures/activisms/*/")
    check_accessibility(official, "the activism's figures")

    official.locator("#id_label").fill(f"Vuosaaren REKO – koordinaattori ({locale})")
    with official.expect_navigation():
        official.locator("form[action$='/links/'] button[type='submit']").click()
    link = official.locator("code.figure-link").inner_text().strip()
    assert "/figures/s/" in link
    check_accessibility(official, "the new link")

    member = page_in(locale)
    member.goto(link)
    check_accessibility(member, "the personal link")
    member.locator("#id_period").fill("2026-13")
    member.locator("#id_producers").fill("-4")
    with member.expect_navigation():
        member.locator(".figure-form button[type='submit']").click()
    assert member.locator(".hds-notification--error").count() >= 1
    assert member.locator(".hds-text-input__error-text").count() == 2
    check_accessibility(member, "refused figures")

    month = last_month() if locale == "fi" else f"{dt.date.today():%Y-%m}"  # noqa: DTZ011
    member.locator("#id_period").fill(month)
    member.locator("#id_producers").fill("14")
    member.locator("#id_orders").fill("320")
    with member.expect_navigation():
        member.locator(".figure-form button[type='submit']").click()
    assert member.locator(".hds-notification--error").count() == 0
    assert "320" in member.locator("table.figure-table").inner_text()

    member.goto(public_url)
    chart = member.locator(".activism-figures svg.figure-chart").first
    assert chart.get_attribute("role") == "img"
    assert "14" in member.locator(".activism-figures desc").first.text_content()
    check_accessibility(member, "the activism's public page with its chart")
