"""Trends and spikes of mentions per key (a place, a topic, a keyword …).

A spike is a recent window (default the last 24 h) with significantly more mentions than the
key's baseline (default the 14 days before it) predicts. The test is a one-sided Poisson tail:
with ``expected`` mentions predicted from the baseline rate, how likely is seeing ``recent`` or
more by chance? Poisson is the natural model for counts of independent posts, needs no
training, and its tail is exact for the small counts planners care about (a place mentioned
8 times today instead of about once a day). The default ``alpha`` is strict on purpose: with
hundreds of keys tested every hour, a loose threshold would fire on noise all the time.

The baseline rate carries a small prior (half a mention per baseline window), so a key never
seen before has a small but non-zero expectation: a brand-new key needs ``min_count`` mentions
to fire, and its ``ratio`` stays finite.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from scipy.special import gammainc

#: Pseudo-count of mentions added to every key's baseline window (see the module docstring).
PRIOR_COUNT = 0.5


@dataclass(frozen=True)
class Spike:
    key: str
    recent: int  # mentions in the recent window
    expected: float  # baseline rate scaled to the recent window (with the prior)
    ratio: float  # recent / expected
    p_value: float  # P(X >= recent) for X ~ Poisson(expected)


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {moment.isoformat()}")
    return moment


def poisson_sf(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean): the regularised lower incomplete gamma function,
    accurate far into the tail where ``1 - cdf`` would round to zero."""
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    return float(gammainc(count, mean))


def spikes(
    events: Iterable[tuple[datetime, str]],
    now: datetime,
    *,
    recent: timedelta = timedelta(hours=24),
    baseline: timedelta = timedelta(days=14),
    min_count: int = 5,
    alpha: float = 0.001,
) -> list[Spike]:
    """Keys whose mentions in ``(now - recent, now]`` significantly exceed their baseline.

    ``events`` are ``(moment, key)`` pairs; the baseline is ``(now - recent - baseline,
    now - recent]``; events outside both windows (including future ones) are ignored. A key
    needs at least ``min_count`` recent mentions and a p-value at most ``alpha``. The result is
    sorted most significant first (then by ratio and key, so it is deterministic). Naive
    datetimes raise ``ValueError``.
    """
    if recent <= timedelta(0) or baseline <= timedelta(0):
        raise ValueError("recent and baseline windows must be positive")
    now = _aware(now, "now")
    split = now - recent
    start = split - baseline
    recent_counts: Counter[str] = Counter()
    base_counts: Counter[str] = Counter()
    for moment, key in events:
        _aware(moment, "event time")
        if split < moment <= now:
            recent_counts[key] += 1
        elif start < moment <= split:
            base_counts[key] += 1
    scale = recent / baseline
    found = []
    for key, count in recent_counts.items():
        if count < min_count:
            continue
        expected = (base_counts[key] + PRIOR_COUNT) * scale
        p = poisson_sf(count, expected)
        if p <= alpha:
            found.append(Spike(key, count, expected, count / expected, p))
    found.sort(key=lambda s: (s.p_value, -s.ratio, s.key))
    return found


def series(
    events: Iterable[tuple[datetime, str]],
    start: datetime,
    end: datetime,
    bucket: timedelta,
) -> dict[str, list[int]]:
    """Mentions per key in consecutive ``bucket``-long bins from ``start`` (inclusive) to
    ``end`` (exclusive; the last bin may be partial). Every key's list has the same length,
    so trend charts can share an axis."""
    # in UTC: two times in one zone subtract as wall-clock time, an hour off the elapsed time
    # across a daylight-saving change (and an event would land past the last bin)
    start = _aware(start, "start").astimezone(UTC)
    end = _aware(end, "end").astimezone(UTC)
    if bucket <= timedelta(0):
        raise ValueError("bucket must be positive")
    if end <= start:
        return {}
    n = math.ceil((end - start) / bucket)
    out: dict[str, list[int]] = {}
    for moment, key in events:
        moment = _aware(moment, "event time").astimezone(UTC)
        if not start <= moment < end:
            continue
        counts = out.setdefault(key, [0] * n)
        counts[min((moment - start) // bucket, n - 1)] += 1
    return dict(sorted(out.items()))
