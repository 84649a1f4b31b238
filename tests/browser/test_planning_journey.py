"""Issue 7's journey in a real browser: an official views the map of place mentions for a
source, computes and opens a topic, subscribes to a spike alert and attaches the analysis to a
case. The demo's example posts are analysed by `portaat serve`'s worker. Every page on the way
is checked with axe-core.
"""

from __future__ import annotations

import re
import time
from typing import Any

from tests.browser.conftest import axe_violations, format_violations, log_in


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


def test_official_maps_places_opens_a_topic_subscribes_and_attaches(
    server: str, page_in: Any
) -> None:
    page = page_in("fi")
    log_in(page, server, "official@demo.example")

    # choose the demo source and analyse
    page.goto(server + "/planning/")
    check_accessibility(page, "analysis page")
    source = page.locator("#id_source option", has_text="Esimerkki")
    page.locator("#id_source").select_option(source.get_attribute("value"))
    page.locator("form.post-search button[type='submit']").click()
    page.wait_for_load_state()
    analysis_url = page.url
    assert "source=" in analysis_url

    # compute the topics: the worker analyses the posts first
    page.locator("#topics form button[type='submit']").click()
    page.wait_for_load_state()
    deadline = time.monotonic() + 60
    while page.locator(".topic-card").count() == 0:
        assert time.monotonic() < deadline, page.locator("main").inner_text()
        time.sleep(0.5)
        page.goto(analysis_url)
    # the map's table lists the places the posts mention
    assert page.locator(".area-map__table tbody th").count() > 0
    check_accessibility(page, "analysis with map and topics")

    # open a topic
    page.locator(".topic-card__title a").first.click()
    page.wait_for_load_state()
    assert re.search(r"/planning/runs/\d+/topics/\d+/$", page.url), page.url
    assert page.locator(".post-card").count() > 0
    check_accessibility(page, "topic page")

    # subscribe to the spikes of the most mentioned area
    page.goto(analysis_url)
    page.locator(".analysis-follow summary").click()
    page.locator(".analysis-follow button").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(server + "/planning/?"), page.url
    page.goto(server + "/planning/alerts/")
    assert page.locator(".follow-list li").count() == 1
    check_accessibility(page, "alerts page")

    # attach the analysis to a case of the official's unit
    page.goto(analysis_url)
    case = page.locator("#id_case option").nth(1)
    page.locator("#id_case").select_option(case.get_attribute("value"))
    page.locator("#id_title").fill("Kallion keskustelu")
    page.locator("#attach button[type='submit']").click()
    page.wait_for_load_state()
    assert re.search(r"/cases/\d+/", page.url), page.url
    assert "Kallion keskustelu" in page.locator("#snapshots").inner_text()
    check_accessibility(page, "case page with the snapshot")
