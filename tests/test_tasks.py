"""Background work through the REAL queue storage the settings configure.

The suite runs Huey in immediate mode (tests/settings.py); here a non-immediate Huey is
built from the same settings, so a task really goes through SQLite (or Redis when REDIS_URL
is set) before a worker would run it. Each run uses its own queue name and flushes it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from django.conf import settings
from django.utils.module_loading import import_string
from huey import RedisHuey, SqliteHuey, crontab
from huey.contrib.djhuey import HUEY

from portaat import tasks
from portaat.models import Heartbeat


@pytest.fixture
def queue():
    """A non-immediate Huey with the configured storage and a queue of its own."""
    config = dict(settings.HUEY)
    huey_class = import_string(config.pop("huey_class"))
    config.pop("consumer", None)
    config["name"] = f"portaat-test-{uuid.uuid4().hex[:12]}"
    config["immediate"] = False
    huey = huey_class(**config)
    huey.flush()
    yield huey
    huey.flush()


def test_the_storage_follows_the_settings(queue):
    if settings.REDIS_URL:
        assert isinstance(queue, RedisHuey)
    else:
        assert isinstance(queue, SqliteHuey)
        assert queue.storage.filename == str(settings.DATA_DIR / "huey.sqlite3")
    assert not queue.immediate


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_heartbeat_from_the_queue(queue):
    # The same function the project registers, bound to this queue under the same name.
    heartbeat = queue.periodic_task(crontab(minute="*"))(tasks.heartbeat.func)
    assert heartbeat.task_class.__module__ == "portaat.tasks"
    assert heartbeat.task_class.__name__ == "heartbeat"

    heartbeat()
    assert queue.pending_count() == 1
    assert not Heartbeat.objects.exists()  # nothing runs until a worker takes it

    task = queue.dequeue()
    assert task is not None
    assert type(task).__name__ == "heartbeat"
    assert queue.pending_count() == 0
    result = queue.execute(task)

    beat = Heartbeat.objects.get(name="worker")
    assert isinstance(result, datetime)
    assert beat.seen_at == result


@pytest.mark.django_db(transaction=True)
def test_a_second_beat_moves_the_time_on(queue):
    heartbeat = queue.periodic_task(crontab(minute="*"))(tasks.heartbeat.func)
    heartbeat()
    heartbeat()
    first = queue.execute(queue.dequeue())
    second = queue.execute(queue.dequeue())
    assert second >= first
    assert Heartbeat.objects.count() == 1
    assert Heartbeat.objects.get().seen_at == second


def test_the_heartbeat_is_registered_with_the_project_queue():
    registered = {f"{cls.__module__}.{cls.__name__}" for cls in HUEY._registry._registry.values()}
    assert "portaat.tasks.heartbeat" in registered


@pytest.mark.parametrize("minute", [0, 1, 17, 59])
def test_the_heartbeat_is_due_every_minute(minute):
    due = HUEY.read_periodic(datetime(2025, 3, 4, 13, minute))  # noqa: DTZ001 - Huey uses naive
    assert tasks.heartbeat.task_class in [type(task) for task in due]


def test_the_project_queue_is_configured_from_the_settings():
    assert HUEY.name == settings.HUEY["name"]
    assert type(HUEY).__name__ == settings.HUEY["huey_class"].rsplit(".", 1)[1]
