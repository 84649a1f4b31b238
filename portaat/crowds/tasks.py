"""Crowd background work. The rows are the truth; these tasks only wake workers up."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup


@db_task()
def dispatch() -> int:
    """Send what is due (enqueued when a call, update or stand-down is written)."""
    from portaat.crowds.dispatch import dispatch_all

    return dispatch_all()


@db_periodic_task(crontab(minute="*"))
def sweep() -> int:
    """Every minute: escalate unanswered calls, retry what is due, pick up rows a dead
    worker left behind."""
    from portaat.crowds import services
    from portaat.crowds.dispatch import dispatch_all

    services.escalate()
    return dispatch_all(max_seconds=50)


@db_periodic_task(crontab(hour="9", minute="30"))
def reconfirmation_reminders() -> int:
    from portaat.crowds import services

    return services.send_reminders()


@db_periodic_task(crontab(hour="3", minute="40"))
def forget_left_volunteers() -> int:
    """Nightly retention: wipe the contact details of volunteers who left long enough ago."""
    from portaat.crowds import services

    return services.forget_left()


@on_startup()
def resume_after_restart() -> None:
    """A worker that starts (or restarts after a crash) sends what is waiting at once,
    instead of at the next minute's sweep."""
    dispatch()
