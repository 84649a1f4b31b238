"""Issue 5's journey in a real browser: an official opens a workshop on two demo cases; three
participants on their phones (Finnish, Swedish and English browsers, no accounts) join by code
and place the first case on the stairs; the facilitator's projector view shows their answers
without a reload (Server-Sent Events); the recorded outcome appears on the case. Every page on
the way is checked with axe-core."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import axe_violations, format_violations, log_in
from tests.helpers import translation_of

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
ANSWERS = {
    "fi": ("resident", "Aino", "3", "5", "Enemmän yhteisiä iltoja"),
    "sv": ("activist", "Björn", "3", "6", "Mer stöd för lokaler"),
    "en": ("researcher", "", "4", "5", "Compare with Tampere"),
}


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


def click_label(page: Any, selector: str) -> None:
    field = page.locator(selector)
    page.locator(f"label[for='{field.get_attribute('id')}']").click()
    assert field.is_checked()


def test_the_workshop_journey(server: str, page_in: Any) -> None:
    # 1. the official opens a workshop for two cases
    facilitator = page_in("fi")
    log_in(facilitator, server, "official@demo.example")
    facilitator.goto(server + "/workshops/new/")
    check_accessibility(facilitator, "new workshop")
    facilitator.locator("#id_title").fill("Asukasilta: ruoka ja kaupunkiviljely")
    click_label(facilitator, "#id_cases_0")
    click_label(facilitator, "#id_cases_1")
    facilitator.locator("main form button[type='submit']").click()
    facilitator.wait_for_load_state()
    code = facilitator.locator(".workshop-code").inner_text().strip()
    assert len(code.replace("-", "")) == 8, code
    check_accessibility(facilitator, "live view")
    facilitator.evaluate("window.__notReloaded = true")
    first_item = facilitator.locator(".workshop-item").first
    item_id = first_item.get_attribute("id").removeprefix("item-")

    # 2. three phones join by code and answer the first case
    for locale, (role, name, now, target, comment) in ANSWERS.items():
        phone = page_in(locale, **PHONE)
        phone.goto(server + "/w/")
        check_accessibility(phone, f"enter code ({locale})")
        phone.locator("#join-code").fill(code.lower())
        phone.locator("main form button[type='submit']").click()
        phone.wait_for_load_state()
        check_accessibility(phone, f"join ({locale})")
        phone.locator("#id_display_name").fill(name)
        click_label(phone, f"input[name='role'][value='{role}']")
        click_label(phone, f"input[name='language'][value='{locale}']")
        phone.locator("main form.join-form button[type='submit']").click()
        phone.wait_for_load_state()
        assert phone.locator("html").get_attribute("lang") == locale
        check_accessibility(phone, f"answer page ({locale})")
        card = phone.locator(f"#item-{item_id}")
        card.locator(f"input[name='current'][value='{now}']").check()
        card.locator(f"input[name='target'][value='{target}']").check()
        card.locator("textarea[name='comment']").fill(comment)
        card.locator("button[type='submit']").click()
        saved = (
            translation_of("Your answer is saved.", locale)
            if locale != "en"
            else ("Your answer is saved.")
        )
        phone.locator(f"#item-{item_id} .answer-card__saved").filter(has_text=saved).wait_for()

    # 3. the projector shows all three without a reload
    live = facilitator.locator(f"#live-item-{item_id}")
    for _locale, (_role, _name, _now, _target, comment) in ANSWERS.items():
        live.locator(".comment-wall__item").filter(has_text=comment).wait_for(timeout=5_000)
    assert facilitator.evaluate("window.__notReloaded === true")
    assert "3" in facilitator.locator("#live-count").inner_text()
    level_three = live.locator(".live-stairs__row--3 .live-stairs__total").first
    assert level_three.inner_text() == "2"  # two participants said "now at 3"
    check_accessibility(facilitator, "live view with answers")

    # 4. the facilitator records the outcome; it appears on the case
    prefix = f"#id_o{item_id}"
    facilitator.locator(f"{prefix}-current_level").select_option("3")
    facilitator.locator(f"{prefix}-target_level").select_option("5")
    facilitator.locator(f"#item-{item_id} .workshop-outcome__form button[type='submit']").click()
    facilitator.wait_for_load_state()
    facilitator.locator(f"#item-{item_id} .workshop-outcome a").click()
    facilitator.wait_for_load_state()
    assert "/cases/" in facilitator.url
    assert translation_of("Workshop", "fi") in facilitator.locator("main").inner_text()
    check_accessibility(facilitator, "case with the workshop's assessment")

    # 5. the printable summary
    facilitator.go_back()
    facilitator.goto(facilitator.url.split("#")[0].rstrip("/") + "/summary/")
    check_accessibility(facilitator, "summary")
    assert "Compare with Tampere" in facilitator.locator("main").inner_text()
