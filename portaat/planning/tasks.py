"""Background work of planning: analysing new and edited posts, topic runs, spike alerts.

Nothing depends on a queue message surviving: posts without a fresh analysis, runs still
waiting and spikes not yet alerted are all found again from database rows by the periodic
tasks, so a killed worker loses nothing.
"""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from portaat.planning import services, spikes


@db_periodic_task(crontab(minute="*/5"))
@lock_task("planning-analyse-posts")
def analyse_new_posts() -> int:
    """Every five minutes: analyse posts collected, imported or edited since (in batches), then
    mark topic results out of date where new posts arrived and queue their refresh."""
    done = services.analyse_pending(batch=settings.PORTAAT_ANALYSIS_BATCH)
    services.refresh_topic_runs()
    return done


@db_task()
def compute_topic_run_task(run_id: int) -> str:
    """One topic run (claimed by a single worker; a second message for it does nothing)."""
    return services.compute_topic_run(run_id)


@db_periodic_task(crontab(minute="7"))
def check_spikes() -> int:
    """Every hour: alert the subscribers of areas, themes and keywords that spike (once per
    spike). Returns how many notifications were created."""
    services.analyse_pending(batch=settings.PORTAAT_ANALYSIS_BATCH)
    return spikes.check().notifications
