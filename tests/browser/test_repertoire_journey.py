"""Issue 4's journey in a real browser: suggested practices → plan → experiment → lesson.

An official opens a case at level 3 with target 5, gets suggested practices for levels 4–5,
plans two, runs an experiment with one, closes it with outcome "worked" and a lesson, is
prompted to reassess the case, and the practice's evidence shows the experiment. Every page on
the way is checked with axe-core.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.browser.conftest import axe_violations, format_violations, log_in
from tests.browser.test_case_journey import pick


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


def test_suggested_practice_planned_tried_and_learned_from(server: str, page_in: Any) -> None:
    page = page_in("fi")
    log_in(page, server, "official@demo.example")

    # a case on the REKO ladder at level 3 with target 5 (the demo city's REKO ring)
    found = page.request.get(server + "/api/v1/cases/?unit=demo-planning&ladder=reko").json()
    case_url = f"{server}/cases/{found['results'][0]['id']}/"
    page.goto(case_url + "assess/")
    page.locator("#id_perspective").select_option("official")
    pick(page, "current_level", "3")
    pick(page, "target_level", "5")
    page.locator("form.case-form button[type='submit']").click()
    page.wait_for_load_state()

    # suggested practices are for levels 4–5
    page.goto(case_url)
    suggestions = page.locator(".plan-suggestion")
    assert suggestions.count() >= 2
    check_accessibility(page, "case page with the plan")
    titles = []
    for _ in range(2):  # plan two of them
        first = page.locator(".plan-suggestion").first
        titles.append(first.locator(".plan-suggestion__head a").inner_text())
        first.locator("button[type='submit']").click()
        page.wait_for_load_state()
        page.goto(case_url)
    plan_text = page.locator("main").inner_text()
    assert all(title in plan_text for title in titles)

    # an experiment with the first planned practice
    # "try it in an experiment" on the first plan item
    page.locator("a[href*='/experiments/new/?case='][href*='practice=']").first.click()
    page.wait_for_load_state()
    check_accessibility(page, "new experiment")
    today = dt.datetime.now(tz=dt.UTC).date()
    page.locator("#id_title").fill("Kevään REKO-tapahtuma")
    page.locator("#id_hypothesis").fill("Yhteinen tapahtuma tuo uusia tuottajia renkaaseen.")
    page.locator("#id_starts_on").fill((today - dt.timedelta(days=30)).isoformat())
    page.locator("#id_ends_on").fill(today.isoformat())
    for box in page.locator("input[name='practices']:checked, input[name='cases']:checked").all():
        assert box.is_checked()  # prefilled from the plan
    page.locator("form.case-form button[type='submit']", has_text=re.compile(".")).last.click()
    page.wait_for_load_state()
    experiment_url = page.url
    assert re.search(r"/experiments/\d+/$", experiment_url), experiment_url

    # close it: worked, with a lesson → prompted to reassess the case
    pick(page, "outcome", "worked")
    page.locator("#id_lessons").fill("Tapahtuma kannattaa pitää keväällä torin laidalla.")
    page.locator("form[action$='/close/'] button[type='submit']").click()
    page.wait_for_load_state()
    prompt = page.locator(".experiment-reassess")
    assert prompt.is_visible()
    assert prompt.locator("a[href$='/assess/']").count() == 1
    check_accessibility(page, "closed experiment")

    # the practice's evidence shows the experiment
    page.locator("main a[href*='/practices/']").first.click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Kevään REKO-tapahtuma" in text or "Tapahtuma kannattaa pitää keväällä" in text
    check_accessibility(page, "practice with evidence")
