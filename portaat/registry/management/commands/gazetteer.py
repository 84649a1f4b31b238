"""``portaat gazetteer export`` and ``portaat gazetteer import FILE``.

Export prints every area as JSON. Import reads JSON (a list of places, or ``{"places": …}``)
or CSV (columns id, name, name_sv, aliases separated by "|", kind, municipality, parent, lat,
lon), validates every row, and loads all of them or none, naming each bad row.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from portaat.registry.models import Area
from portaat.registry.services import load_places

CSV_COLUMNS = ["id", "name", "name_sv", "aliases", "kind", "municipality", "parent", "lat", "lon"]


def export_places() -> list[dict[str, Any]]:
    return [
        {
            "id": area.key,
            "name": area.name,
            "name_sv": area.name_sv,
            "aliases": area.aliases,
            "kind": area.kind,
            "municipality": area.municipality,
            "parent": area.parent.key if area.parent else None,
            "parent_name": area.parent.name if area.parent else None,
            "lat": area.lat,
            "lon": area.lon,
        }
        for area in Area.objects.select_related("parent").order_by("municipality", "kind", "name")
    ]


def read_places(path: Path) -> list[dict[str, Any]]:
    """Parse a JSON or CSV gazetteer file; raise CommandError with a clear message."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CommandError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
        ) from exc
    except UnicodeDecodeError:
        raise CommandError(_("%(path)s is not UTF-8 text.") % {"path": path}) from None
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        missing = [
            c
            for c in ("id", "name", "kind", "municipality", "lat", "lon")
            if c not in (reader.fieldnames or [])
        ]
        if missing:
            raise CommandError(
                _("The CSV file lacks the columns: %(columns)s") % {"columns": ", ".join(missing)}
            )
        rows = []
        for row in reader:
            place: dict[str, Any] = dict(row)
            place["aliases"] = [
                a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()
            ]
            place["parent"] = (row.get("parent") or "").strip() or None
            rows.append(place)
        return rows
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            _("%(path)s is not valid JSON: %(error)s") % {"path": path, "error": exc.msg}
        ) from None
    places = data.get("places") if isinstance(data, dict) else data
    if not isinstance(places, list) or not all(isinstance(p, dict) for p in places):
        raise CommandError(_("The JSON file must hold a list of places."))
    return places


class Command(BaseCommand):
    help = "Export the gazetteer as JSON, or import a municipality's own (JSON or CSV)."
    # `portaat` activates the operator's language (PORTAAT_LANGUAGE or LANG); keep it.
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("export", help="print every area as JSON")
        imp = sub.add_parser("import", help="validate and load a JSON or CSV file, all or nothing")
        imp.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            json.dump(export_places(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return
        places = read_places(options["file"])
        report = load_places(places)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(
                _("Nothing was imported: %(count)d problem(s) in %(path)s.")
                % {"count": len(report.errors), "path": options["file"]}
            )
        self.stdout.write(
            _("Imported %(total)d places: %(created)d new, %(updated)d updated.")
            % {"total": len(places), "created": report.created, "updated": report.updated}
        )
