"""Reminder tasks with a controlled clock: exactly one notification per due item."""

from __future__ import annotations

import datetime as dt

import pytest

from portaat.cases.services import record_assessment
from portaat.models import Notification
from portaat.repertoire import services, tasks
from portaat.repertoire.models import Practice

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 27)


def test_a_stale_case_notifies_each_unit_member_once(reko_case, official, coordinator):
    record_assessment(
        reko_case,
        perspective="official",
        current_level=2,
        target_level=5,
        assessed_on=dt.date(2025, 10, 1),
        by=official,
    )
    assert tasks.remind_reassessments(TODAY) == 2  # the unit's official and coordinator
    assert tasks.remind_reassessments(TODAY) == 0
    assert tasks.remind_reassessments(TODAY + dt.timedelta(days=1)) == 0
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        official.username,
        coordinator.username,
    }
    note = Notification.objects.filter(user=official).get()
    assert note.kind == "reassess"
    assert note.url == f"/cases/{reko_case.pk}/"


def test_a_fresh_assessment_is_not_due_and_a_new_one_resets_the_clock(reko_case, official):
    record_assessment(
        reko_case,
        perspective="official",
        current_level=2,
        target_level=5,
        assessed_on=dt.date(2026, 3, 1),
        by=official,
    )
    assert tasks.remind_reassessments(TODAY) == 0
    assert tasks.remind_reassessments(dt.date(2027, 3, 10)) == 2


def test_overdue_plan_items_notify_their_owner_once(reko_case, official):
    practice = Practice.objects.get(step__ladder__slug="reko", level_from=3)
    item = services.plan_practice(reko_case, practice, owner=official, due_on=dt.date(2026, 11, 1))
    assert tasks.remind_overdue_plan_items(dt.date(2026, 10, 30)) == 0
    assert tasks.remind_overdue_plan_items(TODAY) == 1
    assert tasks.remind_overdue_plan_items(TODAY) == 0
    services.update_plan_item(item, status="done", owner=official, due_on=item.due_on)
    Notification.objects.all().delete()
    assert tasks.remind_overdue_plan_items(TODAY) == 0


def test_experiments_past_their_end_without_outcome_notify_once(reko_case, official):
    practice = Practice.objects.get(step__ladder__slug="reko", level_from=3)
    experiment = services.create_experiment(
        title="Kokeilu",
        hypothesis="H",
        practices=[practice],
        cases=[reko_case],
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 10, 31),
        owner=official,
    )
    assert tasks.remind_unfinished_experiments(dt.date(2026, 10, 31)) == 0
    assert tasks.remind_unfinished_experiments(TODAY) == 1
    assert tasks.remind_unfinished_experiments(TODAY) == 0
    services.close_experiment(experiment, outcome="partly", lessons="Osittain.")
    Notification.objects.all().delete()
    assert tasks.remind_unfinished_experiments(TODAY) == 0


def test_the_daily_task_runs_once_a_day_in_the_morning():
    task = tasks.daily_reminders.s()  # a task instance, as the scheduler makes it
    # Huey's scheduler (utc=False) passes naive local times, so the test does too.
    morning = dt.datetime(2026, 11, 27, 6, 15)  # noqa: DTZ001
    assert task.validate_datetime(morning)
    assert not task.validate_datetime(morning + dt.timedelta(minutes=1))
    assert not task.validate_datetime(morning + dt.timedelta(hours=12))
