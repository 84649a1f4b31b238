"""`portaat person export|erase EMAIL` through the real command on a fresh install."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

from tests.cli import clean_env, portaat_command

ADMIN = "kirjaaja@example.fi"


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        portaat_command(*args), env=env, capture_output=True, text=True, timeout=180
    )


def test_export_then_erase_one_person(tmp_path: Path) -> None:
    env = clean_env(
        tmp_path / "data", PORTAAT_ADMIN_EMAIL=ADMIN, PORTAAT_ADMIN_PASSWORD="kirjaaja-salasana-1"
    )
    assert _run(env, "init").returncode == 0

    out = tmp_path / "kirjaaja.json"
    exported = _run(env, "person", "export", ADMIN, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["account"]["email"] == ADMIN
    assert "password" not in data["account"]
    assert data["records"]["account.emailaddress"][0]["email"] == ADMIN

    asked = _run(env, "person", "erase", ADMIN)
    assert asked.returncode == 2
    assert "--yes" in asked.stderr
    assert json.loads(_run(env, "person", "export", ADMIN).stdout)["account"]["email"] == ADMIN

    erased = _run(env, "person", "erase", ADMIN, "--yes")
    assert erased.returncode == 0, erased.stderr
    assert "erased what Portaat held" in erased.stdout
    after = json.loads(_run(env, "person", "export", ADMIN).stdout)
    assert after["account"] is None and after["records"] == {}
    nothing = _run(env, "person", "erase", ADMIN, "--yes")
    assert nothing.returncode == 0 and "nothing is stored" in nothing.stdout


def test_a_bad_address_is_refused(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    assert _run(env, "init").returncode == 0
    refused = _run(env, "person", "export", "not-an-address")
    assert refused.returncode != 0
    assert "is not an e-mail address" in refused.stderr
