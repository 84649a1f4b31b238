"""Issue 9's initiatives in a real browser: the demo activist posts an initiative of the REKO
ring they keep (it missed the grant it applied for); the official opens it, sees the open
opportunities that fit — best fit first, with the reasons — and proposes one; the activist is
notified, finds the proposal on the initiative and reports applying for it. Every page is
checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, format_violations, log_in

GRANT = "[Esimerkki] Lähiruoka- ja kaupunkiviljelyavustus"
PLANNING_GRANT = "[Esimerkki] Asukasosallisuuden kaavoitusavustus"


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_an_initiative_is_matched_to_an_opportunity(server: str, page_in: Any, locale: str) -> None:
    title = f"Jakelukatos ja kylmälaukut ({locale})"

    activist = page_in(locale)
    log_in(activist, server, "activist@demo.example")
    activist.goto(f"{server}/activisms/")
    activist.locator("a", has_text="Vuosaaren REKO-rengas").first.click()
    activist.wait_for_load_state()
    activist.locator("a[href^='/initiatives/new/?activism=']").click()
    activist.wait_for_url("**/initiatives/new/*")
    check_accessibility(activist, "the initiative form")

    # a malformed amount is refused with a message, nothing is saved
    activist.locator("#id_title").fill(title)
    activist.locator("#id_description").fill("Katos jakelupaikalle ja kylmälaukut tuottajille.")
    activist.locator("#id_missed_grant").fill("Osallistuva budjetointi 2026")
    activist.locator("#id_amount_sought").fill("-300")
    with activist.expect_navigation():
        activist.locator("main form button[type='submit']").click()
    assert activist.locator(".hds-text-input__error-text").count() == 1
    check_accessibility(activist, "the refused initiative form")

    activist.locator("#id_amount_sought").fill("3000")
    with activist.expect_navigation():
        activist.locator("main form button[type='submit']").click()
    activist.wait_for_url("**/initiatives/*/")
    initiative_url = activist.url
    assert activist.locator("h1").inner_text() == title
    check_accessibility(activist, "the initiative")

    official = page_in(locale)
    log_in(official, server, "official@demo.example")
    official.goto(f"{server}/")
    official.locator(".site-nav a[href='/initiatives/']").click()
    official.wait_for_url("**/initiatives/")
    check_accessibility(official, "the list of initiatives")
    official.locator("a", has_text=title).click()
    official.wait_for_url(initiative_url)
    suggestions = official.locator(".suggestion h3")
    # the REKO grant for all of Helsinki fits the ring in Vuosaari best; the planning grant
    # (another domain) is not suggested
    assert suggestions.first.inner_text() == GRANT
    assert PLANNING_GRANT not in official.locator(".suggestion-list").inner_text()
    check_accessibility(official, "the initiative with suggestions")
    first = official.locator(".suggestion").first
    first.locator("textarea").fill("Haku on auki, tämä sopii teille hyvin.")
    with official.expect_navigation():
        first.locator("button[type='submit']").click()
    assert official.locator(".match h3").first.inner_text() == GRANT
    assert GRANT not in official.locator(".suggestion-list").inner_text()
    check_accessibility(official, "the initiative after proposing")

    activist.goto(f"{server}/notifications/")
    activist.locator(f"a[href='{initiative_url.removeprefix(server)}']").first.click()
    activist.wait_for_url(initiative_url)
    match = activist.locator(".match").first
    assert "Haku on auki" in match.inner_text()
    match.locator("select").select_option("applying")
    with activist.expect_navigation():
        match.locator("button[type='submit']").click()
    assert activist.locator(".match select").first.input_value() == "applying"
    check_accessibility(activist, "the initiative after reporting applying")
