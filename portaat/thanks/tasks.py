"""Periodic work of thanks: erase thankers' address hashes and old contact emails."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portaat.thanks.services import forget_senders


@db_periodic_task(crontab(hour="3", minute="55"))
def daily_thanks_retention() -> int:
    """Once a day, at night (Europe/Helsinki)."""
    return forget_senders()
