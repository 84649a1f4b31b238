"""Periodic work of listening: scheduled collections and the retention of post texts."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portaat.listening import services
from portaat.listening.collect import AlreadyRunning, collect, due_sources
from portaat.listening.models import Source


@db_task()
def collect_source(source_id: int, trigger: str = "schedule") -> str:
    """One source's collection; a source being collected elsewhere is skipped, not queued twice."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "gone"
    if trigger == "schedule" and source.next_run_at and source.next_run_at > timezone.now():
        return "not due"  # queued twice by the minute dispatcher; the first run did it
    try:
        return collect(source, trigger=trigger).status
    except AlreadyRunning:
        return "already running"


@db_periodic_task(crontab(minute="*"))
def dispatch_due_collections() -> int:
    """Every minute: queue the sources whose schedule says they are due (one task each)."""
    ids = due_sources()
    for source_id in ids:
        collect_source(source_id)
    return len(ids)


@db_periodic_task(crontab(hour="3", minute="50"))
def daily_post_retention() -> int:
    """Once a day, at night (Europe/Helsinki): remove post texts past the retention period."""
    return services.remove_expired_texts()
