"""``portaat serve`` as a user runs it: a web server and a worker that stop together."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.cli import clean_env, free_port, portaat_command

START_TIMEOUT = 60
STOP_TIMEOUT = 15


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_it_serves_in_finnish_and_stops_on_sigterm(tmp_path):
    env = clean_env(tmp_path, PORTAAT_ADMIN_PASSWORD="serve-test-password-1")
    init = subprocess.run(
        portaat_command("init"), env=env, capture_output=True, text=True, timeout=120
    )
    assert init.returncode == 0, init.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        portaat_command("serve", "--port", str(port)),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                status, body = _get(f"{base}/health/")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "serve did not answer /health/ in time"
            time.sleep(0.3)
        assert json.loads(body)["database"] == "ok"

        status, page = _get(f"{base}/")
        assert status == 200
        assert b'<html lang="fi">' in page
        assert "Yhdistelmähallinnon yleiset portaat".encode() in page

        status, svg = _get(f"{base}/ladders/city-planning/stairs.svg?current=4")
        assert status == 200
        assert b"<title" in svg

        children = _children(proc.pid)
        assert len(children) == 2, children  # uvicorn and the Huey worker

        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        code = proc.wait(timeout=STOP_TIMEOUT + 5)
        assert time.monotonic() - started < STOP_TIMEOUT
        assert code == 0
        deadline = time.monotonic() + 2
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in children if _alive(pid)]
        try:
            _get(f"{base}/health/")
        except OSError:
            pass
        else:
            raise AssertionError("something still answers on the port")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()
