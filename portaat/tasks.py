"""Background work: the Huey instance and the project-wide periodic tasks.

Apps add their own tasks in ``<app>/tasks.py``; Huey's Django integration imports them.
State that must survive a killed worker lives in database rows, never only in the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from portaat.models import Heartbeat

huey = HUEY
logger = logging.getLogger(__name__)


def enqueue(task: Callable[..., Any], *args: Any) -> bool:
    """Queue ``task(*args)``; ``False`` (and a log line) when the queue (Redis) is unreachable.

    For work that a periodic task picks up anyway, so a stopped Redis must not turn the page
    that asked for it into an error: the row is saved, the worker finds it later.
    """
    from redis.exceptions import RedisError

    try:
        task(*args)
    except (RedisError, OSError):
        logger.exception(
            "could not queue %s; it will be picked up later", getattr(task, "name", task)
        )
        return False
    return True


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
