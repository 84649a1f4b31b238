"""Issue 9's thanks journey in a real browser (Finnish UI): an official allows being thanked
by name, an activist thanks them without an account, a coordinator publishes the thanks, and
it appears on the public wall; the official (and, by their choice, the unit's coordinator) is
notified. Every page on the way is checked with axe-core."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import axe_violations, format_violations, log_in

STORY = "Olli tuli REKO-jakoomme kertomaan torin kaavasta ja kuunteli meitä. Kiitos!"


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


def test_an_activist_thanks_an_official_and_it_appears_after_moderation(
    server: str, page_in: Any
) -> None:
    # the official allows being thanked by name, and wants their coordinator to hear of it
    official = page_in("fi")
    log_in(official, server, "official@demo.example")
    official.goto(server + "/thanks/settings/")
    check_accessibility(official, "thanks settings")
    official.locator("#id_accepts_thanks").check()
    official.locator("#id_public_name").fill("Olli Virkamies, kaavoittaja")
    official.locator("#id_thanks_to_manager").check()
    official.locator("form.thanks-form button[type='submit']").click()
    official.wait_for_load_state()
    assert official.locator("#id_accepts_thanks").is_checked()

    # an activist, without an account, finds the form from the menu and thanks the official
    activist = page_in("fi")
    activist.goto(server + "/")
    activist.locator("nav.site-nav a[href='/thanks/']").click()
    activist.wait_for_load_state()
    check_accessibility(activist, "thanks wall (empty)")
    activist.locator("main a[href^='/thanks/new/']").first.click()
    activist.wait_for_load_state()
    assert activist.locator("html").get_attribute("lang") == "fi"
    check_accessibility(activist, "thanks form")
    choice = activist.locator("#id_official option", has_text="Olli Virkamies, kaavoittaja")
    activist.locator("#id_official").select_option(choice.get_attribute("value"))
    activist.locator("#id_story").fill(STORY)
    activist.locator("#id_thanker_name").fill("Liisa Lauttasaaresta")
    activist.locator("#id_contact_email").fill("liisa@example.org")
    activist.locator("form.thanks-form button[type='submit']").click()
    activist.wait_for_load_state()
    assert activist.url.endswith("/thanks/")
    assert activist.locator(".messages").count() == 1
    assert STORY not in activist.locator("main").inner_text()  # waits for moderation
    check_accessibility(activist, "thanks wall after sending")

    # the coordinator publishes it
    coordinator = page_in("fi")
    log_in(coordinator, server, "coordinator@demo.example")
    coordinator.goto(server + "/thanks/moderation/")
    check_accessibility(coordinator, "moderation queue")
    item = coordinator.locator(".thanks-moderation__item", has_text=STORY)
    assert "liisa@example.org" in item.inner_text()  # the contact is for moderators only
    item.locator("form[action$='/approve/'] button[type='submit']").click()
    coordinator.wait_for_load_state()
    assert coordinator.locator(".thanks-moderation__item", has_text=STORY).count() == 0
    check_accessibility(coordinator, "moderation queue after publishing")

    # the thanks is on the public wall, with the official's public name and the thanker's
    activist.goto(server + "/thanks/")
    card = activist.locator(".thanks-card", has_text=STORY)
    assert card.count() == 1
    text = card.inner_text()
    assert "Olli Virkamies, kaavoittaja" in text
    assert "Liisa Lauttasaaresta" in text
    assert "liisa@example.org" not in activist.content()
    check_accessibility(activist, "thanks wall with the thanks")
    card.locator("a[href^='/thanks/']").last.click()
    activist.wait_for_load_state()
    assert STORY in activist.locator("main").inner_text()
    check_accessibility(activist, "one thanks")

    # the official is notified, and so is the coordinator (as the official chose)
    official.goto(server + "/notifications/")
    assert official.locator(".notification a[href^='/thanks/']").count() >= 1
    check_accessibility(official, "notifications with the thanks")
    coordinator.goto(server + "/notifications/")
    assert coordinator.locator(".notification a[href^='/thanks/']").count() >= 1
