"""``portaat backup`` and ``portaat restore``: one file holds everything a site needs back.

A backup is a gzipped tar archive:

- ``manifest.json`` — format, Portaat version, database engine, the last migration of each app;
- ``database.sqlite3`` (SQLite's online backup: consistent while the site runs) or
  ``database.pgdump`` (``pg_dump --format=custom``, one consistent snapshot);
- ``uploads/`` — files people uploaded (experiments' attachments);
- ``secret_key`` — when the site's key lives in the data directory: authors' pseudonyms,
  research pseudonyms and sources' encrypted credentials depend on it.

The archive holds personal data and the site's key: it is written readable by its owner only.

A restore checks the whole archive before it changes anything (a tar member outside the archive,
another engine, migrations the code does not know, a damaged SQLite file are refused). The
database is then replaced in one step — SQLite's backup API into the live file, or
``pg_restore --single-transaction`` — the uploads folder is swapped, and ``portaat init`` runs
(the upgrade step, for a backup from an older version).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump/pg_restore, run without a shell
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

FORMAT = "portaat-backup"
VERSION = 1


class BackupError(Exception):
    """Something the user can fix; nothing was changed."""


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _applied_migrations() -> dict[str, list[str]]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied: dict[str, list[str]] = {}
    for app, name in sorted(loader.applied_migrations):
        applied.setdefault(app, []).append(name)
    return applied


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore, the password through the environment."""
    db = settings.DATABASES["default"]
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed; install the PostgreSQL client programs "
            "(Debian: postgresql-client) of the server's version or newer"
        )
    result = subprocess.run(  # noqa: S603  # nosec B603  # a fixed program with our own arguments
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{command[0]} failed: {lines[-1] if lines else result.returncode}")


def default_target(now: dt.datetime | None = None) -> Path:
    now = now or dt.datetime.now(dt.UTC)
    return Path(settings.DATA_DIR) / "backups" / f"portaat-{now:%Y%m%d-%H%M%S}.tar.gz"


def backup(target: Path | None = None) -> Path:
    """Write a backup archive; returns its path. An existing file is never overwritten."""
    from portaat import __version__

    target = (target or default_target()).resolve()
    if target.exists():
        raise BackupError(f"{target} already exists; choose another file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".portaat-backup-") as tmp:
        work = Path(tmp)
        if engine == "sqlite":
            database = work / "database.sqlite3"
            source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
            copy = sqlite3.connect(str(database))
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            database = work / "database.pgdump"
            args, env = _pg_environment()
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(database), *args], env)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "portaat": __version__,
            "engine": engine,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "migrations": _applied_migrations(),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = work / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            archive.add(database, arcname=database.name)
            uploads = Path(settings.PORTAAT_UPLOADS_DIR)
            if uploads.is_dir():
                archive.add(uploads, arcname="uploads")
            key_file = Path(settings.DATA_DIR) / "secret_key"
            if key_file.is_file():
                archive.add(key_file, arcname="secret_key")
        os.replace(partial, target)  # whole, or not at all
    return target


# --- restore -----------------------------------------------------------------------------------


def _read_manifest(work: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError("this is not a Portaat backup (no readable manifest.json)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("this is not a Portaat backup (the manifest is of another format)")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"the backup's format version {manifest.get('version')} is not supported "
            f"(this Portaat reads version {VERSION})"
        )
    return manifest


def _check_migrations(manifest: dict[str, Any]) -> None:
    """A backup from a newer Portaat has migrations this code does not know: refuse."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    recorded = manifest.get("migrations")
    if not isinstance(recorded, dict):
        raise BackupError("the backup's manifest lists no migrations")
    unknown = [
        f"{app}.{name}"
        for app, names in recorded.items()
        for name in (names if isinstance(names, list) else [])
        if app in {key[0] for key in known} and (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "the backup was made by a newer Portaat (unknown migrations: "
            f"{', '.join(sorted(unknown)[:5])}); upgrade Portaat first"
        )


def _extract(source: Path, work: Path) -> None:
    try:
        with tarfile.open(source, mode="r:*") as archive:
            # the "data" filter refuses absolute paths, "..", links out of the folder, devices
            archive.extractall(work, filter="data")
    except FileNotFoundError:
        raise BackupError(f"{source} does not exist") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{source} is not a readable backup archive ({exc})") from None


def _check_sqlite(database: Path) -> None:
    try:
        check = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            (result,) = check.execute("PRAGMA integrity_check").fetchone()
        finally:
            check.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the backup's database is damaged ({exc})") from None
    if result != "ok":
        raise BackupError(f"the backup's database is damaged ({result})")


def restore(source: Path) -> Iterator[str]:
    """Restore ``source`` over this site's data; yields one line per step."""
    from portaat.setup import initialise

    source = source.resolve()
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".portaat-restore-") as tmp:
        work = Path(tmp)
        _extract(source, work)
        manifest = _read_manifest(work)
        if manifest.get("engine") != engine:
            raise BackupError(
                f"the backup is of a {manifest.get('engine')} database and this site uses "
                f"{engine}; restore it on a site with the same database"
            )
        _check_migrations(manifest)
        database = work / ("database.sqlite3" if engine == "sqlite" else "database.pgdump")
        if not database.is_file():
            raise BackupError(f"the backup has no {database.name}")
        if engine == "sqlite":
            _check_sqlite(database)
        yield f"checked {source.name}: made {manifest.get('created_at')} by Portaat {manifest.get('portaat')}"

        # -- from here on the site's data changes --
        connection.close()
        if engine == "sqlite":
            live = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=30)
            copy = sqlite3.connect(str(database))
            try:
                copy.backup(live)
            finally:
                copy.close()
                live.close()
        else:
            args, env = _pg_environment()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *args,
                    str(database),
                ],
                env,
            )
        yield "database restored"

        uploads = Path(settings.PORTAAT_UPLOADS_DIR)
        restored_uploads = work / "uploads"
        if uploads.exists():
            shutil.move(str(uploads), str(work / "uploads.before-restore"))
        if restored_uploads.is_dir():
            uploads.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(restored_uploads), str(uploads))
        yield "uploaded files restored"

        key = work / "secret_key"
        if key.is_file() and not os.environ.get("SECRET_KEY"):
            target = data_dir / "secret_key"
            shutil.copyfile(key, target)
            target.chmod(0o600)
            yield "the site's secret key restored (restart the web and worker processes)"
    yield from initialise(admin_email=None, create_admin=False, verbosity=0)
