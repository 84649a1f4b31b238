"""Issue 9's events journey in a real browser (Finnish UI): upcoming events are fetched from a
replay of Linked Events through the real client; the demo official sees the events in their
areas, says "I'll go", and after the event writes a note that appears as an interaction on
their case. Every page on the way is checked with axe-core."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, format_violations, log_in
from tests.listening.replay import replay

FIXTURES = Path(__file__).parent.parent / "events" / "fixtures"
NOTE = "Asukasillassa puhuttiin korttelipihan kaavasta; ryhmä toivoo työpajaa."
ROUTES = [
    {"path": "/linkedevents/v1/event/", "absent": ["page"], "file": "events_page1.json"},
    {"path": "/linkedevents/v1/event/", "query": {"page": "2"}, "file": "events_page2.json"},
]


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


@pytest.fixture
def manage(server: str, server_env: dict[str, str]) -> Any:
    """Run Python in the test server's database (``portaat manage shell -c``)."""
    env = server_env

    def run(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "portaat.cli", "manage", "shell", "-c", code],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        lines = done.stdout.strip().splitlines()  # Django's shell may say what it imported first
        return lines[-1] if lines else ""

    return run


def test_an_official_goes_to_an_event_and_notes_it_on_the_case(
    server: str, page_in: Any, manage: Any
) -> None:
    with replay(ROUTES, FIXTURES) as linked_events:
        out = manage(
            "from portaat.events import services;"
            "from portaat.listening.connectors.http import Http;"
            f"r = services.sync_events(Http(allow_private=True), base='{linked_events.url}/linkedevents/v1/');"
            "print(r.ok, r.created)"
        )
    assert out.strip() == "True 4"

    official = page_in("fi")
    log_in(official, server, "official@demo.example")
    official.goto(server + "/events/")
    check_accessibility(official, "events in my areas")
    main = official.locator("main").inner_text()
    assert "Kallio-Seuran asukasilta" in main
    assert "Sörnäisten rantapuiston" not in main  # not in the official's areas
    official.locator("main a", has_text="Kallio-Seuran asukasilta").click()
    official.wait_for_load_state()
    assert "korttelin asioista" in official.locator("main").inner_text()
    assert official.locator("main script").count() == 0  # the description's HTML is text
    check_accessibility(official, "one event")
    official.locator("form[action$='/going/'] button[type='submit']").click()
    official.wait_for_load_state()
    assert "official@demo.example" in official.locator("main").inner_text()
    check_accessibility(official, "one event, going")

    # the event takes place
    manage(
        "from datetime import timedelta; from django.utils import timezone;"
        "from portaat.events.models import Event;"
        "Event.objects.filter(source_id='helsinki:agggfz67tm')"
        ".update(start_time=timezone.now() - timedelta(hours=3), end_time=None)"
    )
    official.reload()
    official.locator("#id_case").select_option(index=1)
    official.locator("#id_note").fill(NOTE)
    official.locator("form[action$='/note/'] button[type='submit']").click()
    official.wait_for_load_state()
    assert NOTE in official.locator("main").inner_text()
    check_accessibility(official, "one event with a note")
    case_url = manage(
        "from portaat.cases.models import Interaction;"
        f"i = Interaction.objects.get(note={NOTE!r}, kind='event'); print(i.case.pk)"
    ).strip()
    official.goto(f"{server}/cases/{case_url}/")
    assert NOTE in official.locator("main").inner_text()
