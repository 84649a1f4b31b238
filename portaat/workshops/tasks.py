"""Periodic work of the workshops: delete participants' names and comments after retention."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portaat.workshops.services import anonymise_ended_workshops


@db_periodic_task(crontab(hour="3", minute="40"))
def daily_workshop_retention() -> int:
    """Once a day, at night (Europe/Helsinki)."""
    return anonymise_ended_workshops()
