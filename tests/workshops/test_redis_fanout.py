"""Two web processes and Redis: an answer sent to one process reaches the facilitator's
Server-Sent Events stream served by the other. Real uvicorn processes, real PostgreSQL and
Redis; runs in the PostgreSQL + Redis stage of CI (skipped where they are not configured)."""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from portaat.workshops.models import Workshop
from tests.cli import clean_env, free_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL")
        or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): the CI's second stage",
    ),
]


def _database_url() -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = (":" + urllib.parse.quote(db["PASSWORD"])) if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{user}{password}@{host}{port}/{db['NAME']}"


def _wait_until_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = proc.stdout.read().decode() if proc.stdout else ""
            raise AssertionError(f"uvicorn exited: {output[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("uvicorn did not start")


@pytest.fixture
def two_web_processes(tmp_path: Path) -> Iterator[tuple[int, int]]:
    env = clean_env(
        tmp_path,
        DATABASE_URL=_database_url(),
        REDIS_URL=os.environ["REDIS_URL"],
        SECRET_KEY=settings.SECRET_KEY,
        PORTAAT_EVENTS_PREFIX=settings.PORTAAT_EVENTS_PREFIX,
        DJANGO_SETTINGS_MODULE="portaat.settings",
    )
    ports = (free_port(), free_port())
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "portaat.asgi:application", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for port in ports
    ]
    try:
        for port, proc in zip(ports, procs, strict=True):
            _wait_until_up(port, proc)
        yield ports
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _read_event(stream: Any, deadline: float) -> tuple[str, dict[str, Any]]:
    """The next event; fails at ``deadline`` (keep-alive comments do not count)."""
    event, data = "", ""
    while True:
        if time.monotonic() > deadline:
            raise AssertionError("no event before the deadline")
        line = stream.readline().decode()
        if line == "":
            raise AssertionError("the stream ended")
        line = line.rstrip("\r\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and event:
            return event, json.loads(data)


def test_answer_on_one_process_reaches_the_stream_of_the_other(
    workshop: Workshop, official: Any, two_web_processes: tuple[int, int]
) -> None:
    answer_port, stream_port = two_web_processes
    item = workshop.items.first()
    facilitator = Client()
    facilitator.force_login(official)
    session = facilitator.cookies[settings.SESSION_COOKIE_NAME].value

    # the facilitator listens on process B
    listener = http.client.HTTPConnection("127.0.0.1", stream_port, timeout=5)
    listener.request(
        "GET",
        f"/workshops/{workshop.pk}/events/",
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}", "Accept-Language": "en"},
    )
    response = listener.getresponse()
    assert response.status == 200
    event, data = _read_event(response, time.monotonic() + 15)
    assert event == "replace"

    # a phone joins and answers on process A
    jar = http.cookiejar.CookieJar()
    phone = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{answer_port}"
    page = phone.open(f"{base}/w/{workshop.code}/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    join = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "role": "resident", "language": "en"}
    ).encode()
    page = phone.open(f"{base}/w/{workshop.code}/", data=join).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    request = urllib.request.Request(
        f"{base}/w/{workshop.code}/answer/{item.pk}/",
        data=urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "current": "4", "target": "6"}
        ).encode(),
        headers={"HX-Request": "true"},
    )
    answered = phone.open(request)
    assert answered.status == 200
    answer_id = int(answered.headers["X-Answer-Id"])

    # process B's stream shows it
    deadline = time.monotonic() + 10
    seen: list[int] = []
    while answer_id not in seen:
        event, data = _read_event(response, deadline)
        if event == "replace":
            seen += [entry[0] for entry in data["answers"]]
    assert answer_id in seen
    listener.close()
