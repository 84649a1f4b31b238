"""/api/v1/figure-metrics/ and /api/v1/figure-reports/."""

from __future__ import annotations

import datetime as dt

import pytest

from portaat.figures import services

pytestmark = pytest.mark.django_db


def test_anyone_reads_which_figures_are_asked(client_for, metrics):
    found = client_for("anonymous").get("/api/v1/figure-metrics/").json()
    reko = [m["key"] for m in found if m["kind"] == "reko-ring"]
    assert reko[:3] == ["producers", "orders", "pickup-points"]
    assert set(found[0]["name"]) == {"fi", "sv", "en"}


def test_the_administration_reads_the_reports(client_for, ring):
    services.submit(ring, period=dt.date(2026, 10, 1), values={"orders": 45})
    found = client_for("official").get(f"/api/v1/figure-reports/?activism={ring.pk}").json()
    assert [(r["month"], r["values"]) for r in found["results"]] == [("2026-10", {"orders": 45})]
    assert client_for("anonymous").get("/api/v1/figure-reports/").status_code == 403
    assert client_for("official").get("/api/v1/figure-reports/?since=2026-13").status_code == 400
