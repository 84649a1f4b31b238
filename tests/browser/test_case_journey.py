"""Issue 3's journey in a real browser, in Finnish and in Swedish.

An official registers a REKO ring, opens a case on the REKO ladder and records 2 → 5 with a
rationale; an activist of the ring records 2 → 7; the case page shows both and the
disagreement; the unit dashboard and its map show the case; the maturity page explains the
estimated stage criterion by criterion. Every page on the way is checked with axe-core.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, format_violations, log_in

RING = {"fi": "Lauttasaaren REKO-rengas", "sv": "Drumsö REKO-ring"}


def choose(page: Any, select: str, text: str) -> None:
    """Pick the option whose visible text matches the regular expression ``text``."""
    option = page.locator(f"{select} option").filter(has_text=re.compile(text)).first
    page.locator(select).select_option(option.get_attribute("value"))


def pick(page: Any, name: str, value: str) -> None:
    """Tick a radio button the way a person does: by clicking its label."""
    radio = page.locator(f"input[name='{name}'][value='{value}']")
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    assert radio.is_checked()


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_the_reko_journey(server: str, page_in: Any, locale: str) -> None:
    page = page_in(locale)
    ring = RING[locale]

    # 1. the official registers the ring
    log_in(page, server, "official@demo.example")
    page.goto(server + "/activisms/new/")
    check_accessibility(page, "activism form")
    page.locator("#id_name").fill(ring)
    page.locator("#id_description").fill(
        "Lähiruokaa suoraan tuottajilta / Närmat direkt från producenterna"
    )
    choose(page, "#id_kind", "REKO")
    page.locator("#id_areas").select_option("helsinki-lauttasaari")
    page.locator("#id_channels").fill("https://www.facebook.com/groups/lauttasaarenreko")
    page.locator("#id_maintainers").fill("activist@demo.example")
    pick(page, "visibility", "public")
    page.locator("form.activism-form button[type='submit']").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == ring
    activism_url = page.url
    activism_id = re.search(r"/activisms/(\d+)/", activism_url).group(1)

    # 2. … opens a case on the REKO ladder in the planning unit
    page.goto(f"{server}/cases/new/?activism={activism_id}")
    choose(page, "#id_unit", "Asemakaavoitus|Detaljplanering")
    choose(page, "#id_ladder", "REKO")
    page.locator("form.case-form button[type='submit']").click()
    page.wait_for_load_state()
    case_url = page.url
    assert re.search(r"/cases/\d+/$", case_url), case_url

    # 3. … and records current 2, target 5 with a rationale
    page.goto(case_url + "assess/")
    check_accessibility(page, "assessment form")
    page.locator("#id_perspective").select_option("official")
    pick(page, "current_level", "2")
    pick(page, "target_level", "5")
    page.locator("#id_rationale").fill(
        "Vuosittainen tapahtuma ja tilastointi ovat seuraavat askeleet."
    )
    page.locator("form.case-form button[type='submit']").click()
    page.wait_for_load_state()

    # 4. an activist of the ring records their view: current 2, target 7
    log_in(page, server, "activist@demo.example")
    page.goto(case_url + "assess/")
    assert page.locator("#id_perspective option").count() == 1  # only their own perspective
    pick(page, "current_level", "2")
    pick(page, "target_level", "7")
    page.locator("form.case-form button[type='submit']").click()
    page.wait_for_load_state()

    # 5. the case page shows both perspectives on the stairs, and the disagreement
    page.goto(case_url)
    svg = page.locator("svg.stairs").first
    assert svg.locator("g.marker").count() >= 4  # two perspectives × now and target
    disagreement = page.locator(".case-disagreement")
    assert disagreement.is_visible()
    assert "5" in disagreement.inner_text() and "7" in disagreement.inner_text()
    assert page.locator(".case-notes").count() == 0  # activists never see internal notes
    check_accessibility(page, "case page (activist)")

    # 6. the unit dashboard and its map show the case, for the official
    log_in(page, server, "official@demo.example")
    page.goto(server + "/units/demo-planning/")
    assert ring in page.locator("main").inner_text()
    map_table = page.locator("main table").filter(has_text=re.compile("Lauttasaari|Drumsö"))
    assert map_table.count() >= 1
    check_accessibility(page, "unit dashboard")

    # 7. the maturity page shows the estimated stage with every criterion and its numbers
    page.goto(server + "/units/demo-planning/maturity/")
    text = page.locator("main").inner_text()
    assert re.search(r"\d+ / \d+|\d+ of \d+|\d+ %|\d+ av \d+|\d+/\d+", text), text[:500]
    check_accessibility(page, "maturity page")
