"""Background work: the Huey instance and the project-wide periodic tasks.

Apps add their own tasks in ``<app>/tasks.py``; Huey's Django integration imports them.
State that must survive a killed worker lives in database rows, never only in the queue.
"""

from __future__ import annotations

from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from portaat.models import Heartbeat

huey = HUEY


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> datetime:
    """Record once a minute that a worker runs and reaches the database (see /health/)."""
    return Heartbeat.beat("worker")


@db_periodic_task(crontab(hour="7", minute="0"))
def send_digests() -> int:
    """The email digest at 07:00 local time: daily ones every day, weekly ones on Mondays.
    Returns how many emails were sent."""
    from portaat import notifications

    return notifications.send_digests().emails
