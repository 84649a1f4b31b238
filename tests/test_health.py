from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from portaat import views
from portaat.models import Heartbeat

pytestmark = pytest.mark.django_db


def test_it_reports_the_database_and_an_unknown_worker(client):
    r = client.get("/health/")
    assert r.status_code == 200
    assert r.json() == {"database": "ok", "worker": "unknown", "worker_seen_at": None}


def test_it_reports_a_live_worker(client):
    seen = Heartbeat.beat("worker")
    body = client.get("/health/").json()
    assert body["worker"] == "ok"
    assert body["worker_seen_at"] == seen.isoformat()


def test_it_reports_a_stale_worker_as_unknown(client):
    Heartbeat.objects.create(name="worker", seen_at=timezone.now() - timedelta(minutes=10))
    body = client.get("/health/").json()
    assert body["worker"] == "unknown"
    assert body["worker_seen_at"] is not None


def test_it_ignores_other_heartbeats(client):
    Heartbeat.beat("something-else")
    assert client.get("/health/").json()["worker"] == "unknown"


def test_it_reports_a_database_that_is_down(client, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", DownConnection())
    r = client.get("/health/")
    assert r.status_code == 503
    assert r.json() == {"database": "down"}


def test_it_only_answers_get(client):
    assert client.post("/health/").status_code == 405
