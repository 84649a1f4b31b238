"""``portaat jetstream``: follow the live Bluesky accounts through Jetstream until stopped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from portaat.listening.live import follow


class Command(BaseCommand):
    help = "Follow live Bluesky accounts through Jetstream (Ctrl-C stops; resumes on restart)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", help="the Jetstream address (default PORTAAT_JETSTREAM_URL)")
        parser.add_argument("--seconds", type=float, help="stop after this many seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options.get("url")
        if url and not url.startswith(("ws://", "wss://")):
            raise CommandError(_("The Jetstream address must start with wss:// or ws://."))
        committer = follow(url, options.get("seconds"))
        if committer is None:
            raise CommandError(
                _("No Bluesky account is followed live: tick “follow live” on an account source.")
            )
        self.stdout.write(_("Stopped after %(batches)d batches.") % {"batches": committer.batches})
