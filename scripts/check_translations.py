"""Check (and optionally compile) the fi/sv translations of Portaat's UI strings.

Fails when a .po file has an untranslated or fuzzy entry, when the committed .mo differs from
its .po, or — where GNU gettext is installed — when the source has strings the .po lacks.
``--compile`` writes the .mo files with polib, so no gettext install is needed to run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "portaat"
LANGS = ("fi", "sv")


def po_path(base: Path, lang: str) -> Path:
    return base / "locale" / lang / "LC_MESSAGES" / "django.po"


def entries(po: polib.POFile) -> dict[tuple[str, str], str | dict[int, str]]:
    out: dict[tuple[str, str], str | dict[int, str]] = {}
    for entry in po:
        if entry.obsolete:
            continue
        key = (entry.msgctxt or "", entry.msgid)
        out[key] = dict(entry.msgstr_plural) if entry.msgid_plural else entry.msgstr
    return out


def source_msgids() -> set[tuple[str, str]] | None:
    """Run makemessages on a copy of the package; None when gettext is not installed."""
    if shutil.which("xgettext") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "portaat"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("vendor", "__pycache__"))
        subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-l", "fi", "--no-obsolete"],
            cwd=copy,
            check=True,
            capture_output=True,
            env={"DJANGO_SETTINGS_MODULE": "", "PATH": "/usr/bin:/bin"},
        )
        return set(entries(polib.pofile(str(po_path(copy, "fi")))))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compile", action="store_true", help="write the .mo files")
    args = parser.parse_args()
    problems: list[str] = []
    expected = source_msgids()
    for lang in LANGS:
        path = po_path(PACKAGE, lang)
        if not path.exists():
            problems.append(f"{path}: missing")
            continue
        po = polib.pofile(str(path))
        for entry in po.untranslated_entries():
            problems.append(f"{lang}: untranslated: {entry.msgid[:70]!r}")
        for entry in po.fuzzy_entries():
            problems.append(f"{lang}: fuzzy: {entry.msgid[:70]!r}")
        mo_path = path.with_suffix(".mo")
        if args.compile:
            po.save_as_mofile(str(mo_path))
        elif not mo_path.exists():
            problems.append(f"{lang}: {mo_path.name} missing; run `make compilemessages`")
        else:
            compiled = {k: v for k, v in entries(polib.mofile(str(mo_path))).items() if k[1]}
            wanted = {
                k: v
                for k, v in entries(po).items()
                if v and not po.find(k[1], msgctxt=k[0] or None).fuzzy  # type: ignore[union-attr]
            }
            if compiled != wanted:
                problems.append(f"{lang}: {mo_path.name} is stale; run `make compilemessages`")
        if expected is not None:
            missing = expected - set(entries(po))
            for _ctx, msgid in sorted(missing)[:20]:
                problems.append(f"{lang}: not in the .po (run `make messages`): {msgid[:70]!r}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"translations: {len(problems)} problem(s)", file=sys.stderr)
        # Compiling is a step in the middle of translating: report, but let `make messages` go on.
        return 0 if args.compile else 1
    print("translations: fi and sv complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
