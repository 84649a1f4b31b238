"""Spikes and trend series on constructed event streams."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portaat.analytics.trends import poisson_sf, series, spikes

NOW = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)


def steady(key, per_day, days=15, rng=None):
    """Events spread evenly (or randomly with ``rng``) at ``per_day`` a day, ending at NOW."""
    events = []
    for day in range(days):
        for j in range(per_day):
            if rng:
                offset = timedelta(seconds=rng.uniform(0, 86400))
            else:
                offset = timedelta(days=j / per_day)
            events.append((NOW - timedelta(days=day + 1) + offset, key))
    return events


def test_a_key_that_jumps_fires_and_a_steady_key_does_not():
    events = steady("place:Kallio", 10) + steady("place:Töölö", 1)
    events += [(NOW - timedelta(hours=h), "place:Töölö") for h in range(1, 13)]
    found = spikes(events, NOW)
    assert [s.key for s in found] == ["place:Töölö"]
    spike = found[0]
    assert spike.recent == 12 and spike.expected == pytest.approx(1.0 + 0.5 / 14, rel=0.05)
    assert spike.ratio > 10 and spike.p_value < 1e-6


def test_random_noise_does_not_fire():
    rng = random.Random(7)
    events = []
    for i in range(200):
        events += steady(f"keyword:k{i}", rng.choice([2, 5, 10, 30]), rng=rng)
    assert spikes(events, NOW) == []


def test_a_new_key_needs_min_count():
    few = [(NOW - timedelta(hours=h), "topic:3") for h in range(4)]
    assert spikes(few, NOW) == []
    many = [(NOW - timedelta(hours=h), "topic:3") for h in range(6)]
    (spike,) = spikes(many, NOW)
    assert spike.expected > 0 and spike.recent == 6


def test_results_are_sorted_by_significance():
    events = [(NOW - timedelta(minutes=m), "big") for m in range(1, 40)]
    events += [(NOW - timedelta(minutes=m), "small") for m in range(1, 8)]
    assert [s.key for s in spikes(events, NOW)] == ["big", "small"]


def test_windows_are_settings():
    events = steady("k", 2) + [(NOW - timedelta(minutes=m), "k") for m in range(1, 9)]
    assert spikes(events, NOW, recent=timedelta(hours=1))
    assert not spikes(events, NOW, recent=timedelta(hours=1), min_count=20)


def test_future_events_are_ignored():
    events = [(NOW + timedelta(hours=h), "later") for h in range(1, 20)]
    assert spikes(events, NOW) == []


def test_naive_datetimes_raise():
    naive = datetime(2025, 3, 15, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        spikes([], naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        spikes([(naive, "k")], NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        series([(naive, "k")], NOW - timedelta(days=1), NOW, timedelta(hours=1))


def test_poisson_tail():
    assert poisson_sf(0, 3.0) == 1.0
    assert poisson_sf(1, 2.0) == pytest.approx(1 - 2.718281828**-2.0)
    assert 0 < poisson_sf(60, 1.0) < 1e-70


def test_series_buckets_counts_per_key():
    start = NOW - timedelta(hours=3)
    events = [
        (start, "a"),
        (start + timedelta(minutes=59), "a"),
        (start + timedelta(hours=2, minutes=1), "b"),
        (NOW, "a"),  # end is exclusive
        (start - timedelta(seconds=1), "a"),
    ]
    assert series(events, start, NOW, timedelta(hours=1)) == {"a": [2, 0, 0], "b": [0, 0, 1]}
    assert series(events, start, start + timedelta(minutes=90), timedelta(hours=1))["a"] == [2, 0]


def test_series_across_a_clock_change_counts_by_elapsed_time():
    helsinki = ZoneInfo("Europe/Helsinki")
    # clocks go back on 25 October 2026: this local week lasts 7 days and an hour
    start = datetime(2026, 10, 22, tzinfo=helsinki)
    end = datetime(2026, 10, 29, tzinfo=helsinki)
    late = datetime(2026, 10, 28, 23, 30, tzinfo=helsinki)
    counts = series([(start, "a"), (late, "a")], start, end, timedelta(days=1))
    assert counts == {"a": [1, 0, 0, 0, 0, 0, 0, 1]}
    # the same with the events in UTC, as the database gives them
    utc = series([(late.astimezone(UTC), "a")], start, end, timedelta(days=1))
    assert sum(utc["a"]) == 1
