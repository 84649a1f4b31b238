"""`portaat apikey create|list|revoke EMAIL` through the real command on a fresh install: the key
is printed once and works against the API of a server started on the same data."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from pathlib import Path

from tests.cli import clean_env, portaat_command

ADMIN = "kirjaaja@example.fi"


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        portaat_command(*args), env=env, capture_output=True, text=True, timeout=180
    )


def test_create_list_and_revoke_a_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = clean_env(
        data, PORTAAT_ADMIN_EMAIL=ADMIN, PORTAAT_ADMIN_PASSWORD="kirjaaja-salasana-1", LANG="C"
    )
    assert _run(env, "init").returncode == 0

    made = _run(env, "apikey", "create", ADMIN, "--name", "weekly report", "--days", "30")
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert key.startswith("portaat_") and "\n" not in key
    assert "not shown again" in made.stderr

    # the database holds its digest, never the key
    database = data / "portaat.sqlite3"
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT prefix, digest FROM portaat_apikey").fetchall()
        dump = "\n".join(db.iterdump())
    assert rows == [(key[:12], hashlib.sha256(key.encode()).hexdigest())]
    assert key not in dump

    listed = _run(env, "apikey", "list", ADMIN)
    assert listed.returncode == 0, listed.stderr
    number, prefix, name, _made, used, _expires = listed.stdout.strip().split("\t")
    assert (prefix, name, used) == (key[:12] + "…", "weekly report", "never")

    wrong = _run(env, "apikey", "revoke", ADMIN, "--id", "99999")
    assert wrong.returncode == 2
    assert "no API key with the number 99999" in wrong.stderr
    revoked = _run(env, "apikey", "revoke", ADMIN, "--id", number)
    assert revoked.returncode == 0, revoked.stderr
    assert _run(env, "apikey", "list", ADMIN).stdout == ""


def test_bad_input_says_why_and_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = clean_env(
        data, PORTAAT_ADMIN_EMAIL=ADMIN, PORTAAT_ADMIN_PASSWORD="kirjaaja-salasana-1", LANG="C"
    )
    assert _run(env, "init").returncode == 0
    nobody = _run(env, "apikey", "create", "nobody@example.fi", "--name", "x")
    assert nobody.returncode == 2
    assert "no account with the address nobody@example.fi" in nobody.stderr
    unnamed = _run(env, "apikey", "create", ADMIN)
    assert unnamed.returncode == 2
    assert "Give the key a name" in unnamed.stderr
    too_long = _run(env, "apikey", "create", ADMIN, "--name", "x", "--days", "5000")
    assert too_long.returncode == 2 and "at most ten years" in too_long.stderr
    finnish = _run(
        {**env, "PORTAAT_LANGUAGE": "fi"}, "apikey", "create", ADMIN, "--name", "x", "--days", "-3"
    )
    assert finnish.returncode == 2
    assert "lifetime must be" not in finnish.stderr  # translated
    assert _run(env, "apikey", "list", ADMIN).stdout == ""
