"""Real-browser tests: Debian's Chromium driven by Playwright against a real `portaat serve`.

The server runs as a subprocess (uvicorn + worker, as `make run` starts it) on a throw-away
SQLite data directory, so these tests see exactly what a user sees. No browser is downloaded:
Playwright launches /usr/bin/chromium (apt package ``chromium``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("PORTAAT_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
ADMIN_EMAIL = "coordinator@browser.example"
ADMIN_PASSWORD = "browser-test-password-1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _portaat(*args: str) -> list[str]:
    return [sys.executable, "-m", "portaat.cli", *args]


@pytest.fixture(scope="session")
def mail_sink() -> Iterator[Any]:
    """A real SMTP server (aiosmtpd) that every email of the test server goes to."""
    from aiosmtpd.controller import Controller

    from tests.crowds.conftest import Inbox

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port  # type: ignore[attr-defined]
    yield inbox
    controller.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, mail_sink: Any) -> Iterator[str]:
    """A running Portaat with the built-in ladders and one coordinator; yields its base URL.
    Its email goes to ``mail_sink``."""
    data_dir = tmp_path_factory.mktemp("portaat-browser")
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        PORTAAT_DATA_DIR=str(data_dir),
        PORTAAT_ADMIN_EMAIL=ADMIN_EMAIL,
        PORTAAT_ADMIN_PASSWORD=ADMIN_PASSWORD,
        # the listening journey collects from a replay server on 127.0.0.1
        PORTAAT_LISTENING_ALLOW_PRIVATE_HOSTS="1",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_sink.port),
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    subprocess.run(_portaat("init"), env=env, check=True, capture_output=True, timeout=120)
    # demo accounts (official, activist …) and example units for the journeys
    subprocess.run(
        _portaat("demo", "--no-serve"), env=env, check=True, capture_output=True, timeout=120
    )
    log = (data_dir / "serve.log").open("wb")
    proc = subprocess.Popen(
        _portaat("serve", "--port", str(port)), env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=2) as response:
                if json.load(response)["database"] == "ok":
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("portaat serve did not start:\n" + (data_dir / "serve.log").read_text())
        time.sleep(0.3)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("PORTAAT_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page_in(browser: Any) -> Iterator[Any]:
    """``page_in("sv")`` opens a page whose browser asks for Swedish (Accept-Language)."""
    contexts: list[Any] = []

    def open_page(locale: str = "fi", **options: Any) -> Any:
        context = browser.new_context(locale=locale, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


DEMO_PASSWORD = "demo-portaat"


def log_in(page: Any, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base + "/accounts/logout/")
    if page.locator("main form button[type='submit']").count():
        page.locator("main form button[type='submit']").first.click()
        page.wait_for_load_state()
    page.goto(base + "/accounts/login/")
    page.locator("input[name='login']").fill(email)
    page.locator("input[name='password']").fill(password)
    page.locator("main form button[type='submit']").click()
    page.wait_for_load_state()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (vendored) on the page; return serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return "\n".join(lines)
