"""Issue 9's research projects in a real browser: an official records the demo planning group's
contact person and channel; a researcher proposes a project on its case; a coordinator grants
the datasets on the project's page; the researcher downloads the pseudonymised CSV exports,
which contain no names, handles or contact data. Every page is checked with axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, format_violations, log_in

ACTIVISM = "Kallion kaupunkisuunnitteluryhmä"  # the demo listening source follows it
CONTACT = {
    "#id_contact_name": "Maija Meikäläinen",
    "#id_contact_email": "maija.meikalainen@example.org",
    "#id_contact_phone": "040 123 4567",
}
CHANNEL = "https://mastodon.social/@kalliokaava"
NEVER = (ACTIVISM, "Maija", "Meikäläinen", "maija.meikalainen", "040 123 4567", "kalliokaava")
NEVER += ("mastodon.social", "demo-author-")


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


def give_contact_data(page: Any, server: str) -> None:
    page.goto(f"{server}/activisms/")
    page.locator("a", has_text=ACTIVISM).first.click()
    page.wait_for_load_state()
    page.goto(page.url.rstrip("/") + "/edit/")
    page.locator("#id_channels").fill(CHANNEL)
    for selector, value in CONTACT.items():
        page.locator(selector).fill(value)
    if not page.locator("#id_contact_consent").is_checked():
        page.locator("#id_contact_consent").check()
    with page.expect_navigation():
        page.locator("main form button[type='submit']").last.click()
    assert "/edit/" not in page.url, page.locator("main").inner_text()


def download(page: Any, selector: str) -> str:
    with page.expect_download() as info:
        page.locator(selector).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_a_researcher_downloads_a_pseudonymised_export(
    server: str, page_in: Any, locale: str
) -> None:
    official = page_in(locale)
    log_in(official, server, "official@demo.example")
    give_contact_data(official, server)

    researcher = page_in(locale)
    log_in(researcher, server, "researcher@demo.example")
    researcher.goto(f"{server}/research/")
    check_accessibility(researcher, "my research projects")
    researcher.locator("a[href='/research/new/']").click()
    researcher.wait_for_url("**/research/new/")
    with researcher.expect_navigation():  # nothing filled: refused with messages
        researcher.locator(".research-form button[type='submit']").click()
    assert researcher.locator(".hds-notification--error").count() >= 1
    check_accessibility(researcher, "a refused proposal")
    researcher.locator("#id_title").fill(f"Kaavoitus ja asukasryhmät ({locale})")
    researcher.locator("#id_organisation").fill("Helsingin yliopisto")
    researcher.locator("#id_summary").fill("Miten asukasryhmät osallistuvat kaavoitukseen.")
    researcher.locator("#id_intended_level").select_option("5")
    researcher.locator("label", has_text=ACTIVISM).first.click()
    with researcher.expect_navigation():
        researcher.locator(".research-form button[type='submit']").click()
    researcher.wait_for_url("**/research/*/")
    project_url = researcher.url
    assert "/export/" not in researcher.content()  # nothing granted yet
    check_accessibility(researcher, "the proposed project")

    coordinator = page_in(locale)
    log_in(coordinator, server, "coordinator@demo.example")
    coordinator.goto(project_url)
    coordinator.locator("#id_status").select_option("active")
    for index in range(4):
        coordinator.locator(f"#id_datasets_{index}").check()
    with coordinator.expect_navigation():
        coordinator.locator(".research-grant button[type='submit']").click()
    assert coordinator.locator(".hds-notification--error").count() == 0
    check_accessibility(coordinator, "the coordinator's decision")

    researcher.goto(project_url)
    check_accessibility(researcher, "the granted project")
    posts = download(researcher, "a[href$='/export/posts.csv']")
    activisms = download(researcher, "a[href$='/export/activisms.csv']")
    assert posts.startswith("\ufeffpost,activisms,platform")
    assert len(posts.strip().splitlines()) > 1  # the demo source's posts
    assert "planning-group" in activisms
    for text in (posts, activisms):
        for secret in NEVER:
            assert secret.lower() not in text.lower(), secret

    researcher.reload()
    assert researcher.locator("table", has_text="CSV").count() == 1  # the downloads, logged
    researcher.locator("a[href$='/dictionary/']").click()
    researcher.wait_for_url("**/dictionary/")
    check_accessibility(researcher, "the data dictionary")
