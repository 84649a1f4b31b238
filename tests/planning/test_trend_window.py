"""The trend's time window: daylight saving, local calendar days, long windows."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, timezone

from portaat.planning import queries

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def _rows(body: str) -> list[tuple[str, int]]:
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td>', body)
    return [(label, int(count)) for label, count in rows]


def test_a_window_across_the_autumn_clock_change_counts_its_last_evening(
    client_for, areas, analysed
):
    # clocks go back on 25 October 2026: the week is an hour longer than its wall-clock time
    analysed(areas=[areas["kallio"]], created_at=datetime(2026, 10, 22, 0, 30, tzinfo=HELSINKI))
    analysed(areas=[areas["kallio"]], created_at=datetime(2026, 10, 28, 23, 30, tzinfo=HELSINKI))
    response = client_for("official").get("/planning/?since=2026-10-22&until=2026-10-28")
    assert response.status_code == 200
    rows = _rows(response.content.decode())
    assert [label for label, _n in rows] == [f"{day}.10.2026" for day in range(22, 29)]
    assert rows[0] == ("22.10.2026", 1) and rows[-1] == ("28.10.2026", 1)


def test_the_window_is_in_utc():
    start, end = queries.window(
        queries.AnalysisFilters(since=date(2026, 10, 22), until=date(2026, 10, 28))
    )
    assert start.tzinfo is UTC and end.tzinfo is UTC
    assert end - start == timedelta(days=7, hours=1)


def test_the_default_window_is_thirty_calendar_days_up_to_today(client_for, areas, analysed):
    analysed(areas=[areas["kallio"]], created_at=timezone.now() - timedelta(seconds=1))
    rows = _rows(client_for("official").get("/planning/").content.decode())
    today = timezone.localdate()
    assert len(rows) == 30
    assert rows[0][0] == formats.date_format(today - timedelta(days=29), "SHORT_DATE_FORMAT")
    assert rows[-1] == (formats.date_format(today, "SHORT_DATE_FORMAT"), 1)


def test_a_long_window_has_few_points(client_for, areas, analysed):
    analysed(areas=[areas["kallio"]], created_at=datetime(2001, 6, 1, 12, tzinfo=HELSINKI))
    analysed(areas=[areas["kallio"]])
    response = client_for("official").get("/planning/?since=2000-01-01")
    assert response.status_code == 200
    body = response.content.decode()
    rows = _rows(body)
    assert len(rows) <= queries.MAX_TREND_POINTS
    assert sum(n for _label, n in rows) == 2
    assert "Julkaisuja kuukaudessa." in body or "Julkaisuja vuodessa." in body


def test_the_chart_starts_at_the_first_post_not_at_a_far_start_date(client_for, areas, analysed):
    analysed(areas=[areas["kallio"]], created_at=timezone.now() - timedelta(days=3))
    rows = _rows(client_for("official").get("/planning/?since=2000-01-01").content.decode())
    assert len(rows) == 4  # three days ago up to today, one row a day
    assert sum(n for _label, n in rows) == 1


@pytest.mark.parametrize(
    ("first", "last", "unit"),
    [
        (date(2026, 1, 1), date(2026, 3, 1), "day"),
        (date(2026, 1, 1), date(2026, 12, 31), "week"),
        (date(2022, 1, 1), date(2026, 12, 31), "month"),
        (date(2000, 1, 1), date(2027, 12, 31), "year"),
    ],
)
def test_bins_are_days_weeks_months_or_years(first, last, unit):
    bins = queries.buckets(queries.day_start(first), queries.day_start(last + timedelta(days=1)))
    assert bins.unit == unit
    assert len(bins.days) == len(bins.edges) <= queries.MAX_TREND_POINTS
    assert bins.days[0] == first
    assert bins.edges == sorted(bins.edges)
    assert all(e.astimezone(HELSINKI).time().hour == 0 for e in bins.edges)
