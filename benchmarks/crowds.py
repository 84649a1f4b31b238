"""Benchmark: rapid-response crowds — email fan-out, a killed worker, answers and headcount (issue 8).

Three figures, measured in one run for each database:

1. **Fan-out** of one call to ``--volunteers`` volunteers (10,000) by email into a local SMTP
   sink: messages/s and the time from ``services.send_call`` to the sink accepting the last
   message, for the real path (``send_call`` writes the outbox, ``dispatch.dispatch_all`` claims
   rows, renders each message in its volunteer's language, commits its state per message and
   uses the SMTP hand-over trick), run in this process with the per-process rate limit
   lifted (``PORTAAT_CROWDS_EMAIL_RATE=1000000``). Baselines in the same run, on the same
   rendered messages (rendered before the timer): **raw** — a tight ``smtplib`` loop sending
   the message bytes over one connection (the limit here); **naive** — Django's ``send_mail``
   per message (a new SMTP connection each, as ``send_mail`` does), timed on ``--naive``
   messages. Rounds interleave raw, naive and ours; medians of ``--runs`` rounds. Then one
   extra, instrumented round says where the time of our path goes (``--profile`` adds
   cProfile's top functions).
2. **The real worker**: the same fan-out sent by a ``portaat worker`` subprocess (the Huey
   consumer, woken by the task ``send_call`` enqueues) — once undisturbed, and ``--kill-runs``
   times killed with SIGKILL when the sink has ~30 % of the messages and started again at
   once: messages received, duplicates, missing, outbox states, time to the last message.
3. **Answers**: a real ``portaat serve --no-worker`` (uvicorn) subprocess; ``--clients``
   threads play ``--responses`` distinct volunteers, each with its own signed answer link:
   ``GET /crowds/r/<token>/`` (the page sets the CSRF cookie, as a phone gets it), then, in a
   second timed phase, ``POST`` the answer with the CSRF token — once as fast as the clients
   can (capacity), and once, on another call, paced at ``--rate`` answers/s (15) for
   ``--paced-seconds`` (30). An official (coordinator role)
   keeps the headcount stream ``GET /crowds/calls/<pk>/events/`` open; a response counts as
   shown when its volunteer's name first appears in a ``headcount`` event's list of who
   answered. Delays: from the POST's response having been read by the client to the stream
   showing the answer (p50/p95; goal p95 ≤ 1 s), and from the server's time of the answer
   (``Response.updated_at``) to the stream. Baseline: ``GET /health/`` round trip on the idle
   server, median of 200.

The SMTP sink is a minimal asyncio SMTP server (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT; a message counts only when the final "." arrives, so a connection dropped mid-DATA
leaves nothing, as with any SMTP server) on uvloop in its own process (``multiprocessing``
spawn), so it has a core of its own and no GIL shared with the sender. It is not aiosmtpd
because aiosmtpd, per connection, accepts only ~400–950 messages/s on this machine — it would
be the bottleneck measured; the run prints the raw loop into aiosmtpd (own process, uvloop)
too, for scale. The sink's CPU use during each phase is printed, to show it is not the limit.

    .venv/bin/python benchmarks/crowds.py                        # SQLite, 10,000 volunteers
    .venv/bin/python benchmarks/crowds.py --quick                # smoke run, ~1,000
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/crowds.py

With a PostgreSQL ``DATABASE_URL`` the benchmark measures SQLite and then PostgreSQL (``--db``
chooses); it never uses the database the URL names: it creates ``portaat_bench_crowds`` on that
server (through the ``postgres`` maintenance database) and drops it at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "portaat_bench_crowds"
RAW_GOAL = 0.5  # of the raw smtplib loop
NAIVE_GOAL = 10.0  # times Django's send_mail per message
DELAY_GOAL = 1.0  # seconds, p95 from an answer to the headcount stream
KILL_AT = 0.30
UNLIMITED_RATE = "1000000"
SECRET = "benchmark-only-secret-key-0123456789abcdefghijklmnop"

# --- the SMTP sink, in a process of its own -----------------------------------------------------


class _Store:
    """What the sink accepted: (time, recipients, bytes); a shared counter for polling."""

    def __init__(self, counter: Any) -> None:
        self.counter = counter
        self.records: list[tuple[float, list[str], int]] = []

    def accept(self, recipients: list[str], size: int) -> None:
        self.records.append((time.time(), recipients, size))
        self.counter.value += 1

    def take(self) -> list[tuple[float, list[str], int]]:
        taken, self.records = self.records, []
        return taken


class _SinkProtocol(asyncio.Protocol):
    """The least SMTP that smtplib and Django's backend need."""

    def __init__(self, store: _Store) -> None:
        self.store = store
        self.buffer = bytearray()
        self.in_data = False
        self.recipients: list[str] = []
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        write = self.transport.write
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    return
                del self.buffer[: end + 5]
                self.in_data = False
                self.store.accept(self.recipients, end)
                self.recipients = []
                write(b"250 2.0.0 OK\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line = bytes(self.buffer[:end])
            del self.buffer[: end + 2]
            verb = line[:4].upper()
            if verb == b"EHLO":
                write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"RCPT":
                self.recipients.append(line[line.find(b"<") + 1 : line.rfind(b">")].decode())
                write(b"250 2.1.5 OK\r\n")
            elif verb == b"MAIL":
                self.recipients = []
                write(b"250 2.1.0 OK\r\n")
            elif verb == b"DATA":
                self.in_data = True
                self.buffer[:0] = b"\r\n"  # an empty body still ends with CRLF . CRLF
                write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                write(b"221 bye\r\n")
                self.transport.close()
                return
            else:  # HELO, RSET, NOOP
                self.recipients = [] if verb == b"RSET" else self.recipients
                write(b"250 OK\r\n")


class _AiosmtpdHandler:
    def __init__(self, store: _Store) -> None:
        self.store = store

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's name
        self.store.accept(list(envelope.rcpt_tos), len(envelope.content))
        return "250 OK"


def _sink_process(kind: str, ready: Any, control: Any, counter: Any) -> None:
    """The sink's process (spawned: no Django, no state of the parent)."""
    loop: asyncio.AbstractEventLoop
    try:
        import uvloop

        loop = uvloop.new_event_loop()
    except ImportError:  # pragma: no cover
        loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    store = _Store(counter)
    if kind == "aiosmtpd":
        from aiosmtpd.smtp import SMTP

        handler = _AiosmtpdHandler(store)

        def factory() -> asyncio.Protocol:
            return SMTP(handler, hostname="sink")
    else:

        def factory() -> asyncio.Protocol:
            return _SinkProtocol(store)

    server: Any = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))
    ready.send(server.sockets[0].getsockname()[1])

    def serve_control() -> None:
        while True:
            command = control.recv()
            if command == "take":
                # the loop thread appends; swapping the list under the GIL is safe enough here
                # and the caller only takes after the senders are done
                control.send(store.take())
            else:
                loop.call_soon_threadsafe(loop.stop)
                return

    threading.Thread(target=serve_control, daemon=True).start()
    loop.run_forever()


class Sink:
    def __init__(self, kind: str = "minimal") -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.counter = context.Value("q", 0, lock=False)
        ready_here, ready_there = context.Pipe()
        self.control, control_there = context.Pipe()
        self.process = context.Process(
            target=_sink_process,
            args=(kind, ready_there, control_there, self.counter),
            daemon=True,
        )
        self.process.start()
        self.port: int = ready_here.recv()
        self.kind = kind

    @property
    def count(self) -> int:
        return int(self.counter.value)

    def take(self) -> list[tuple[float, list[str], int]]:
        """Everything accepted since the last take (and reset the counter)."""
        self.control.send("take")
        records: list[tuple[float, list[str], int]] = self.control.recv()
        self.counter.value = 0
        return records

    def cpu(self) -> float:
        return cpu_seconds([self.process.pid])  # type: ignore[list-item]

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.control.send("stop")
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()


# --- small helpers ------------------------------------------------------------------------------


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_tree(root: int) -> list[int]:
    pids, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                pids.append(int(pid))
                frontier.append(int(pid))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def _server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_server_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


# --- the child: everything for one database -----------------------------------------------------


def child(args: argparse.Namespace) -> dict[str, Any]:
    sink = Sink("minimal")
    try:
        return _child(args, sink)
    finally:
        sink.stop()


def _child(args: argparse.Namespace, sink: Sink) -> dict[str, Any]:
    os.environ.update(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        PORTAAT_CROWDS_EMAIL_RATE=UNLIMITED_RATE,
        DJANGO_SETTINGS_MODULE="portaat.settings",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        PORTAAT_EVENTS_PREFIX=f"benchcrowds{os.getpid()}",
        DEFAULT_FROM_EMAIL="portaat@portaat.example",
        SITE_URL="https://portaat.example",
        SECURE_COOKIES="false",  # the clients below speak plain HTTP to 127.0.0.1
    )
    os.environ.setdefault("SECRET_KEY", SECRET)
    os.environ.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "portaat.cli", "init", "--no-admin"],
        capture_output=True,
        text=True,
        env=os.environ,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"portaat init failed:\n{done.stdout}\n{done.stderr}")

    import django

    django.setup()
    from django.db import connection

    result: dict[str, Any] = {"vendor": connection.vendor, "volunteers": args.volunteers}
    world = seed(args.volunteers)
    say(f"  {connection.vendor}: {args.volunteers:,} volunteers seeded")
    parts = set(args.parts.split(","))
    if "fanout" in parts:
        result["fanout"] = fanout(args, sink, world)
    if "worker" in parts or "answers" in parts:
        result["worker"] = worker_runs(args, sink, world)
    if "answers" in parts:
        result["answers"] = answers(args, world)
    return result


def seed(count: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from portaat.access import Role
    from portaat.crowds.models import ConsentText, Volunteer
    from portaat.registry.models import Area

    area = Area.objects.create(
        key="bench-crowds",
        name="Myrskyalue",
        name_sv="Stormområde",
        kind="district",
        municipality="Helsinki",
        lat=60.19,
        lon=24.95,
    )
    consent = ConsentText.objects.order_by("-version").first()
    now = timezone.now()
    languages = ["fi"] * 7 + ["sv"] * 2 + ["en"]
    people = Volunteer.objects.bulk_create(
        [
            Volunteer(
                name=f"vol{i:05d}",
                email=f"vol{i:05d}@example.org",
                language=languages[i % len(languages)],
                channels=["email"],
                consent=consent,
                consented_at=now,
                confirmed_at=now,
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    through = Volunteer.areas.through
    through.objects.bulk_create(
        [through(volunteer_id=v.pk, area_id=area.pk) for v in people], batch_size=2000
    )
    user = get_user_model().objects.create_user(
        "coordinator@bench.example", "coordinator@bench.example"
    )
    user.groups.add(Group.objects.get(name=Role.COORDINATOR.value))
    return {"area": area, "user": user, "addresses": {v.email for v in people}}


def new_call(world: dict[str, Any], title: str) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    from portaat.crowds import services

    now = timezone.now()
    data = services.CallData(
        title=title,
        instructions_fi="Myrsky kaatoi puita Kalliossa. Tarvitaan apua raivaukseen: ota "
        "työhanskat ja sahat mukaan, kokoontuminen koulun pihalla.",
        instructions_sv="Stormen fällde träd i Berghäll. Vi behöver hjälp med röjningen: ta med "
        "arbetshandskar och sågar, samling på skolgården.",
        instructions_en="The storm felled trees in Kallio. Help is needed with the clearing: "
        "bring work gloves and saws, meet in the school yard.",
        lat=60.184,
        lon=24.95,
        radius_m=None,
        area_ids=[world["area"].pk],
        address="Kallion ala-asteen piha",
        starts_at=now,
        ends_at=now + timedelta(hours=4),
        respond_by=now + timedelta(hours=1),
        needed=50,
        skill_ids=[],
        severity="Severe",
        category="Rescue",
        channels=["email"],
        escalate_after_minutes=15,
    )
    return services.create_call(world["user"], data)


def rendered(call: Any) -> list[tuple[str, str, str, bytes]]:
    """(to, subject, text, SMTP bytes) of the call's message to every reached volunteer,
    rendered as the dispatcher renders it (outside every timer)."""
    from portaat.crowds import reach
    from portaat.crowds.models import Call, CallMessage, Delivery, MessageKind
    from portaat.crowds.render import outgoing
    from portaat.crowds.transports.email import EmailTransport, build_bytes

    call = Call.objects.prefetch_related("areas").get(pk=call.pk)
    message = CallMessage(call=call, kind=MessageKind.ALERT)
    sender = EmailTransport().sender
    out = []
    for volunteer in reach.reached_by_call(call).order_by("pk"):
        delivery = Delivery(message=message, volunteer=volunteer, channel="email")
        mail = outgoing(delivery)
        out.append((mail.to, mail.subject, mail.text, build_bytes(mail, sender)))
    return out


def _received(records: list[tuple[float, list[str], int]]) -> tuple[Counter[str], float]:
    counts: Counter[str] = Counter()
    for _at, recipients, _size in records:
        counts.update(recipients)
    last = max((at for at, _r, _s in records), default=float("nan"))
    return counts, last


def raw_loop(sink: Sink, messages: list[tuple[str, str, str, bytes]]) -> dict[str, Any]:
    import smtplib

    from django.conf import settings

    sink.take()
    smtp = smtplib.SMTP("127.0.0.1", sink.port)
    smtp.ehlo()
    cpu = sink.cpu()
    started = time.time()
    for to, _subject, _text, data in messages:
        smtp.sendmail(settings.DEFAULT_FROM_EMAIL, [to], data)
    smtp.quit()
    wall = time.time() - started
    counts, last = _received(sink.take())
    assert sum(counts.values()) == len(messages), (sum(counts.values()), len(messages))
    seconds = last - started
    return {
        "messages": len(messages),
        "seconds": seconds,
        "rate": len(messages) / seconds,
        "sink_cpu": (sink.cpu() - cpu) / wall,
    }


def naive_loop(sink: Sink, messages: list[tuple[str, str, str, bytes]]) -> dict[str, Any]:
    from django.conf import settings
    from django.core.mail import send_mail

    sink.take()
    cpu = sink.cpu()
    started = time.time()
    for to, subject, text, _data in messages:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    wall = time.time() - started
    counts, last = _received(sink.take())
    assert sum(counts.values()) == len(messages)
    seconds = last - started
    return {
        "messages": len(messages),
        "seconds": seconds,
        "rate": len(messages) / seconds,
        "sink_cpu": (sink.cpu() - cpu) / wall,
    }


def ours(
    sink: Sink, world: dict[str, Any], title: str, timers: Instrumented | None = None
) -> dict[str, Any]:
    """send_call + dispatch_all in this process; the clock runs from before send_call to the
    sink's acceptance of the last message."""
    from portaat.crowds import dispatch, services
    from portaat.crowds.models import Delivery

    call = new_call(world, title)
    sink.take()
    cpu = sink.cpu()
    started = time.time()
    count = services.send_call(world["user"], call)
    queued = time.time() - started
    if timers is not None:
        timers.start()
    dispatch.dispatch_all(max_seconds=3600)
    if timers is not None:
        timers.stop()
    wall = time.time() - started
    counts, last = _received(sink.take())
    statuses = Counter(Delivery.objects.filter(message__call=call).values_list("status", flat=True))
    seconds = last - started
    result = {
        "messages": count,
        "seconds": seconds,
        "rate": count / seconds,
        "send_call_seconds": queued,
        "received": sum(counts.values()),
        "distinct": len(counts),
        "statuses": dict(statuses),
        "sink_cpu": (sink.cpu() - cpu) / wall,
        "call": call.pk,
    }
    if timers is not None:
        result["breakdown"] = timers.parts(queued, wall - queued, count)
    return result


class Instrumented:
    """Timers around the parts of the dispatcher (wrappers in this process; they add a few µs
    per call, ~10 calls a message). ``profile``: cProfile the dispatch as well."""

    HANDOVER = "hand-over record: still wanted? sent (UPDATE, commit)"

    def __init__(self, profile: bool = False) -> None:
        self.timers: dict[str, float] = {}
        self.patched: list[tuple[Any, str, Any]] = []
        self.profile: Any = None
        if profile:
            import cProfile

            self.profile = cProfile.Profile()

    def _add(self, name: str, seconds: float) -> None:
        self.timers[name] = self.timers.get(name, 0.0) + seconds

    def _patch(self, owner: Any, attribute: str, label: str | None) -> None:
        original = getattr(owner, attribute)
        self.patched.append((owner, attribute, original))
        add = self._add

        def wrapper(*a: Any, **kw: Any) -> Any:
            name = label
            started = time.perf_counter()
            try:
                return original(*a, **kw)
            finally:
                add(name, time.perf_counter() - started)

        setattr(owner, attribute, wrapper)

    def __enter__(self) -> Instrumented:
        from portaat.crowds import dispatch
        from portaat.crowds.transports import email as email_transport

        transport = email_transport.EmailTransport
        self._patch(dispatch, "claim", "claim (SELECT + UPDATE, commit)")
        self._patch(dispatch, "_set", "other records (UPDATE, commit)")
        self._patch(dispatch, "_set_if_wanted", self.HANDOVER)
        self._patch(dispatch, "outgoing", "render (translations, links, HMACs)")
        self._patch(dispatch, "_still_wanted", "still wanted? (checks)")
        self._patch(email_transport, "build_bytes", "build the message bytes")
        self._patch(transport, "_transaction", "_transaction")
        self._patch(transport, "_connect", "connect")
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, attribute, original in reversed(self.patched):
            setattr(owner, attribute, original)
        self.patched = []

    def start(self) -> None:
        if self.profile is not None:
            self.profile.enable()

    def stop(self) -> None:
        if self.profile is not None:
            self.profile.disable()
            import io
            import pstats

            out = io.StringIO()
            stats = pstats.Stats(self.profile, stream=out)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(45)
            say(out.getvalue())

    def parts(self, send_call: float, dispatch: float, messages: int) -> dict[str, Any]:
        timers = dict(self.timers)
        handover = timers.pop(self.HANDOVER, 0.0)
        timers["SMTP commands and data (MAIL, RCPT, DATA, '.')"] = (
            timers.pop("_transaction", 0.0) - handover
        )
        timers[self.HANDOVER] = handover
        timers["SMTP connect (once a batch)"] = timers.pop("connect", 0.0)
        timers["the rest (loading claimed rows, loop, rate limit)"] = dispatch - sum(
            timers.values()
        )
        timers["send_call (outbox rows, one transaction)"] = send_call
        return {
            "total": send_call + dispatch,
            "messages": messages,
            "parts": dict(sorted(timers.items(), key=lambda item: -item[1])),
        }


def fanout(args: argparse.Namespace, sink: Sink, world: dict[str, Any]) -> dict[str, Any]:
    draft = new_call(world, "Mittaus: viestit")
    messages = rendered(draft)
    naive_messages = messages[: args.naive]
    say(f"  rendered {len(messages):,} messages for the baselines")
    rounds: dict[str, list[dict[str, Any]]] = {"raw": [], "naive": [], "ours": []}
    breakdowns = {}
    for number in range(args.runs):
        last = number == args.runs - 1
        rounds["raw"].append(raw_loop(sink, messages))
        rounds["naive"].append(naive_loop(sink, naive_messages))
        if last:  # the last round also says where the time goes
            with Instrumented(args.profile) as timers:
                rounds["ours"].append(ours(sink, world, f"Myrskytuhot {number + 1}", timers))
            breakdowns["breakdown"] = rounds["ours"][-1]["breakdown"]
        else:
            rounds["ours"].append(ours(sink, world, f"Myrskytuhot {number + 1}"))
        say(
            "  round {}: raw {:,.0f}/s, naive {:,.0f}/s, ours {:,.0f}/s ({} received, {})".format(
                number + 1,
                rounds["raw"][-1]["rate"],
                rounds["naive"][-1]["rate"],
                rounds["ours"][-1]["rate"],
                rounds["ours"][-1]["received"],
                rounds["ours"][-1]["statuses"],
            )
        )
    # for scale: the same raw loop into aiosmtpd (own process, uvloop), on a slice
    aio = Sink("aiosmtpd")
    try:
        aiosmtpd = raw_loop(aio, messages[: min(len(messages), 2000)])
    finally:
        aio.stop()
    summary: dict[str, Any] = {"aiosmtpd_raw": aiosmtpd, "rounds": rounds, **breakdowns}
    for name, runs in rounds.items():
        summary[name] = {
            "rate": statistics.median(r["rate"] for r in runs),
            "seconds": statistics.median(r["seconds"] for r in runs),
            "messages": runs[0]["messages"],
            "sink_cpu": statistics.median(r["sink_cpu"] for r in runs),
            "rates": [round(r["rate"]) for r in runs],
        }
    for name in ("ours",):
        summary[name]["send_call_seconds"] = statistics.median(
            r["send_call_seconds"] for r in rounds[name]
        )
        summary[name]["exact"] = all(
            r["received"] == r["messages"] == r["distinct"] for r in rounds[name]
        )
    summary["message_bytes"] = statistics.median(len(m[3]) for m in messages)
    return summary


# --- the real worker, killed and restarted ------------------------------------------------------


def _worker(log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "portaat.cli", "worker"],
        env={**os.environ, "LOG_LEVEL": "INFO"},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: we kill exactly it
    )


def _wait_started(log: Path, offset: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if b"consumer started" in log.read_bytes()[offset:]:
            return
        time.sleep(0.05)
    raise SystemExit(f"the worker did not start:\n{log.read_text()[-3000:]}")


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def worker_run(
    sink: Sink, world: dict[str, Any], log: Path, *, kill: bool, rng: random.Random
) -> dict[str, Any]:
    from django.db import close_old_connections

    from portaat.crowds import services
    from portaat.crowds.models import Delivery
    from portaat.tasks import huey

    huey.flush()  # the in-process rounds' wake-ups: the worker would only find nothing due
    call = new_call(world, "Myrskytuhot (worker)" + (" kill" if kill else ""))
    total = len(world["addresses"])
    offset = log.stat().st_size if log.exists() else 0
    worker = _worker(log)
    at_kill = None
    killed_at = restarted_ready = None
    try:
        _wait_started(log, offset)
        time.sleep(1.0)  # let the start-up dispatch (nothing due) finish
        sink.take()
        started = time.time()
        services.send_call(world["user"], call)
        if kill:
            # not at a multiple of the claim batch (100), and a random moment of a message's
            # cycle (as shipped one message takes ~50 ms): a kill right after the sink accepted
            # a message always lands at the same, easy point
            target = int(total * KILL_AT) + 37
            while sink.count < target:
                if worker.poll() is not None:
                    raise SystemExit(f"the worker stopped:\n{log.read_text()[-3000:]}")
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.06))
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
            killed_at = time.time() - started
            at_kill = sink.count
            offset = log.stat().st_size
            worker = _worker(log)
            _wait_started(log, offset)
            restarted_ready = time.time() - started
        deadline = time.monotonic() + 120 + total / 20
        while time.monotonic() < deadline:
            close_old_connections()
            states = Counter(
                Delivery.objects.filter(message__call=call).values_list("status", flat=True)
            )
            if sink.count >= total and states.get("pending", 0) + states.get("claimed", 0) == 0:
                break
            time.sleep(0.2)
        time.sleep(2.0)  # anything sent twice would arrive now
    finally:
        _stop(worker)
    records = sink.take()
    counts, last = _received(records)
    first = min((at for at, _r, _s in records), default=float("nan"))
    states = Counter(Delivery.objects.filter(message__call=call).values_list("status", flat=True))
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    missing = len(world["addresses"] - set(counts))
    # rows recorded as handed over whose message never arrived: the silent loss a kill
    # between the hand-over's commit and the final "." would cause
    recorded_sent = list(
        Delivery.objects.filter(message__call=call, status="sent").values_list(
            "volunteer__email", flat=True
        )
    )
    retried = Delivery.objects.filter(message__call=call, attempts__gt=1).count()
    return {
        "kill": kill,
        "sent_not_received": sum(1 for address in recorded_sent if not counts.get(address)),
        "retried": retried,
        "received": sum(counts.values()),
        "distinct": len(counts),
        "duplicates": duplicates,
        "missing": missing,
        "statuses": dict(states),
        "first_seconds": first - started,
        "last_seconds": last - started,
        "rate": total / (last - started),
        "killed_at_seconds": killed_at,
        "at_kill": at_kill,
        "restarted_ready_seconds": restarted_ready,
    }


def worker_runs(
    args: argparse.Namespace, sink: Sink, world: dict[str, Any]
) -> list[dict[str, Any]]:
    log = Path(os.environ["PORTAAT_DATA_DIR"]) / "worker.log"
    rng = random.Random(20261128)
    runs = []
    for kill in [False] + [True] * args.kill_runs:
        found = worker_run(sink, world, log, kill=kill, rng=rng)
        runs.append(found)
        say(
            "  worker{}: received {:,}, duplicates {}, missing {}, last message after {:.1f} s, "
            "outbox {}".format(
                f" killed at {found['at_kill']:,}" if kill else " (no kill)",
                found["received"],
                found["duplicates"],
                found["missing"],
                found["last_seconds"],
                found["statuses"],
            )
        )
    return runs


# --- answers and the live headcount -------------------------------------------------------------


class Phone:
    """One client: a keep-alive HTTP connection; cookies are passed per request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        cookies: dict[str, str],
        form: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, http.client.CannotSendRequest, ConnectionError):
                # uvicorn closes idle keep-alive connections after 5 s: reconnect once
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                cookies[key] = morsel.value
        return response.status, dict(response.headers), data


NAME = re.compile(r'<th scope="row">(vol\d{5})</th>')


def answers(args: argparse.Namespace, world: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings
    from django.db import close_old_connections
    from django.test import Client

    from portaat.crowds import links, live
    from portaat.crowds.models import Call, Volunteer
    from tests.helpers import sign_in_with_second_step

    # two calls that went to every volunteer (all deliveries sent), one per phase, so that each
    # phase's answers are new answers on a fresh headcount
    calls = list(Call.objects.filter(status="sent").order_by("-pk")[:2])
    volunteers = list(Volunteer.objects.order_by("pk"))
    # the headcount needs a session signed in with the authenticator app's code, as a caller's
    client = sign_in_with_second_step(Client(), world["user"])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    redraws = []
    for _ in range(5):
        started = time.perf_counter()
        live.render_headcount(calls[0].pk, "fi")
        redraws.append(time.perf_counter() - started)
    close_old_connections()

    port = free_port()
    data_dir = Path(os.environ["PORTAAT_DATA_DIR"])
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "portaat.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-worker",
        ],
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=(data_dir / "server.log").open("wb"),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        probe = Phone(port)
        probe.request("GET", "/health/", {})
        health = []
        for _ in range(200):
            started = time.perf_counter()
            probe.request("GET", "/health/", {})
            health.append(time.perf_counter() - started)
        result: dict[str, Any] = {
            "baseline": statistics.median(health),
            "redraw": statistics.median(redraws),
            "clients": args.clients,
        }
        phases = [("load", calls[0], volunteers[: args.responses], None)]
        if args.rate > 0:
            paced = volunteers[: min(len(volunteers), int(args.rate * args.paced_seconds))]
            phases.append(("paced", calls[1], paced, args.rate))
        for name, call, people, rate in phases:
            tokens = {v.name: links.response_token(call, v) for v in people}
            result[name] = answer_phase(args, port, call, tokens, session, server.pid, rate)
            say(
                "  answers ({}): {:,} at {:.0f}/s, POST -> stream p50 {:.0f} ms, p95 {:.0f} ms".format(
                    name,
                    result[name]["accepted"],
                    result[name]["answers_per_s"],
                    result[name]["shown_p50"] * 1000,
                    result[name]["shown_p95"] * 1000,
                )
            )
        return result
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def answer_phase(
    args: argparse.Namespace,
    port: int,
    call: Any,
    tokens: dict[str, str],
    session: str,
    server_pid: int,
    rate: float | None,
) -> dict[str, Any]:
    """Everyone in ``tokens`` opens their answer page, then answers (as fast as the clients
    can, or paced at ``rate`` a second), while the official's stream of ``call`` is open."""
    from django.conf import settings
    from django.db import close_old_connections

    from portaat.crowds.models import Response

    seen: dict[str, float] = {}  # volunteer name -> first time the stream listed them
    stamps: dict[int, float] = {}  # answer time (µs) from "answers" -> first time seen
    arrivals: list[float] = []
    ready = threading.Event()
    stop = threading.Event()
    stream_errors: list[str] = []

    def listen() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.request(
            "GET",
            f"/crowds/calls/{call.pk}/events/",
            headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        )
        response = conn.getresponse()
        if response.status != 200:
            stream_errors.append(f"stream {response.status}")
            ready.set()
            return
        event = ""
        while not stop.is_set():
            line = response.readline()
            if not line:
                break
            text = line.decode().rstrip("\r\n")
            if text.startswith("event: "):
                event = text[7:]
            elif text.startswith("data: ") and event == "headcount":
                now = time.time()
                data = json.loads(text[6:])
                arrivals.append(now)
                for name in NAME.findall(data.get("html", "")):
                    seen.setdefault(name, now)
                for at in data.get("answers", []):
                    stamps.setdefault(round(at * 1e6), now)
                ready.set()
        conn.close()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    ready.wait(60)
    if stream_errors:
        raise SystemExit(stream_errors[0])

    names = list(tokens)
    cookies: dict[str, dict[str, str]] = {name: {} for name in names}
    errors: list[str] = []
    lock = threading.Lock()
    local = threading.local()

    def phone() -> Phone:
        if not hasattr(local, "phone"):
            local.phone = Phone(port)
        return local.phone  # type: ignore[no-any-return]

    def open_page(name: str) -> None:
        status, _h, _b = phone().request("GET", f"/crowds/r/{tokens[name]}/", cookies[name])
        if status != 200 or "csrftoken" not in cookies[name]:
            with lock:
                errors.append(f"page {status}")

    returned: dict[str, float] = {}
    trips: list[float] = []
    choice = ("coming",) * 7 + ("not_coming",) * 2 + ("arrived",)
    begin = 0.0

    def answer(index_name: tuple[int, str]) -> None:
        index, name = index_name
        if rate:
            delay = begin + index / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        form = {
            "csrfmiddlewaretoken": cookies[name].get("csrftoken", ""),
            "answer": choice[index % len(choice)],
        }
        sent = time.perf_counter()
        try:
            status, _h, _b = phone().request(
                "POST", f"/crowds/r/{tokens[name]}/", cookies[name], form
            )
        except OSError as exc:
            with lock:
                errors.append(f"answer: {exc}")
            return
        now = time.time()
        with lock:
            trips.append(time.perf_counter() - sent)
            if status == 200:
                returned[name] = now
            else:
                errors.append(f"answer {status}")

    cpu_pids = process_tree(server_pid)
    started = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(open_page, names))
    pages_seconds = time.perf_counter() - started

    cpu_before = cpu_seconds(cpu_pids)
    first_event = len(arrivals)
    started = begin = time.perf_counter() + 0.2
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(answer, enumerate(names)))
    answer_seconds = time.perf_counter() - started
    cpu_used = cpu_seconds(cpu_pids) - cpu_before
    time.sleep(3.0)  # the last redraws
    stop.set()

    close_old_connections()
    stored = {
        name: updated.timestamp()
        for name, updated in Response.objects.filter(call=call).values_list(
            "volunteer__name", "updated_at"
        )
    }
    shown = [seen[name] - returned[name] for name in returned if name in seen]
    from_server = [
        seen[name] - stored[name] for name in returned if name in seen and name in stored
    ]
    never = [name for name in returned if name not in seen]
    in_answers = sum(1 for name in returned if round(stored.get(name, 0) * 1e6) in stamps)
    during = arrivals[first_event:]
    gaps = [b - a for a, b in itertools.pairwise(during)]
    return {
        "rate": rate,
        "responses": len(names),
        "accepted": len(returned),
        "stored": len(stored),
        "pages_per_s": len(names) / pages_seconds,
        "answers_per_s": len(returned) / answer_seconds,
        "answer_seconds": answer_seconds,
        "trip_p50": pct(trips, 0.5),
        "trip_p95": pct(trips, 0.95),
        "shown_p50": pct(shown, 0.5),
        "shown_p95": pct(shown, 0.95),
        "shown_max": max(shown) if shown else float("nan"),
        "shown_negative": sum(1 for d in shown if d < 0),
        "server_p50": pct(from_server, 0.5),
        "server_p95": pct(from_server, 0.95),
        "never_shown": len(never),
        "stamps_in_answers": in_answers,
        "headcount_events": len(during),
        "gap_p50": pct(gaps, 0.5),
        "gap_max": max(gaps) if gaps else float("nan"),
        "cpu_per_answer": cpu_used / max(1, len(returned)),
        "cpu_share": cpu_used / answer_seconds,
        "errors": errors[:5],
        "error_count": len(errors),
    }


# --- the parent: a child per database, then the table -------------------------------------------


def run_kind(kind: str, args: argparse.Namespace, server: str) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"portaat-bench-crowds-{kind}-"))
    (folder / "static").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["PORTAAT_DATA_DIR"] = str(folder)
    if kind == "postgresql":
        _admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        _admin(server, f'CREATE DATABASE "{BENCH_DB}"')
        env["DATABASE_URL"] = _server_url(server, BENCH_DB)
    argv = [
        sys.executable,
        __file__,
        "--child",
        "--volunteers",
        str(args.volunteers),
        "--runs",
        str(args.runs),
        "--naive",
        str(args.naive),
        "--kill-runs",
        str(args.kill_runs),
        "--responses",
        str(args.responses),
        "--clients",
        str(args.clients),
        "--rate",
        str(args.rate),
        "--paced-seconds",
        str(args.paced_seconds),
        "--parts",
        args.parts,
    ] + (["--profile"] if args.profile else [])
    try:
        done = subprocess.run(argv, env=env, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            sys.stdout.write(done.stdout)
            raise SystemExit(f"{kind} failed ({done.returncode}); data in {folder}")
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        if kind == "postgresql":
            _admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def report(found: dict[str, Any]) -> None:
    kind = "SQLite" if found["vendor"] == "sqlite" else "PostgreSQL"
    if "fanout" in found:
        report_fanout(kind, found)
    if "worker" in found:
        report_worker(kind, found)
    if "answers" in found:
        report_answers(kind, found)


def report_fanout(kind: str, found: dict[str, Any]) -> None:
    fan = found["fanout"]
    raw, naive, our = fan["raw"], fan["naive"], fan["ours"]
    n = found["volunteers"]
    print(
        f"\n== {kind}: fan-out of one call to {n:,} volunteers by email "
        f"(median of {len(fan['rounds']['ours'])} rounds; message {fan['message_bytes']:,.0f} B)"
    )
    print(
        f"{'what':58s} {'msgs/s':>8s} {'to last msg':>12s} {'of raw':>7s} {'x naive':>8s} {'sink CPU':>9s}"
    )
    rows = [
        ("raw smtplib loop, one connection (limit)", raw),
        (f"naive: Django send_mail per message ({naive['messages']:,} msgs)", naive),
        ("Portaat: send_call + dispatch_all (in-process)", our),
    ]
    for label, r in rows:
        print(
            f"{label:58s} {r['rate']:8,.0f} {r['seconds']:10.2f} s {r['rate'] / raw['rate']:7.2f}"
            f" {r['rate'] / naive['rate']:7.1f}x {r['sink_cpu']:8.0%}"
        )
    aio = fan["aiosmtpd_raw"]
    print(
        f"{'(for scale) raw loop into aiosmtpd instead, ' + format(aio['messages'], ',') + ' msgs':58s}"
        f" {aio['rate']:8,.0f} {aio['seconds']:10.2f} s {aio['rate'] / raw['rate']:7.2f}"
        f" {'':8s} {aio['sink_cpu']:8.0%}"
    )
    print(
        f"  rounds (msgs/s): raw {raw['rates']}, naive {naive['rates']}, ours {our['rates']}, "
        f"send_call itself {our['send_call_seconds']:.2f} s; "
        f"every volunteer exactly one message in every round: {our['exact']}"
    )
    to_raw, to_naive = our["rate"] / raw["rate"], our["rate"] / naive["rate"]
    print(
        f"  goal >= {RAW_GOAL:.0%} of raw: {to_raw:.0%} — {'met' if to_raw >= RAW_GOAL else 'NOT MET'}; "
        f"goal >= {NAIVE_GOAL:.0f}x naive: {to_naive:.1f}x — "
        f"{'met' if to_naive >= NAIVE_GOAL else 'NOT MET'} (raw itself is "
        f"{raw['rate'] / naive['rate']:.1f}x naive)"
    )
    print(
        f"  at these rates a call to 10,000 volunteers takes {10_000 / our['rate'] / 60:.1f} min "
        f"(ours), {10_000 / raw['rate']:.0f} s for the raw loop"
    )
    for key, label in (("breakdown", "ours"),):
        br = fan[key]
        print(
            f"  where our path's time goes, {label} (one instrumented round, {br['total']:.1f} s"
            f" for {br['messages']:,} messages = {br['total'] / br['messages'] * 1e6:,.0f} µs"
            f" each):"
        )
        for name, seconds in br["parts"].items():
            print(
                f"    {name:52s} {seconds / br['messages'] * 1e6:7,.0f} µs"
                f" {seconds / br['total']:6.1%}"
            )


def report_worker(kind: str, found: dict[str, Any]) -> None:
    n = found["volunteers"]
    print(f"\n== {kind}: the real worker process (`portaat worker`), {n:,} volunteers")
    print(
        f"{'run':34s} {'received':>9s} {'dupl.':>6s} {'missing':>8s} {'first msg':>10s} "
        f"{'last msg':>9s} {'msgs/s':>7s}  outbox"
    )
    for run in found["worker"]:
        label = (
            f"SIGKILL at {run['at_kill']:,} ({run['killed_at_seconds']:.1f} s), restart"
            if run["kill"]
            else "undisturbed"
        )
        print(
            f"{label:34s} {run['received']:9,} {run['duplicates']:6} {run['missing']:8} "
            f"{run['first_seconds']:8.2f} s {run['last_seconds']:7.1f} s {run['rate']:7,.0f}  "
            f"{run['statuses']}"
        )
    killed = [r for r in found["worker"] if r["kill"]]
    if killed:
        ok = all(r["duplicates"] == 0 and r["missing"] == 0 for r in killed)
        print(
            f"  goal 0 duplicates and 0 missing after a kill: {'met' if ok else 'NOT MET'}"
            f" ({len(killed)} kill run(s))"
        )
        for run in killed:
            print(
                f"  kill at {run['at_kill']:,}: {run['retried']} row(s) claimed again after the "
                f"restart; {run['sent_not_received']} row(s) recorded as sent whose message "
                f"never arrived; new worker ready {run['restarted_ready_seconds']:.1f} s after the "
                f"send (killed at {run['killed_at_seconds']:.1f} s)"
            )


def report_answers(kind: str, found: dict[str, Any]) -> None:
    a = found["answers"]
    print(
        f"\n== {kind}: answers to /crowds/r/<token>/ by {a['clients']} concurrent clients "
        f"(`portaat serve --no-worker`, one uvicorn process); the official's headcount "
        f"stream open"
    )
    print(
        f"  baseline GET /health/ round trip (idle server, median of 200): "
        f"{a['baseline'] * 1000:.1f} ms; one headcount redraw (render_headcount, in this "
        f"process, median of 5): {a['redraw'] * 1000:.0f} ms"
    )
    for key in ("load", "paced"):
        if key not in a:
            continue
        p = a[key]
        label = (
            "as fast as the clients can (capacity)"
            if p["rate"] is None
            else f"paced at {p['rate']:.0f}/s"
        )
        print(f"  -- {p['responses']:,} volunteers answering {label}")
        print(
            f"  answer pages (GET, sets the CSRF cookie): {p['pages_per_s']:.0f}/s; "
            f"answers (POST): {p['accepted']:,} accepted in {p['answer_seconds']:.1f} s = "
            f"{p['answers_per_s']:.1f}/s; errors {p['error_count']} "
            f"{p['errors'] if p['errors'] else ''}"
        )
        print(
            f"  POST round trip p50 {p['trip_p50'] * 1000:.0f} ms, p95 "
            f"{p['trip_p95'] * 1000:.0f} ms; server CPU {p['cpu_per_answer'] * 1000:.1f} ms per "
            f"answer ({p['cpu_share']:.0%} of a core)"
        )
        print(
            f"  POST returned -> headcount stream shows it: p50 {p['shown_p50'] * 1000:.0f} ms, "
            f"p95 {p['shown_p95'] * 1000:.0f} ms ({p['shown_p95'] / a['baseline']:.0f}x "
            f"baseline), max {p['shown_max'] * 1000:.0f} ms; shown before the POST returned: "
            f"{p['shown_negative']}; never shown: {p['never_shown']}"
        )
        print(
            f"  server's answer time -> stream: p50 {p['server_p50'] * 1000:.0f} ms, "
            f"p95 {p['server_p95'] * 1000:.0f} ms; {p['headcount_events']} headcount events, "
            f"gap between events p50 {p['gap_p50'] * 1000:.0f} ms, max "
            f"{p['gap_max'] * 1000:.0f} ms; answers whose time was in an event's `answers`: "
            f"{p['stamps_in_answers']:,} of {p['accepted']:,}"
        )
        met = p["shown_p95"] <= DELAY_GOAL and p["never_shown"] == 0
        print(f"  goal p95 <= {DELAY_GOAL:.0f} s: {'met' if met else 'NOT MET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--volunteers", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1,000 volunteers")
    parser.add_argument("--runs", type=int, default=3, help="rounds of raw/naive/ours (median)")
    parser.add_argument("--naive", type=int, default=2000, help="messages for the naive baseline")
    parser.add_argument("--kill-runs", type=int, default=1, help="worker runs killed at ~30 %%")
    parser.add_argument("--responses", type=int, default=2000, help="volunteers who answer")
    parser.add_argument("--clients", type=int, default=32, help="concurrent answering clients")
    parser.add_argument(
        "--rate", type=float, default=15.0, help="answers/s of the paced phase (0: none)"
    )
    parser.add_argument("--paced-seconds", type=float, default=30.0, help="length of it")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--profile", action="store_true", help="cProfile the instrumented round")
    parser.add_argument("--keep", action="store_true", help="keep the data folders")
    parser.add_argument(
        "--parts", default="fanout,worker,answers", help="what to measure (comma-separated)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.volunteers, args.runs, args.naive, args.responses = 1000, 1, 300, 300
    args.naive = min(args.naive, args.volunteers)
    args.responses = min(args.responses, args.volunteers)
    if args.child:
        print(json.dumps(child(args)))
        return

    server = os.environ.get("DATABASE_URL", "")
    postgres = server.startswith(("postgres://", "postgresql://"))
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in kinds and not postgres:
        if args.db == "postgresql":
            raise SystemExit("--db postgresql needs DATABASE_URL=postgresql://… (a server)")
        kinds.remove("postgresql")
    say(
        f"crowds benchmark: {args.volunteers:,} volunteers, {args.runs} round(s), "
        f"databases: {', '.join(kinds)}"
    )
    found = {}
    for kind in kinds:
        started = time.perf_counter()
        found[kind] = run_kind(kind, args, server)
        say(f"{kind} done in {time.perf_counter() - started:.0f} s")
    for results in found.values():
        report(results)
    if "postgresql" not in found:
        print("\n(PostgreSQL not measured: DATABASE_URL names no PostgreSQL server)")


if __name__ == "__main__":
    main()
