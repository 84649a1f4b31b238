"""``portaat collect SOURCE``: collect one source now (by id or exact name), or ``--due``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from portaat.listening.collect import AlreadyRunning, collect, due_sources
from portaat.listening.messages import connector_message
from portaat.listening.models import RunStatus, Source


def find_source(value: str) -> Source:
    value = value.strip()
    source = None
    if value.isdigit() and len(value) < 19:
        source = Source.objects.filter(pk=int(value)).first()
    if source is None:
        matches = list(Source.objects.filter(name=value)[:2])
        if len(matches) > 1:
            raise CommandError(
                _("Several sources are called “%(name)s”: use the id.") % {"name": value}
            )
        source = matches[0] if matches else None
    if source is None:
        raise CommandError(_("There is no source “%(source)s”.") % {"source": value})
    return source


class Command(BaseCommand):
    help = "Collect a source now, page by page, printing progress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="?", help="source id or name")
        parser.add_argument("--due", action="store_true", help="every source that is due")
        parser.add_argument("--max-pages", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["due"]:
            sources = list(Source.objects.filter(pk__in=due_sources()))
        elif options["source"]:
            sources = [find_source(options["source"])]
        else:
            raise CommandError(_("Name a source (its id or name) or give --due."))
        failed = 0
        for source in sources:
            failed += not self._collect(source, options["max_pages"])
        if failed:
            raise CommandError(
                _("%(n)d of %(total)d collections failed.") % {"n": failed, "total": len(sources)}
            )

    def _collect(self, source: Source, max_pages: int | None) -> bool:
        self.stdout.write(_("Collecting “%(name)s” …") % {"name": source.name})

        def progress(run: Any, page: Any) -> None:
            self.stdout.write(
                _("  page %(page)d: %(added)d new, %(updated)d refreshed so far")
                % {"page": run.pages, "added": run.added, "updated": run.updated}
            )
            self.stdout.flush()

        try:
            run = collect(source, trigger="cli", max_pages=max_pages, on_page=progress)
        except AlreadyRunning:
            self.stderr.write(
                _("“%(name)s” is being collected by another process.") % {"name": source.name}
            )
            return False
        if run.status != RunStatus.OK:
            self.stderr.write(
                _("“%(name)s” failed: %(message)s %(detail)s")
                % {
                    "name": source.name,
                    "message": connector_message(run.error_code),
                    "detail": run.error_detail,
                }
            )
            return False
        self.stdout.write(
            _(
                "Done: %(pages)d pages, %(added)d new posts, %(updated)d refreshed, %(deleted)d deleted upstream."
            )
            % {
                "pages": run.pages,
                "added": run.added,
                "updated": run.updated,
                "deleted": run.deleted,
            }
        )
        return True
