"""A locked SQLite database and a full disk: the visitor gets a clear, translated 503 with
Retry-After (not "something went wrong"), nothing half-written stays, the database passes
SQLite's integrity check, and the same request works once the fault is gone."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.cli import clean_env, free_port, portaat_command

PASSWORD = "lukittu-kanta-testi-1"


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        portaat_command("serve", "--no-worker", "--port", str(port)),
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "serve did not answer /health/ in time"
        time.sleep(0.3)


def _login(web: httpx.Client) -> httpx.Response:
    web.get("/accounts/login/")
    return web.post(
        "/accounts/login/",
        data={
            "login": "admin@example.org",
            "password": PASSWORD,
            "csrfmiddlewaretoken": web.cookies["csrftoken"],
        },
    )


def test_a_locked_sqlite_database_gives_a_clear_503_and_stays_intact(tmp_path: Path) -> None:
    env = clean_env(
        tmp_path, PORTAAT_ADMIN_PASSWORD=PASSWORD, PORTAAT_SQLITE_TIMEOUT="1", DEBUG="false"
    )
    init = subprocess.run(
        portaat_command("init"), env=env, capture_output=True, text=True, timeout=300
    )
    assert init.returncode == 0, init.stderr
    database = tmp_path / "portaat.sqlite3"
    assert database.exists()
    port = free_port()
    proc = _start(env, port, tmp_path / "serve.log")
    try:
        headers = {"Accept-Language": "en", "Referer": f"http://127.0.0.1:{port}/"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as web:
            # another process (a backup script, a stuck job) holds the write lock
            holder = sqlite3.connect(database, isolation_level=None, timeout=5)
            holder.execute("BEGIN EXCLUSIVE")
            try:
                assert web.get("/").status_code == 200  # reading still works (WAL)
                refused = _login(web)
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            assert refused.status_code == 503
            assert refused.headers["Retry-After"] == "30"
            assert "The database was busy for too long" in refused.text
            assert "_auth_user_id" not in refused.text
            # the lock is gone: the same request works
            assert _login(web).status_code == 302
            assert web.get("/accounts/email/").status_code == 200
        assert "Storage fault (locked)" in (tmp_path / "serve.log").read_text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    _assert_intact(env)


def _assert_intact(env: dict[str, str]) -> None:
    """SQLite's integrity check, through Django (the schema uses Django's SQL functions)."""
    check = subprocess.run(
        portaat_command(
            "manage",
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection; "
            "print(connection.cursor().execute('PRAGMA integrity_check').fetchall())",
        ),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.stdout.strip() == "[('ok',)]", check.stderr


def _filled(folder: Path) -> None:
    """Fill the file system of ``folder`` to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 512, 1):
            block = b"\0" * size
            try:
                while os.write(fd, block):
                    pass
            except OSError:
                pass
    finally:
        os.close(fd)


def test_a_full_disk_gives_a_clear_503_and_saves_nothing(tmp_path: Path) -> None:
    """The data directory on a small file system (tmpfs) that fills up while the site runs."""
    prepared = tmp_path / "prepared"
    prepared.mkdir()
    env = clean_env(prepared, PORTAAT_ADMIN_PASSWORD=PASSWORD, DEBUG="false")
    init = subprocess.run(
        portaat_command("init"), env=env, capture_output=True, text=True, timeout=300
    )
    assert init.returncode == 0, init.stderr
    disk = tmp_path / "disk"
    disk.mkdir()
    size = sum(f.stat().st_size for f in prepared.rglob("*") if f.is_file()) + 8 * 2**20
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        _fill_while_serving(env, disk, prepared, tmp_path)
        _assert_intact(env)
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=False)


def _fill_while_serving(env: dict[str, str], disk: Path, prepared: Path, tmp_path: Path) -> None:
    subprocess.run(["cp", "-a", f"{prepared}/.", str(disk)], check=True)
    env["PORTAAT_DATA_DIR"] = str(disk)
    port = free_port()
    proc = _start(env, port, tmp_path / "serve.log")
    try:
        headers = {"Accept-Language": "en", "Referer": f"http://127.0.0.1:{port}/"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as web:
            web.get("/accounts/login/")
            _filled(disk)
            refused = _login(web)
            assert refused.status_code == 503
            assert refused.headers["Retry-After"] == "300"
            assert "storage is full" in refused.text
            (disk / "filler").unlink()
            assert _login(web).status_code == 302
        assert "Storage fault (full)" in (tmp_path / "serve.log").read_text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
