"""The ``portaat`` command: one obvious entry point wrapping Django's management commands.

Every failure a user can cause (port in use, unwritable data directory, bad DATABASE_URL,
unreachable database) prints one clear line on stderr and exits non-zero.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import socket
import subprocess  # nosec B404  # our own interpreter's children, no shell
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

EXIT_USAGE = 2
#: ``portaat analyze`` wrote its output but skipped malformed input lines
EXIT_SKIPPED = 1


class CliError(Exception):
    """An error the user can fix; printed as one line."""


def _fail(message: str) -> int:
    print(f"portaat: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _data_dir() -> Path:
    return Path(os.environ.get("PORTAAT_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def check_data_dir() -> Path:
    """The data directory must exist (we create it) and be writable."""
    data_dir = _data_dir()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        # STATIC_ROOT: collectstatic fills it; WhiteNoise warns at every start when it is missing
        (data_dir / "static").mkdir(exist_ok=True)
        # a name of its own: several processes (web, workers) may start at the same moment
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".write-test-") as probe:
            probe.write(b"ok")
    except OSError as exc:
        raise CliError(
            f"the data directory {data_dir} is not writable ({exc.strerror or exc}); "
            "set PORTAAT_DATA_DIR to a writable folder"
        ) from exc
    return data_dir


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portaat.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        raise CliError(f"bad configuration: {exc}") from exc
    from django.utils import translation

    translation.activate(cli_language())


def cli_language() -> str:
    """fi, sv or en for command output: PORTAAT_LANGUAGE, else the locale in LANG (fi_FI …)."""
    wanted = os.environ.get("PORTAAT_LANGUAGE") or os.environ.get("LANG", "")
    code = wanted.split("_")[0].split(".")[0].lower()
    return code if code in ("fi", "sv", "en") else "en"


def check_database() -> None:
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CliError(f"cannot reach the database: {first_line}") from exc


def check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CliError(
                    f"port {port} on {host} is already in use; stop the other program or "
                    f"choose another port with --port"
                ) from exc
            raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


# --- commands --------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    check_data_dir()
    setup_django()
    check_database()
    from portaat.setup import initialise

    for line in initialise(
        admin_email=args.admin_email, create_admin=not args.no_admin, verbosity=args.verbosity
    ):
        print(line)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    check_data_dir()
    setup_django()
    check_database()
    check_port_free(args.host, args.port)
    return supervise(args.host, args.port, args.workers, with_worker=not args.no_worker)


def supervise(host: str, port: int, workers: int, *, with_worker: bool) -> int:
    """Run uvicorn and (optionally) one Huey consumer as children; stop both if one dies."""
    web_cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "portaat.asgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-server-header",
        "--proxy-headers",
        # live streams (workshops) never end by themselves: give them 5 s on shutdown
        "--timeout-graceful-shutdown",
        "5",
    ]
    children: dict[str, subprocess.Popen[bytes]] = {
        "web": subprocess.Popen(web_cmd)  # noqa: S603  # nosec B603  # our own interpreter and arguments
    }
    if with_worker:
        children["worker"] = subprocess.Popen([sys.executable, "-m", "portaat.cli", "worker"])  # nosec B603  # our own interpreter, fixed arguments
    print(f"Portaat is running at http://{host}:{port}/ (Ctrl+C stops it)", flush=True)
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    try:
        while not stopping:
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    print(f"portaat: the {name} process stopped (exit {code})", file=sys.stderr)
                    exit_code = code or 1
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
    return exit_code


def cmd_worker(args: argparse.Namespace) -> int:
    check_data_dir()
    setup_django()
    check_database()
    from django.core.management import call_command

    call_command("run_huey", workers=args.threads) if args.threads else call_command("run_huey")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    check_data_dir()
    setup_django()
    from django.conf import settings

    if settings.SITE_URL.startswith("https://") and not args.public_site:
        # demo accounts have a password printed in the README: not on a site people can reach
        return _fail(
            f"SITE_URL is {settings.SITE_URL}: the demo adds accounts whose password is public. "
            "Load it on a laptop or a test site, or add --on-a-public-site if this is one."
        )
    check_database()
    from portaat.demo import load_demo
    from portaat.setup import initialise

    for line in initialise(admin_email=None, create_admin=True, verbosity=1):
        print(line)
    for line in load_demo():
        print(line)
    if args.no_serve:
        return 0
    check_port_free(args.host, args.port)
    return supervise(args.host, args.port, 1, with_worker=True)


def cmd_gazetteer(args: argparse.Namespace) -> int:
    setup_django()
    check_database()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        if args.action == "export":
            call_command("gazetteer", "export")
        else:
            call_command("gazetteer", "import", args.file)
    except CommandError as exc:
        raise CliError(str(exc)) from exc
    return 0


def _management(name: str, *argv: str) -> int:
    setup_django()
    check_database()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command(name, *argv)
    except CommandError as exc:
        raise CliError(str(exc)) from exc
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    check_data_dir()
    setup_django()
    check_database()
    from portaat.backup import BackupError, backup

    try:
        path = backup(Path(args.file) if args.file else None)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    print(f"backup written to {path} (it holds personal data: keep it safe)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    check_data_dir()
    setup_django()
    check_database()
    from portaat.backup import BackupError, restore

    try:
        for line in restore(Path(args.file)):
            print(line)
    except BackupError as exc:
        raise CliError(f"{exc}; nothing was changed") from exc
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    argv = [args.source] if args.source else []
    if args.due:
        argv.append("--due")
    if args.max_pages is not None:
        argv += ["--max-pages", str(args.max_pages)]
    return _management("collect", *argv)


def cmd_import(args: argparse.Namespace) -> int:
    argv = [args.file, "--format", args.format]
    for name in ("source", "delimiter", "encoding", "platform"):
        if getattr(args, name):
            argv += [f"--{name}", getattr(args, name)]
    for item in args.map:
        argv += ["--map", item]
    return _management("import_posts", *argv)


def cmd_jetstream(args: argparse.Namespace) -> int:
    argv = []
    if args.url:
        argv += ["--url", args.url]
    if args.seconds is not None:
        argv += ["--seconds", str(args.seconds)]
    return _management("jetstream", *argv)


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (Python's reader accepts them; other tools do not)."""
    raise ValueError(name)


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):  # 1e999
        raise ValueError(text)
    return value


def _analysis_records(stream: Any, say: Callable[[str], None]) -> tuple[list[dict[str, Any]], int]:
    """The well-formed records of an NDJSON byte stream, and how many lines were skipped."""
    from django.utils.translation import gettext as _

    records: list[dict[str, Any]] = []
    skipped = 0
    for number, raw in enumerate(stream, start=1):
        problem = None
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            line, problem = "", _("the line is not UTF-8 text")
        if not line and problem is None:
            continue  # a blank line is no record
        record: Any = None
        if problem is None:
            try:
                record = json.loads(line, parse_constant=_no_constant, parse_float=_finite)
            except ValueError:
                problem = _("the line is not JSON")
        if problem is None and not isinstance(record, dict):
            problem = _("the line is not a JSON object")
        elif problem is None and "id" not in record:
            problem = _("the line has no “id”")
        elif problem is None and not isinstance(record.get("text"), str):
            problem = _("the line has no “text” string")
        if problem is not None:
            skipped += 1
            say(_("Line %(line)d: %(problem)s; skipped.") % {"line": number, "problem": problem})
            continue
        records.append({"id": record["id"], "text": record["text"]})
    return records, skipped


def cmd_analyze(args: argparse.Namespace) -> int:
    """Read ``{"id", "text"}`` lines, write one analysis line per record, in input order.

    Needs no database: Django is set up only for the translated messages.
    """
    setup_django()
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from portaat.analytics.pipeline import analyze

    if args.topics is not None and args.topics < 1:
        raise CliError(_("--topics must be a positive number."))

    def say(message: str) -> None:
        print(message, file=sys.stderr)

    if args.input in (None, "-"):
        records, skipped = _analysis_records(sys.stdin.buffer, say)
    else:
        try:
            with open(args.input, "rb") as stream:
                records, skipped = _analysis_records(stream, say)
        except OSError as exc:
            raise CliError(
                _("Cannot read %(path)s: %(reason)s")
                % {"path": args.input, "reason": exc.strerror or exc}
            ) from exc
    result = analyze(records, topics=args.topics)
    lines = [json.dumps(post, ensure_ascii=False, allow_nan=False) + "\n" for post in result.posts]
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                out.writelines(lines)
        except OSError as exc:
            raise CliError(
                _("Cannot write %(path)s: %(reason)s")
                % {"path": args.output, "reason": exc.strerror or exc}
            ) from exc
    else:
        sys.stdout.writelines(lines)
        sys.stdout.flush()
    if skipped:
        say(
            ngettext(
                "%(count)d malformed line was skipped.",
                "%(count)d malformed lines were skipped.",
                skipped,
            )
            % {"count": skipped}
        )
        return EXIT_SKIPPED
    return 0


def cmd_person(args: argparse.Namespace) -> int:
    """One person's data: ``export`` (JSON) or ``erase`` (needs --yes)."""
    check_data_dir()
    setup_django()
    check_database()
    from django.core.exceptions import ValidationError
    from django.core.serializers.json import DjangoJSONEncoder
    from django.core.validators import validate_email

    from portaat.people import erase_person, export_person

    try:
        validate_email(args.email)
    except ValidationError:
        raise CliError(f"{args.email!r} is not an e-mail address") from None
    found = export_person(args.email)
    rows = sum(len(items) for items in found["records"].values())
    if args.action == "export":
        text = json.dumps(found, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if args.output:
            target = Path(args.output)
            try:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.write(text + "\n")
            except OSError as exc:
                raise CliError(f"cannot write {target}: {exc.strerror or exc}") from exc
            print(
                f"{rows} records and {'an account' if found['account'] else 'no account'} "
                f"written to {target} (personal data: keep it safe)"
            )
        else:
            print(text)
        return 0
    if not found["account"] and not rows:
        print(f"nothing is stored about {args.email}")
        return 0
    if not args.yes:
        kinds = ", ".join(f"{label} ({len(items)})" for label, items in found["records"].items())
        print(
            f"{args.email}: {'an account, ' if found['account'] else ''}{kinds or 'no records'}.\n"
            "Run again with --yes to erase (export first: this cannot be undone).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    counts = erase_person(args.email)
    for label, n in sorted(counts.items()):
        print(f"{label}: {n}")
    print(f"erased what Portaat held about {args.email}")
    return 0


def cmd_apikey(args: argparse.Namespace) -> int:
    """A person's API keys: ``create`` (prints the key, once), ``list``, ``revoke ID``."""
    check_data_dir()
    setup_django()
    check_database()
    from django.utils.translation import gettext as _

    from portaat.api import keys
    from portaat.people import find_user

    user = find_user(args.email)
    if user is None:
        raise CliError(_("There is no account with the address %(email)s.") % {"email": args.email})
    if args.action == "create":
        try:
            _row, key = keys.create(user, args.name or "", args.days)
        except keys.ApiKeyError as error:
            raise CliError(str(error)) from None
        print(key)
        print(
            _("The key is not shown again: Portaat keeps only a fingerprint of it."),
            file=sys.stderr,
        )
        return 0
    if args.action == "revoke":
        if args.id is None or not keys.revoke(user, args.id):
            raise CliError(
                _("%(email)s has no API key with the number %(id)s.")
                % {"email": args.email, "id": args.id}
            )
        print(_("The API key was revoked: it no longer works."))
        return 0
    never = _("never")
    for row in keys.keys_of(user):
        expires = row.expires_at.date().isoformat() if row.expires_at else never
        used = row.last_used_at.isoformat(timespec="minutes") if row.last_used_at else never
        print(f"{row.pk}\t{row.prefix}…\t{row.name}\t{row.created_at.date()}\t{used}\t{expires}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Django's system checks and, with ``--deploy``, the production checks (HTTPS, HSTS,
    secure cookies, CSP, hosts, keys, mail). Exit 1 on any warning or error."""
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=args.deploy, fail_level="WARNING")
    except SystemCheckError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["portaat manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portaat", description="Portaat: hybrid governance for city administrations."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_init = sub.add_parser("init", help="create or upgrade the database and built-in ladders")
    p_init.add_argument("--admin-email", help="email of the first coordinator account")
    p_init.add_argument("--no-admin", action="store_true", help="do not create a first account")
    p_init.add_argument("-v", "--verbosity", type=int, default=1, choices=[0, 1, 2])
    p_init.set_defaults(func=cmd_init)

    def add_server_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)

    p_serve = sub.add_parser("serve", help="run the web server and a background worker")
    add_server_options(p_serve)
    p_serve.add_argument("--workers", type=int, default=1, help="web processes (default 1)")
    p_serve.add_argument("--no-worker", action="store_true", help="run no background worker")
    p_serve.set_defaults(func=cmd_serve)

    p_worker = sub.add_parser("worker", help="run a background worker only")
    p_worker.add_argument("--threads", type=int, default=0, help="worker threads")
    p_worker.set_defaults(func=cmd_worker)

    p_demo = sub.add_parser("demo", help="init, add labelled example data, and serve")
    add_server_options(p_demo)
    p_demo.add_argument("--no-serve", action="store_true", help="load the data and stop")
    p_demo.add_argument(
        "--on-a-public-site",
        dest="public_site",
        action="store_true",
        help="load it even though SITE_URL is https (a public test site)",
    )
    p_demo.set_defaults(func=cmd_demo)

    p_gaz = sub.add_parser("gazetteer", help="export or import the areas (places)")
    gaz_sub = p_gaz.add_subparsers(dest="action", required=True, metavar="ACTION")
    gaz_sub.add_parser("export", help="print every area as JSON")
    p_gaz_import = gaz_sub.add_parser("import", help="load a JSON or CSV file, all or nothing")
    p_gaz_import.add_argument("file")
    p_gaz.set_defaults(func=cmd_gazetteer)

    p_backup = sub.add_parser("backup", help="write the database and uploads to one archive")
    p_backup.add_argument(
        "file", nargs="?", help="the archive to write (default: data dir/backups/…tar.gz)"
    )
    p_backup.set_defaults(func=cmd_backup)

    p_restore = sub.add_parser(
        "restore", help="replace the database and uploads with a backup (stop the site first)"
    )
    p_restore.add_argument("file", help="an archive written by portaat backup")
    p_restore.set_defaults(func=cmd_restore)

    p_collect = sub.add_parser("collect", help="collect a listening source now")
    p_collect.add_argument("source", nargs="?", help="source id or name")
    p_collect.add_argument("--due", action="store_true", help="every source that is due")
    p_collect.add_argument("--max-pages", type=int, default=None, help="stop after N pages")
    p_collect.set_defaults(func=cmd_collect)

    p_import = sub.add_parser("import", help="import posts from a file, all or nothing")
    p_import.add_argument("file")
    p_import.add_argument("--format", required=True, choices=["facebook", "csv", "ndjson", "4cat"])
    p_import.add_argument("--source", help="source id or name (default: Imported files)")
    p_import.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
    p_import.add_argument("--delimiter", help="csv: the column separator")
    p_import.add_argument("--encoding", help="csv: the text encoding (default UTF-8)")
    p_import.add_argument("--platform", help="the platform the posts come from")
    p_import.set_defaults(func=cmd_import)

    p_jet = sub.add_parser(
        "jetstream", help="follow live Bluesky accounts (a long-running process)"
    )
    p_jet.add_argument("--url", help="the Jetstream address (default PORTAAT_JETSTREAM_URL)")
    p_jet.add_argument("--seconds", type=float, default=None, help="stop after N seconds")
    p_jet.set_defaults(func=cmd_jetstream)

    p_analyze = sub.add_parser(
        "analyze",
        help="language, places, topic and keywords of posts in an NDJSON file (no database)",
    )
    p_analyze.add_argument(
        "input", nargs="?", help='lines of {"id": ..., "text": ...}; stdin if absent'
    )
    p_analyze.add_argument("--topics", type=int, default=None, metavar="K", help="number of topics")
    p_analyze.add_argument("--output", help="write here instead of stdout")
    p_analyze.set_defaults(func=cmd_analyze)

    p_person = sub.add_parser(
        "person", help="export or erase one person's data (by e-mail address)"
    )
    p_person.add_argument("action", choices=["export", "erase"])
    p_person.add_argument("email")
    p_person.add_argument("-o", "--output", help="export: write the JSON to this file (owner-only)")
    p_person.add_argument("--yes", action="store_true", help="erase: really erase")
    p_person.set_defaults(func=cmd_person)

    p_key = sub.add_parser("apikey", help="make, list or revoke a person's API keys")
    p_key.add_argument("action", choices=["create", "list", "revoke"])
    p_key.add_argument("email")
    p_key.add_argument("--name", help="create: what uses the key")
    p_key.add_argument(
        "--days", type=int, default=365, help="create: days until it expires (0: never; 365)"
    )
    p_key.add_argument("--id", type=int, help="revoke: the key's number, as `list` shows it")
    p_key.set_defaults(func=cmd_apikey)

    p_check = sub.add_parser("check", help="check the configuration (--deploy: for production)")
    p_check.add_argument(
        "--deploy", action="store_true", help="also the production checks: HTTPS, HSTS, CSP, …"
    )
    p_check.set_defaults(func=cmd_check)

    p_manage = sub.add_parser("manage", help="run a Django management command", add_help=False)
    p_manage.add_argument("rest", nargs=argparse.REMAINDER)
    p_manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for name in ("port", "workers"):
        value = getattr(args, name, None)
        if value is not None and not (0 < value < 65536):
            return _fail(f"--{name} must be a positive number below 65536, not {value}")
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `portaat gazetteer export | head`: the reader left, not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
