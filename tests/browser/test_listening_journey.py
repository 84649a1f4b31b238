"""Issue 6's journey in a real browser: an official adds a Mastodon hashtag source, runs it,
searches the posts in Finnish and reviews a suggested activism.

The Mastodon instance is a replay server in this test process serving a recorded hashtag
timeline (the real Status format); `portaat serve`'s worker collects from it over HTTP. Every
page on the way is checked with axe-core.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from tests.browser.conftest import axe_violations, format_violations, log_in
from tests.listening.replay import replay

FIXTURES = Path(__file__).resolve().parents[2] / "portaat/listening/connectors/mastodon/fixtures"
TAG = "/api/v1/timelines/tag/kallio"


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


def test_official_follows_a_hashtag_searches_and_reviews_a_suggestion(
    server: str, page_in: Any
) -> None:
    routes = [{"path": TAG, "file": "tag_kallio.json"}]
    with replay(routes, FIXTURES) as mastodon:
        page = page_in("fi")
        log_in(page, server, "official@demo.example")

        # add the source
        page.goto(server + "/listening/sources/new/")
        check_accessibility(page, "new source")
        page.locator("#id_name").fill("#kallio Mastodonissa")
        page.locator("#id_platform").select_option("mastodon")
        page.locator("#id_kind").select_option("hashtag")
        page.locator("#id_target").fill("#kallio")
        page.locator("#id_base_url").fill(mastodon.url)
        page.locator("#id_schedule_minutes").fill("0")
        page.locator("#id_legal_basis").fill(
            "Kaupungin lakisääteinen tehtävä: asukasosallisuus (GDPR 6(1)(e))."
        )
        page.locator("form.source-form button[type='submit']").click()
        page.wait_for_load_state()
        assert re.search(r"/listening/sources/\d+/$", page.url), page.url
        source_url = page.url

        # run it: the worker collects in the background; the health page shows the result
        page.locator("form[action$='/collect/'] button").click()
        page.wait_for_load_state()
        deadline = time.monotonic() + 30
        while page.locator("tr[data-status='ok']").count() == 0:
            assert time.monotonic() < deadline, page.locator("main").inner_text()
            time.sleep(0.5)
            page.goto(source_url)
        check_accessibility(page, "source health page")
        assert any(r.path == TAG for r in mastodon.requests)

    # search in Finnish: the base form finds inflected forms
    page.goto(server + "/listening/")
    page.locator("#id_q").fill("kallio")
    page.locator("form.post-search button[type='submit']").click()
    page.wait_for_load_state()
    results = page.locator(".post-list").inner_text()
    assert "Kalliossa siivotaan Karhupuistoa" in results
    assert "Kallion kirjaston edessä" in results
    assert "kalliolainen" not in page.locator("main").inner_text()  # authors are pseudonyms
    check_accessibility(page, "post search")

    # a hashtag that recurs but is not in the registry is suggested; the official adds it
    page.goto(server + "/listening/suggestions/")
    check_accessibility(page, "suggestions")
    card = page.locator(".suggestion-card", has_text="#kalliontalkoot")
    card.locator("a.hds-button").click()
    page.wait_for_load_state()
    assert "Kalliontalkoot kokoaa" in page.locator("main").inner_text()  # example posts
    check_accessibility(page, "suggestion review")
    page.locator("form:has(input[value='add']) button").click()
    page.wait_for_load_state()
    assert re.search(r"/activisms/\d+/$", page.url), page.url
    assert "#kalliontalkoot" in page.locator("h1").inner_text()
