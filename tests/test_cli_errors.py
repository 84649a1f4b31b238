"""Mistakes a user can make print one clear line and exit non-zero (the real console script)."""

from __future__ import annotations

import socket
import subprocess

import pytest

from tests.cli import clean_env, portaat_command


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        portaat_command(*args), env=env, capture_output=True, text=True, timeout=60
    )


def _the_one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("portaat: error: "), lines[0]
    assert "Traceback" not in result.stdout
    return lines[0]


@pytest.mark.parametrize("command", [["init"], ["serve", "--port", "1"], ["worker"]])
def test_a_bad_database_url(tmp_path, command):
    env = clean_env(tmp_path, DATABASE_URL="mysql://x")
    line = _the_one_error_line(_run(*command, env=env))
    assert "DATABASE_URL" in line
    assert "mysql" in line


def test_an_unreachable_database(tmp_path):
    env = clean_env(tmp_path, DATABASE_URL="postgresql://nobody@127.0.0.1:1/nothing")
    line = _the_one_error_line(_run("init", env=env))
    assert "cannot reach the database" in line


def test_a_data_dir_under_a_file(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    env = clean_env(blocker / "data")
    line = _the_one_error_line(_run("init", env=env))
    assert str(blocker / "data") in line
    assert "PORTAAT_DATA_DIR" in line
    assert not (blocker / "data").exists()


def test_a_port_in_use(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = _run("serve", "--port", str(port), env=clean_env(tmp_path))
    line = _the_one_error_line(result)
    assert f"port {port}" in line
    assert "--port" in line


def test_a_port_out_of_range(tmp_path):
    line = _the_one_error_line(_run("serve", "--port", "70000", env=clean_env(tmp_path)))
    assert "--port" in line


def test_a_bad_boolean_setting(tmp_path):
    line = _the_one_error_line(_run("init", env=clean_env(tmp_path, DEBUG="maybe")))
    assert "DEBUG must be true or false" in line


def test_a_bad_redis_url(tmp_path):
    line = _the_one_error_line(_run("init", env=clean_env(tmp_path, REDIS_URL="http://x")))
    assert "REDIS_URL" in line


def test_processes_starting_together_do_not_trip_over_the_write_check(tmp_path, monkeypatch):
    """Web processes and workers start at the same moment on one data directory (CI's
    topology stage found a shared probe file making one of two workers fail)."""
    from concurrent.futures import ThreadPoolExecutor

    from portaat import cli

    monkeypatch.setenv("PORTAAT_DATA_DIR", str(tmp_path))
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: cli.check_data_dir(), range(200)))
    assert results == [tmp_path] * 200
    assert [p.name for p in tmp_path.iterdir()] == ["static"]  # no probe files left behind
