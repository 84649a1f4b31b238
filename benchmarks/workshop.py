"""Benchmark: a live workshop with 1,000 participants answering at ~50 answers/s.

A real server (uvicorn, as ``portaat serve`` starts it) runs in a subprocess; this process
plays 1,000 phones (joining over HTTP with CSRF and the signed participant cookie, then
answering two cases each) and the facilitator's projector (one Server-Sent Events client).
It reports:

- the delay from an answer being accepted (the server's clock when it saved the answer) to the
  answer appearing in the facilitator's stream (this machine's clock; same host): p50/p95/max;
- answers accepted per second, and errors (any non-2xx response, refused connection or an
  answer that never reached the stream);
- the server's peak memory (VmHWM of every server process, summed);
- the baseline, measured on the same server just before the load: the round trip of
  ``GET /health/``; delays are also given as a ratio to it.

    .venv/bin/python benchmarks/workshop.py                                # SQLite, 1 process
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python benchmarks/workshop.py --workers 2                # PostgreSQL + Redis

With a PostgreSQL ``DATABASE_URL`` the benchmark creates a throw-away database
``portaat_bench_ws`` on that server, runs there and drops it at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--participants", type=int, default=1000)
parser.add_argument("--rate", type=float, default=50.0, help="answers per second (target)")
parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
parser.add_argument("--threads", type=int, default=24, help="client threads playing phones")
args = parser.parse_args()

DATA_DIR = Path(tempfile.mkdtemp(prefix="portaat-bench-ws-"))
(DATA_DIR / "static").mkdir()
BENCH_DB = "portaat_bench_ws"
SOURCE_URL = os.environ.get("DATABASE_URL", "")
POSTGRES = SOURCE_URL.startswith(("postgres://", "postgresql://"))
REDIS_URL = os.environ.get("REDIS_URL", "")


def _server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_server_url(SOURCE_URL, "postgres"), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


if POSTGRES:
    _admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = _server_url(SOURCE_URL, BENCH_DB)
os.environ["PORTAAT_DATA_DIR"] = str(DATA_DIR)
os.environ["DJANGO_SETTINGS_MODULE"] = "portaat.settings"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnop")
os.environ["PORTAAT_WORKSHOP_MAX_PARTICIPANTS"] = str(max(2000, args.participants))
os.environ["PORTAAT_EVENTS_PREFIX"] = f"bench{os.getpid()}"

subprocess.run(
    [sys.executable, "-m", "portaat.cli", "init"], check=True, capture_output=True, env=os.environ
)
subprocess.run(
    [sys.executable, "-m", "portaat.cli", "demo", "--no-serve"],
    check=True,
    capture_output=True,
    env=os.environ,
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from portaat import access  # noqa: E402
from portaat.workshops import services  # noqa: E402


def setup_workshop() -> tuple[str, int, list[int], str]:
    official = get_user_model().objects.get(username="official@demo.example")
    cases = list(access.editable_cases(official).order_by("pk")[:2])
    workshop = services.create_workshop(
        title="Benchmark", cases=cases, facilitator=official, hours=2
    )
    client = Client()
    client.force_login(official)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    items = list(workshop.items.order_by("position").values_list("pk", flat=True))
    return workshop.code, workshop.pk, items, session


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_pids(root: int) -> list[int]:
    pids = [root]
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == root:
            pids.append(int(pid))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class Phone:
    """One participant: a keep-alive HTTP connection with its own cookies."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["HX-Request"] = "true"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, http.client.CannotSendRequest, ConnectionError):
            # the server closed the idle keep-alive connection (uvicorn: after 5 s): reconnect
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, response.headers, data  # type: ignore[return-value]


def main() -> None:
    code, workshop_pk, items, session = setup_workshop()
    port = free_port()
    env = dict(os.environ)
    if not REDIS_URL:
        env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "portaat.asgi:application",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--no-access-log",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(DATA_DIR / "server.log").open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/health/", timeout=1).read()
            break
        except OSError:
            time.sleep(0.2)
    try:
        run(port, code, workshop_pk, items, session, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        if POSTGRES:
            from django.db import connections

            connections.close_all()
            _admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def run(port: int, code: str, workshop_pk: int, items: list[int], session: str, pid: int) -> None:
    # baseline: GET /health/ round trip on the idle server
    probe = Phone(port)
    probe.request("GET", "/health/")
    health = []
    for _ in range(200):
        start = time.perf_counter()
        probe.request("GET", "/health/")
        health.append(time.perf_counter() - start)
    baseline = statistics.median(health)

    # the facilitator's stream
    received: dict[tuple[int, float], float] = {}
    stream_ready = threading.Event()
    stop = threading.Event()
    redraws: list[float] = []  # when each redraw arrived (polling sends no answer ids)

    def listen() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(
            "GET",
            f"/workshops/{workshop_pk}/events/",
            headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        )
        response = conn.getresponse()
        assert response.status == 200, response.status
        event = ""
        while not stop.is_set():
            line = response.readline()
            if not line:
                break
            text = line.decode().rstrip("\r\n")
            if text.startswith("event: "):
                event = text[7:]
            elif text.startswith("data: ") and event == "replace":
                now = time.time()
                redraws.append(now)
                for answer_id, at in json.loads(text[6:])["answers"]:
                    received.setdefault((answer_id, at), now)
                stream_ready.set()
        conn.close()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    stream_ready.wait(30)

    errors: list[str] = []
    lock = threading.Lock()
    phones: list[Phone] = []

    def join(index: int) -> Phone:
        phone = Phone(port)
        status, _h, _b = phone.request("GET", f"/w/{code}/")
        if status != 200:
            raise RuntimeError(f"join page {status}")
        status, _h, _b = phone.request(
            "POST",
            f"/w/{code}/",
            {
                "role": ("official", "activist", "resident", "researcher", "other")[index % 5],
                "language": ("fi", "sv", "en")[index % 3],
                "display_name": f"P{index}",
            },
        )
        if status != 302:
            raise RuntimeError(f"join {status}")
        return phone

    join_start = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        for future in [pool.submit(join, i) for i in range(args.participants)]:
            try:
                phones.append(future.result())
            except Exception as error:
                errors.append(f"join: {error}")
    join_seconds = time.perf_counter() - join_start

    accepted: list[tuple[int, float]] = []  # (answer id, local time of the response)
    round_trips: list[float] = []
    plan = [
        (phone, item, n)
        for n, (phone, item) in enumerate((phone, item) for item in items for phone in phones)
    ]
    start = time.perf_counter() + 0.5

    def answer(task: tuple[Phone, int, int]) -> None:
        phone, item, n = task
        delay = start + n / args.rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        sent = time.perf_counter()
        try:
            status, headers, _body = phone.request(
                "POST",
                f"/w/{code}/answer/{item}/",
                {"current": str(1 + n % 8), "target": str(1 + (n * 3) % 8), "comment": f"c{n}"},
            )
        except OSError as error:
            with lock:
                errors.append(f"answer: {error}")
            return
        with lock:
            round_trips.append(time.perf_counter() - sent)
            if status == 200:
                accepted.append((int(headers["X-Answer-Id"]), time.time()))
            else:
                errors.append(f"answer {status}")

    answer_start = time.perf_counter()
    cpu_before = cpu_seconds(server_pids(pid))
    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(answer, plan))
    answer_seconds = time.perf_counter() - answer_start
    cpu_used = cpu_seconds(server_pids(pid)) - cpu_before
    time.sleep(3)  # let the last events arrive
    stop.set()

    memory = peak_memory_mb(server_pids(pid))
    ids_seen = {answer_id for answer_id, _at in received}
    delays = sorted(seen - at for (answer_id, at), seen in received.items())
    missing = sum(1 for answer_id, _t in accepted if answer_id not in ids_seen)
    polled = not received and len(redraws) > 1
    if polled:
        # Redis unreachable: the stream polls and redraws everything every POLL_SECONDS without
        # answer ids, so the delay is from the POST's return to the next redraw that arrived
        import bisect

        nexts = [bisect.bisect_left(redraws, returned) for _id, returned in accepted]
        delays = sorted(
            redraws[i] - returned
            for i, (_id, returned) in zip(nexts, accepted, strict=True)
            if i < len(redraws)
        )
        missing = sum(1 for i in nexts if i >= len(redraws))
    if missing:
        errors.append(f"{missing} accepted answers never reached the stream")

    def pct(p: float) -> float:
        return delays[min(len(delays) - 1, int(p * len(delays)))] if delays else float("nan")

    db = "PostgreSQL" if POSTGRES else "SQLite"
    fan = "Redis pub/sub" if REDIS_URL else "in-process"
    if polled:
        fan += " — Redis unreachable, the stream polls the database"
    print(f"workshop benchmark: {db}, {args.workers} uvicorn worker(s), {fan} fan-out")
    print(
        f"participants joined: {len(phones)} in {join_seconds:.1f} s "
        f"({len(phones) / join_seconds:.0f} joins/s, 2 requests each)"
    )
    print(
        f"answers accepted: {len(accepted)} of {len(plan)} in {answer_seconds:.1f} s "
        f"= {len(accepted) / answer_seconds:.1f} answers/s (target {args.rate:.0f}/s)"
    )
    print(
        f"baseline GET /health/ round trip (idle server, median of 200): {baseline * 1000:.1f} ms"
    )
    print(
        f"accepted → facilitator's stream: p50 {pct(0.5) * 1000:.0f} ms "
        f"({pct(0.5) / baseline:.0f}x baseline), p95 {pct(0.95) * 1000:.0f} ms "
        f"({pct(0.95) / baseline:.0f}x), max {delays[-1] * 1000 if delays else float('nan'):.0f} ms "
        f"[{len(delays)} answer events]"
        + (f" (polling: POST returned → next redraw; {len(redraws)} redraws)" if polled else "")
    )
    trips = sorted(round_trips)
    print(
        f"answer POST round trip: p50 {trips[len(trips) // 2] * 1000:.0f} ms, "
        f"p95 {trips[int(len(trips) * 0.95)] * 1000:.0f} ms; server CPU during the answers: "
        f"{cpu_used:.1f} s over {answer_seconds:.1f} s "
        f"({cpu_used / max(1, len(accepted)) * 1000:.1f} ms per answer)"
    )
    print(f"errors: {len(errors)}" + (f" (first: {errors[:3]})" if errors else ""))
    if errors:
        print(f"server log: {DATA_DIR / 'server.log'}")
    print(
        f"server peak memory (VmHWM summed over {len(server_pids(pid))} process(es)): {memory:.0f} MB"
    )


if __name__ == "__main__":
    main()
