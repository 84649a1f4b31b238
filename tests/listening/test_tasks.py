"""Scheduling: the per-minute dispatcher queues due sources; the "collect now" button; backoff."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from portaat.listening.collect import due_sources
from portaat.listening.models import CollectionRun, Post, Source
from portaat.listening.tasks import collect_source, dispatch_due_collections
from tests.factories import SourceFactory
from tests.listening.replay import replay

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "portaat/listening/connectors/reddit/fixtures"
NEW = "/r/Helsinki/new.json"
ROUTES = [
    {"path": NEW, "absent": ["after"], "file": "new_page1.json"},
    {"path": NEW, "query": {"after": "t3_1l4h7bd"}, "file": "new_page2.json"},
]


def reddit_source(base: str, **fields: Any) -> Source:
    return SourceFactory(
        name="r/Helsinki",
        platform="reddit",
        kind="subreddit",
        target="r/Helsinki",
        base_url=base,
        **fields,
    )


def test_the_dispatcher_collects_due_sources_once_and_schedules_the_next_run() -> None:
    with replay(ROUTES, FIXTURES) as server:
        source = reddit_source(server.url, schedule_minutes=30)
        paused = reddit_source(server.url, paused=True)
        manual = reddit_source(server.url, schedule_minutes=0)
        assert set(due_sources()) == {source.pk}
        assert dispatch_due_collections.call_local() == 1
    source.refresh_from_db()
    assert Post.objects.filter(source=source).count() > 3
    assert source.last_success_at is not None
    assert timedelta(minutes=29) < source.next_run_at - timezone.now() <= timedelta(minutes=30)
    assert due_sources() == []
    assert not CollectionRun.objects.filter(source__in=[paused, manual]).exists()
    # a task queued twice by the dispatcher does nothing the second time
    assert collect_source.call_local(source.pk) == "not due"
    assert collect_source.call_local(999999) == "gone"


def test_a_failing_source_backs_off_as_the_platform_asks() -> None:
    routes = [{"path": NEW, "status": 429, "headers": {"Retry-After": "3600"}, "body": "{}"}]
    with replay(routes) as server:
        source = reddit_source(server.url)
        dispatch_due_collections.call_local()
    source.refresh_from_db()
    assert source.is_failing and source.last_error_code == "rate_limited"
    assert source.next_run_at - timezone.now() > timedelta(minutes=59)
    assert due_sources() == []


def test_collect_now_button_runs_the_collection(client_for: Any) -> None:
    with replay(ROUTES, FIXTURES) as server:
        source = reddit_source(server.url, schedule_minutes=0)
        response = client_for("official").post(
            reverse("listening:source_collect", args=[source.pk])
        )
    assert response.status_code == 302
    run = CollectionRun.objects.get(source=source)
    assert (run.trigger, run.status, run.pages) == ("button", "ok", 2)
    page = client_for("official").get(source.get_absolute_url()).content.decode()
    assert 'data-status="ok"' in page


def test_a_connector_bug_is_recorded_not_raised(monkeypatch: Any) -> None:
    from portaat.listening.connectors.reddit import RedditConnector

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("data")

    monkeypatch.setattr(RedditConnector, "pages", broken)
    source = reddit_source("https://www.reddit.com")
    dispatch_due_collections.call_local()
    run = CollectionRun.objects.get(source=source)
    assert (run.status, run.error_code) == ("failed", "internal")
    source.refresh_from_db()
    assert source.running_since is None  # the lock is released
