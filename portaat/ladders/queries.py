"""Read querysets for ladders, built in one place so list pages stay free of N+1 queries."""

from __future__ import annotations

from django.db.models import QuerySet

from portaat.ladders.models import Ladder


def ladders_with_steps() -> QuerySet[Ladder]:
    return Ladder.objects.prefetch_related("steps")
