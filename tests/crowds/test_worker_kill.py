"""Exactly-once delivery with a real worker killed mid-fan-out (issue #8's acceptance).

A call to 300 volunteers goes out by email into a real SMTP server (aiosmtpd in this
process). The real ``portaat worker`` process sends it; at ~30 % the test kills it with
SIGKILL, starts a new one, and waits: every volunteer must have exactly one message, none
missing, none twice, and every outbox row must say "sent".
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

from tests.crowds.conftest import Inbox, free_port

VOLUNTEERS = 300
KILL_AT = VOLUNTEERS * 30 // 100

SEED = textwrap.dedent(
    f"""
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from portaat.crowds import services
    from portaat.crowds.models import Call, ConsentText, Volunteer
    from portaat.registry.models import Area
    from django.utils import timezone
    from datetime import timedelta

    area = Area.objects.create(key="kill-test", name="Koeala", name_sv="Testområde",
                               kind="district", municipality="Helsinki", lat=60.2, lon=24.9)
    consent = ConsentText.objects.order_by("-version").first()
    now = timezone.now()
    people = Volunteer.objects.bulk_create([
        Volunteer(name=f"v{{i}}", email=f"v{{i}}@example.org", channels=["email"],
                  consent=consent, consented_at=now, confirmed_at=now)
        for i in range({VOLUNTEERS})
    ])
    Volunteer.areas.through.objects.bulk_create(
        [Volunteer.areas.through(volunteer_id=v.pk, area_id=area.pk) for v in people])
    user = get_user_model().objects.create_user("caller@example.org", "caller@example.org")
    call = Call.objects.create(title="Myrskytuhot", instructions_fi="Tule auttamaan.",
        starts_at=now, ends_at=now + timedelta(hours=3), respond_by=now + timedelta(hours=1),
        needed=20, created_by=user)
    call.areas.set([area])
    print(services.send_call(user, call))
    """
)


def _env(data_dir: Path, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        PORTAAT_DATA_DIR=str(data_dir),
        SECRET_KEY="kill-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        # slow enough that the kill lands mid-fan-out, fast enough for the suite
        PORTAAT_CROWDS_EMAIL_RATE="120",
        DJANGO_SETTINGS_MODULE="portaat.settings",
        LOG_LEVEL="WARNING",
    )
    return env


def _portaat(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portaat.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "portaat.cli", "worker"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def _statuses(data_dir: Path) -> Counter[str]:
    with sqlite3.connect(data_dir / "portaat.sqlite3", timeout=30) as db:
        return Counter(s for (s,) in db.execute("SELECT status FROM crowds_delivery"))


def test_a_killed_worker_neither_loses_nor_repeats_a_message(tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = _env(tmp_path, port)
    log = tmp_path / "worker.log"
    worker = None
    try:
        init = _portaat("init", "--no-admin", env=env)
        assert init.returncode == 0, init.stderr
        seeded = subprocess.run(
            [sys.executable, "-c", SEED], env=env, capture_output=True, text=True, timeout=120
        )
        assert seeded.returncode == 0, seeded.stderr
        assert seeded.stdout.strip() == str(VOLUNTEERS)

        worker = _worker(env, log)
        assert _wait(lambda: len(inbox.recipients) >= KILL_AT, 90), log.read_text()
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        at_kill = len(inbox.recipients)
        assert at_kill < VOLUNTEERS, "the worker finished before it could be killed"

        worker = _worker(env, log)
        assert _wait(lambda: _statuses(tmp_path).get("sent", 0) == VOLUNTEERS, 120), (
            _statuses(tmp_path),
            log.read_text()[-3000:],
        )
        time.sleep(1.0)  # anything sent twice would arrive now
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
        controller.stop()

    counts = Counter(inbox.recipients)
    duplicates = {address: n for address, n in counts.items() if n > 1}
    missing = {f"v{i}@example.org" for i in range(VOLUNTEERS)} - set(counts)
    print(f"killed at {at_kill}/{VOLUNTEERS}; duplicates {len(duplicates)}; missing {len(missing)}")
    assert duplicates == {}
    assert missing == set()
    assert len(inbox.recipients) == VOLUNTEERS
    assert _statuses(tmp_path) == Counter({"sent": VOLUNTEERS})
