"""/figures/export.csv: every figure in long format for the city's statistics."""

from __future__ import annotations

import datetime as dt

import pytest

from portaat.figures import services

pytestmark = pytest.mark.django_db


def test_the_export_has_one_row_per_activism_month_and_figure(client_for, ring):
    services.submit(ring, period=dt.date(2026, 9, 1), values={"orders": 40, "producers": 6})
    services.submit(ring, period=dt.date(2026, 10, 1), values={"orders": 45})
    response = client_for("official").get("/figures/export.csv?kind=reko-ring&since=2026-10")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffactivism_id,activism,kind,areas,month,figure,value,unit")
    rows = text.strip().splitlines()[1:]
    assert rows == [f"{ring.pk},Kallion REKO,reko-ring,,2026-10,orders,45,"]


def test_a_bad_filter_is_a_clear_400(client_for, ring):
    response = client_for("official").get("/figures/export.csv?since=2026-13")
    assert response.status_code == 400
    assert client_for("official").get("/figures/export.csv?kind=nope").status_code == 400


def test_only_the_administration_exports(client_for, ring):
    assert client_for("activist").get("/figures/export.csv").status_code == 403
