"""Periodic work of events: fetch upcoming events from Linked Events every hour."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portaat.events import services


@db_periodic_task(crontab(minute="20"))
def hourly_event_sync() -> bool:
    """Every hour: refresh upcoming events (a failed fetch keeps the previous data)."""
    return services.sync_events().ok
