"""``portaat backup`` and ``portaat restore``: a round trip through real processes on a fresh
install (SQLite, and PostgreSQL when a server answers on 127.0.0.1:5432), and bad archives
refused with nothing changed."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import tarfile
import uuid
from pathlib import Path

import pytest

from tests.cli import clean_env, portaat_command

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def _pg_up() -> bool:
    try:
        with socket.create_connection((PG["host"], PG["port"]), timeout=1):
            return True
    except OSError:
        return False


def run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        portaat_command(*args), env=env, capture_output=True, text=True, timeout=300
    )
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def python(env: dict[str, str], code: str) -> str:
    return run(env, "manage", "shell", "--no-imports", "-c", code).stdout.strip()


COUNT = "from portaat.registry.models import Activism; print(Activism.objects.count())"
DROP = (
    "from portaat.registry.models import Activism; "
    "Activism.objects.filter(name__startswith='[Esimerkki]').delete()"
)


def round_trip(env: dict[str, str], data_dir: Path) -> None:
    run(env, "demo", "--no-serve")
    uploads = data_dir / "uploads" / "experiments"
    uploads.mkdir(parents=True)
    (uploads / "poster.pdf").write_bytes(b"%PDF-1.4 poster")
    before = python(env, COUNT)
    assert int(before) >= 2

    out = run(env, "backup", str(data_dir / "site.tar.gz")).stdout
    assert "backup written to" in out
    archive = data_dir / "site.tar.gz"
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # personal data and the site's key
    assert run(env, "backup", str(archive), ok=False).returncode == 2  # never overwritten

    python(env, DROP)
    (uploads / "poster.pdf").unlink()
    assert python(env, COUNT) != before

    out = run(env, "restore", str(archive)).stdout
    assert "database restored" in out
    assert python(env, COUNT) == before
    assert (uploads / "poster.pdf").read_bytes() == b"%PDF-1.4 poster"


def test_a_sqlite_site_survives_a_round_trip(tmp_path):
    env = clean_env(tmp_path, PORTAAT_LANGUAGE="en")
    round_trip(env, tmp_path)


@pytest.mark.skipif(not _pg_up(), reason="no PostgreSQL server on 127.0.0.1:5432")
def test_a_postgresql_site_survives_a_round_trip(tmp_path):
    name = f"portaat_backup_{uuid.uuid4().hex[:8]}"
    psql = ["psql", "-h", PG["host"], "-U", PG["user"], "-d", "postgres", "-qc"]
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True, timeout=60)
    try:
        env = clean_env(
            tmp_path,
            PORTAAT_LANGUAGE="en",
            DATABASE_URL=f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{name}",
            DATABASE_POOL_SIZE="0",
        )
        round_trip(env, tmp_path)
    finally:
        subprocess.run(
            [*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False, timeout=60
        )


# --- bad archives --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("restore-site")
    env = clean_env(data_dir, PORTAAT_LANGUAGE="en")
    run(env, "demo", "--no-serve")
    run(env, "backup", str(data_dir / "good.tar.gz"))
    return env, data_dir


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _good_members(data_dir: Path) -> dict[str, bytes]:
    with tarfile.open(data_dir / "good.tar.gz") as archive:
        return {
            member.name: archive.extractfile(member).read()  # type: ignore[union-attr]
            for member in archive.getmembers()
            if member.isfile()
        }


def _manifest(data_dir: Path, **changes: object) -> bytes:
    manifest = json.loads(_good_members(data_dir)["manifest.json"])
    manifest.update(changes)
    return json.dumps(manifest).encode()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.tar.gz", "does not exist"),
        (lambda d: (d / "text.tar.gz").write_text("hello") and d / "text.tar.gz", "not a readable"),
        (lambda d: _archive(d / "empty.tar.gz", {"x.txt": b"x"}), "not a Portaat backup"),
        (
            lambda d: _archive(
                d / "escape.tar.gz",
                {**_good_members(d), "../outside.txt": b"evil"},
            ),
            "not a readable backup archive",
        ),
        (
            lambda d: _archive(
                d / "pg.tar.gz",
                {**_good_members(d), "manifest.json": _manifest(d, engine="postgresql")},
            ),
            "is of a postgresql database",
        ),
        (
            lambda d: _archive(
                d / "newer.tar.gz",
                {
                    **_good_members(d),
                    "manifest.json": _manifest(d, migrations={"crowds": ["9999_from_the_future"]}),
                },
            ),
            "made by a newer Portaat",
        ),
        (
            lambda d: _archive(
                d / "damaged.tar.gz",
                {**_good_members(d), "database.sqlite3": b"SQLite format 3\x00" + b"\x00" * 200},
            ),
            "damaged",
        ),
    ],
)
def test_a_bad_archive_is_refused_and_nothing_changes(site, make, message):
    env, data_dir = site
    before = python(env, COUNT)
    result = run(env, "restore", str(make(data_dir)), ok=False)
    assert result.returncode == 2
    assert message in result.stderr and "nothing was changed" in result.stderr
    assert python(env, COUNT) == before
    assert not (data_dir.parent / "outside.txt").exists()
    assert not [p for p in os.listdir(data_dir) if p.startswith(".portaat-restore-")]
