"""A source's health page, and its buttons: collect now, pause and resume."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from portaat.listening.collect import _failed
from portaat.listening.models import CollectionRun, Source
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_a_failing_source_says_what_failed_and_why(client_for: Any) -> None:
    source = SourceFactory(name="Kallio-seuran syöte")
    run = CollectionRun.objects.create(source=source)
    _failed(source, run, "rate_limited", "HTTP 429 from mastodon.social", 120)
    body = client_for("official").get(source.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    text = body.content.decode()
    assert "The last collection failed." in text
    assert "The platform asked us to slow down" in text
    assert "HTTP 429 from mastodon.social" in text
    source.refresh_from_db()
    assert source.is_failing and source.failures == 1
    assert (source.next_run_at - run.finished_at).total_seconds() >= 300


def test_pause_and_resume(client_for: Any) -> None:
    source = SourceFactory()
    url = reverse("listening:source_pause", args=[source.pk])
    client = client_for("official")
    assert client.post(url, {"paused": "1"}).status_code == 302
    assert Source.objects.get(pk=source.pk).paused
    client.post(url, {"paused": "0"})
    assert not Source.objects.get(pk=source.pk).paused


def test_an_import_source_has_no_collect_button(client_for: Any) -> None:
    source = SourceFactory(platform="import", kind="files", target="facebook", base_url="")
    page = client_for("official").get(source.get_absolute_url()).content.decode()
    assert reverse("listening:source_collect", args=[source.pk]) not in page
    response = client_for("official").post(reverse("listening:source_collect", args=[source.pk]))
    assert response.status_code == 302
    assert not CollectionRun.objects.exists()


def test_unknown_sources_are_404(client_for: Any) -> None:
    client = client_for("official")
    assert client.get("/listening/sources/999999/").status_code == 404
    assert client.post("/listening/sources/999999/collect/").status_code == 404
    assert client.get("/listening/sources/99999999999999999999999/").status_code == 404


def test_collect_now_with_the_queue_down_says_so_and_changes_nothing(
    client_for: Any, monkeypatch: Any
) -> None:
    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage

    # the real queue of a site with REDIS_URL, its Redis stopped (nothing listens on port 1)
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", RedisStorage(name="portaat", url="redis://127.0.0.1:1/0"))
    source = SourceFactory()
    response = client_for("official").post(
        reverse("listening:source_collect", args=[source.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert response.status_code == 200
    assert "could not be started now" in response.content.decode()
    assert not CollectionRun.objects.exists()
