"""``portaat manage sync_events``: fetch upcoming events from Linked Events now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from portaat.events import services


class Command(BaseCommand):
    help = "Fetch upcoming events from the Linked Events API (PORTAAT_LINKED_EVENTS_URL)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.sync_events()
        if not result.ok:
            raise CommandError(f"Linked Events sync failed: {result.error}")
        self.stdout.write(
            f"{result.created} new, {result.updated} updated, {result.removed} removed"
        )
