"""``portaat collect``: the real command as a subprocess, killed in the middle of a run.

The acceptance test of resumable collection: a collection killed with SIGKILL after its first
page was committed, then run again, ends with exactly the posts of an uninterrupted run.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from tests.cli import clean_env, portaat_command
from tests.listening.replay import replay

FIXTURES = Path(__file__).resolve().parents[2] / "portaat/listening/connectors/reddit/fixtures"
NEW = "/r/Helsinki/new.json"

CREATE_SOURCE = (
    "from portaat.listening.models import Source; "
    "print(Source.objects.create(name='r/Helsinki', platform='reddit', kind='subreddit', "
    "target='r/Helsinki', base_url='{base}', legal_basis='test').pk)"
)


def prepare(data_dir: Path, base: str) -> dict[str, str]:
    env = clean_env(data_dir, PORTAAT_LISTENING_ALLOW_PRIVATE_HOSTS="1", PORTAAT_LANGUAGE="en")
    subprocess.run(
        portaat_command("init", "--no-admin", "-v", "0"), env=env, check=True, timeout=180
    )
    subprocess.run(
        portaat_command("manage", "shell", "-c", CREATE_SOURCE.format(base=base)),
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
    )
    return env


def stored(data_dir: Path) -> set[tuple[str, str, str]]:
    with sqlite3.connect(data_dir / "portaat.sqlite3") as db:
        return set(db.execute("SELECT platform, remote_id, text FROM listening_post"))


def runs(data_dir: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(data_dir / "portaat.sqlite3") as db:
        return list(db.execute("SELECT status, pages FROM listening_collectionrun ORDER BY id"))


def test_a_killed_collection_resumes_to_exactly_the_uninterrupted_result(tmp_path: Any) -> None:
    gate = threading.Event()
    routes = [
        {"path": NEW, "absent": ["after"], "file": "new_page1.json"},
        {"path": NEW, "query": {"after": "t3_1l4h7bd"}, "file": "new_page2.json", "gate": gate},
    ]
    with replay(routes, FIXTURES) as server:
        whole, killed = tmp_path / "whole", tmp_path / "killed"
        gate.set()
        env = prepare(whole, server.url)
        done = subprocess.run(
            portaat_command("collect", "r/Helsinki"),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "page 2" in done.stdout
        expected = stored(whole)
        assert len(expected) > 3

        gate.clear()  # the second page will hang until the process is killed
        env = prepare(killed, server.url)
        process = subprocess.Popen(
            portaat_command("collect", "1"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + 60
            while not stored(killed) and time.monotonic() < deadline:
                time.sleep(0.1)
            first_page = stored(killed)
            assert first_page, "the first page was never committed"
            assert first_page < expected
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        gate.set()
        again = subprocess.run(
            portaat_command("collect", "1"), env=env, capture_output=True, text=True, timeout=120
        )
        assert again.returncode == 0, again.stderr
        assert stored(killed) == expected
        assert [status for status, _pages in runs(killed)] == ["interrupted", "ok"]

        # and a further run adds nothing (nothing new upstream)
        subprocess.run(
            portaat_command("collect", "1"), env=env, check=True, capture_output=True, timeout=120
        )
        assert stored(killed) == expected


def test_collect_reports_a_failure_in_one_clear_line(tmp_path: Any) -> None:
    routes = [{"path": NEW, "status": 429, "headers": {"Retry-After": "120"}, "body": "{}"}]
    with replay(routes) as server:
        env = prepare(tmp_path, server.url)
        result = subprocess.run(
            portaat_command("collect", "r/Helsinki"),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    assert "The platform asked us to slow down" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = subprocess.run(
        portaat_command("collect", "no such source"),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("portaat: error: There is no source")
