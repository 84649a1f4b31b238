"""Running the real ``portaat`` console script as a subprocess, with a clean environment."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path


def portaat_command(*args: str) -> list[str]:
    """The installed console script, as a user runs it (falls back to ``-m portaat.cli``)."""
    script = Path(sys.executable).parent / "portaat"
    if script.exists():
        return [str(script), *args]
    found = shutil.which("portaat")
    if found:
        return [found, *args]
    return [sys.executable, "-m", "portaat.cli", *args]


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh install: embedded SQLite and Huey in ``data_dir``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_SETTINGS_MODULE",
            "PORTAAT_ADMIN_PASSWORD",
            "PORTAAT_ADMIN_EMAIL",
            "SECRET_KEY",
        }
    }
    env["PORTAAT_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
