"""``portaat import FILE --format F``: import posts from a file, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from portaat.listening import services
from portaat.listening.importers import IMPORTERS
from portaat.listening.management.commands.collect import find_source
from portaat.listening.messages import problem_message


class Command(BaseCommand):
    help = "Import posts from a file (facebook, csv, ndjson, 4cat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", required=True, choices=sorted(IMPORTERS))
        parser.add_argument("--source", help="source id or name (default: Imported files)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="csv/ndjson: which column holds a field (id, text, created, author, url, …)",
        )
        parser.add_argument("--delimiter", help="csv: the column separator")
        parser.add_argument("--encoding", help="csv: the text encoding (default UTF-8)")
        parser.add_argument("--platform", help="the platform the posts come from")

    def handle(self, *args: Any, **options: Any) -> None:
        mapping: dict[str, str] = {}
        for item in options["map"]:
            field, sep, column = item.partition("=")
            if not sep or not field.strip() or not column.strip():
                raise CommandError(_("--map takes FIELD=COLUMN, not “%(item)s”.") % {"item": item})
            mapping[field.strip()] = column.strip()
        import_options: dict[str, Any] = {}
        if mapping:
            import_options["mapping"] = mapping
        for name in ("delimiter", "encoding", "platform"):
            if options.get(name):
                import_options[name] = options[name]
        source = find_source(options["source"]) if options.get("source") else None
        path = Path(options["file"])
        self.stdout.write(_("Checking %(file)s …") % {"file": path})

        def progress(count: int) -> None:
            self.stdout.write(_("  %(count)d posts stored") % {"count": count})
            self.stdout.flush()

        try:
            report = services.import_file(
                path, options["format"], source=source, options=import_options, progress=progress
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem_message(problem))
            if report.problem_count > len(report.problems):
                self.stderr.write(
                    _("… and %(n)d more problems.")
                    % {"n": report.problem_count - len(report.problems)}
                )
            raise CommandError(
                _("Nothing was imported: the file has %(n)d problems.")
                % {"n": report.problem_count}
            )
        self.stdout.write(
            _("Imported %(added)d new posts (%(updated)d already known were refreshed).")
            % {"added": report.added, "updated": report.updated}
        )
        sys.stdout.flush()
