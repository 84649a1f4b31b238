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


# CI's multi-process stage sets this to a scratch PostgreSQL database (created afresh): the
# journeys then run against scripts/topology.sh — two uvicorn web processes and two workers
# sharing PostgreSQL and Redis, exactly as docs/deploy.md "Scale-out" describes.
TOPOLOGY_DATABASE = os.environ.get("PORTAAT_BROWSER_TOPOLOGY", "")
TOPOLOGY_REDIS = os.environ.get("PORTAAT_BROWSER_REDIS_URL", "redis://127.0.0.1:6379/14")
TOPOLOGY_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "topology.sh"


def _fresh_postgres_database(url: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    assert name and name != "test", "a scratch database of its own, not the suite's"
    psql = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    psql += ["-U", parts.username or "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True)


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory, mail_sink: Any) -> dict[str, str]:
    """The environment of the test server (for ``portaat manage`` in the journeys too)."""
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
        PORT=str(port),
    )
    if TOPOLOGY_DATABASE:
        _fresh_postgres_database(TOPOLOGY_DATABASE)
        import redis

        redis.Redis.from_url(TOPOLOGY_REDIS).flushdb()
        env.update(DATABASE_URL=TOPOLOGY_DATABASE, REDIS_URL=TOPOLOGY_REDIS)
    return env


@pytest.fixture(scope="session")
def server(server_env: dict[str, str]) -> Iterator[str]:
    """A running Portaat with the built-in ladders and one coordinator; yields its base URL.
    Its email goes to ``mail_sink``."""
    env = server_env
    data_dir = Path(env["PORTAAT_DATA_DIR"])
    subprocess.run(_portaat("init"), env=env, check=True, capture_output=True, timeout=300)
    # demo accounts (official, activist …) and example units for the journeys
    subprocess.run(
        _portaat("demo", "--no-serve"), env=env, check=True, capture_output=True, timeout=300
    )
    if TOPOLOGY_DATABASE:
        # docs/deploy.md, followed by the script: init, 2 web processes, 2 workers
        topology_env = {**env, "PORTAAT_WEB_WORKERS": "2", "PORTAAT_WORKERS": "2"}
        started = subprocess.run(
            ["bash", str(TOPOLOGY_SCRIPT)], env=topology_env, capture_output=True, text=True
        )
        assert started.returncode == 0, started.stdout + started.stderr
        yield env["SITE_URL"]
        subprocess.run(["bash", str(TOPOLOGY_SCRIPT), "stop"], env=topology_env, check=False)
        return
    log = (data_dir / "serve.log").open("wb")
    proc = subprocess.Popen(
        _portaat("serve", "--port", env["PORT"]), env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = env["SITE_URL"]
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
    blocked: list[str] = []

    def note_csp(message: Any) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(f"{message.text} ({message.location.get('url', '')})")

    def open_page(locale: str = "fi", **options: Any) -> Any:
        context = browser.new_context(locale=locale, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", note_csp)
        return page

    yield open_page
    for context in contexts:
        context.close()
    # every journey also checks that the site's Content-Security-Policy blocked nothing
    assert not blocked, "Content-Security-Policy blocked:\n" + "\n".join(blocked)


DEMO_PASSWORD = "demo-portaat"


# authenticator apps' secrets of accounts a journey set up (email → secret), and the last code
# each used: allauth refuses a code twice, so a second sign-in in the same 30 s waits for the next
AUTHENTICATOR_SECRETS: dict[str, str] = {}
_LAST_CODE: dict[str, int] = {}


def authenticator_code(email: str) -> str:
    """The code the person's phone would show now (never one already used)."""
    from tests.helpers import totp_code

    while int(time.time() // 30) == _LAST_CODE.get(email):
        time.sleep(0.5)
    _LAST_CODE[email] = int(time.time() // 30)
    return totp_code(AUTHENTICATOR_SECRETS[email])


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
    if "/accounts/2fa/authenticate/" in page.url:  # the account has an authenticator app
        page.locator("input[name='code']").fill(authenticator_code(email))
        page.locator("main form button[type='submit']").first.click()  # not "cancel"
        page.wait_for_load_state()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (vendored) on the page; return serious and critical violations."""
    # colours are checked as they settle: a popup still fading in has too little contrast
    page.wait_for_function(
        "() => document.getAnimations().every((a) => a.playState !== 'running')", timeout=5_000
    )
    # evaluated, not added as a <script>: the site's Content-Security-Policy forbids inline
    # scripts, and DevTools evaluation is not subject to it
    page.evaluate(AXE.read_text(encoding="utf-8"))
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
