"""Reminders: reassessments due, plan items overdue, experiments past their end.

Each reminder is a ``Notification`` keyed by the item and the period, created with
``get_or_create``: running a task twice (or after a worker died) never notifies twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portaat.cases.models import Case
from portaat.models import Notification
from portaat.registry.models import Membership
from portaat.repertoire.models import Experiment, ExperimentStatus, PlanItem, PlanStatus


def _notify(user_id: int, key: str, kind: str, params: dict[str, object], url: str) -> bool:
    _obj, created = Notification.objects.get_or_create(
        user_id=user_id, key=key, defaults={"kind": kind, "params": params, "url": url}
    )
    return created


def remind_reassessments(today: dt.date | None = None) -> int:
    """Tell the unit's members when a case's last official assessment is older than the
    setting ``PORTAAT_REASSESS_MONTHS`` (once per case and assessment)."""
    today = today or timezone.localdate()
    months = settings.PORTAAT_REASSESS_MONTHS
    cutoff = today - dt.timedelta(days=round(months * 30.44))
    stale = (
        Case.objects.annotate(last=Max("assessments__assessed_on"))
        .filter(last__lt=cutoff)
        .select_related("activism")
    )
    members: dict[int, list[int]] = {}
    for unit_id, user_id in Membership.objects.values_list("unit_id", "user_id"):
        members.setdefault(unit_id, []).append(user_id)
    sent = 0
    for case in stale:
        for user_id in members.get(case.unit_id, []):
            sent += _notify(
                user_id,
                f"reassess:case:{case.pk}:{case.last.isoformat()}",  # type: ignore[attr-defined]
                "reassess",
                {"activism": case.activism.name, "last": case.last.isoformat()},  # type: ignore[attr-defined]
                reverse("cases:detail", args=[case.pk]),
            )
    return sent


def remind_overdue_plan_items(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    overdue = PlanItem.objects.filter(
        due_on__lt=today, status__in=[PlanStatus.TODO, PlanStatus.DOING], owner__isnull=False
    ).select_related("case__activism", "practice")
    for item in overdue:
        sent += _notify(
            item.owner_id,  # type: ignore[arg-type]
            f"plan-overdue:{item.pk}:{item.due_on.isoformat()}",  # type: ignore[union-attr]
            "plan_overdue",
            {"practice": item.practice.title, "activism": item.case.activism.name},
            reverse("cases:detail", args=[item.case_id]),
        )
    return sent


def remind_unfinished_experiments(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    past = Experiment.objects.filter(
        ends_on__lt=today,
        status__in=[ExperimentStatus.PLANNED, ExperimentStatus.RUNNING],
        owner__isnull=False,
    )
    for experiment in past:
        sent += _notify(
            experiment.owner_id,  # type: ignore[arg-type]
            f"experiment-ended:{experiment.pk}:{experiment.ends_on.isoformat()}",
            "experiment_ended",
            {"title": experiment.title, "ended": experiment.ends_on.isoformat()},
            "",
        )
    return sent


@db_periodic_task(crontab(hour="6", minute="15"))
def daily_reminders() -> int:
    """Once a day, early in the morning (Europe/Helsinki), before officials start work."""
    return remind_reassessments() + remind_overdue_plan_items() + remind_unfinished_experiments()
