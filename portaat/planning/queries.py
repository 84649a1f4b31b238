"""Reads of the planning app: the filters, the analysed posts they select, and the figures.

Every list here is one query (or a fixed few), whatever the number of posts or areas.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from portaat.listening import search
from portaat.listening.models import Post
from portaat.planning.models import PlaceMention, PostAnalysis, Theme, TopicRun, TopicRunStatus

#: Areas listed on the map and in its table, most mentioned first.
MAP_LIMIT = 200
#: Areas drawn as lines in the trend chart.
TREND_SERIES = 5


@dataclass(frozen=True)
class AnalysisFilters:
    """Which posts an analysis reads. ``area`` selects posts that mention the area (not, as
    in the posts list, posts of activisms acting there): planners ask what is said about a
    place. ``language`` is the detected language."""

    source: int | None = None
    activism: int | None = None
    area: int | None = None
    language: str = ""
    since: date | None = None
    until: date | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("since", "until"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalysisFilters:
        def day(value: Any) -> date | None:
            return date.fromisoformat(value) if value else None

        def number(value: Any) -> int | None:
            return int(value) if value not in (None, "") else None

        return cls(
            source=number(data.get("source")),
            activism=number(data.get("activism")),
            area=number(data.get("area")),
            language=str(data.get("language") or ""),
            since=day(data.get("since")),
            until=day(data.get("until")),
        )

    @property
    def key(self) -> str:
        """A stable identifier of the filters (the cached topic runs are found by it)."""
        raw = json.dumps(self.as_dict(), sort_keys=True)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def query(self) -> str:
        """The filters as a query string for links (export, topic pages)."""
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in self.as_dict().items() if v not in (None, "")})


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def window(filters: AnalysisFilters, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The time window the filters give, in UTC: ``until`` ends at the end of its day (or
    now), and without ``since`` the window is the last 30 calendar days up to its end, from
    local midnight (so a day of the trend is a day of the calendar).

    UTC because the difference of two times in the same zone is wall-clock time: across a
    daylight-saving change it is an hour off the real one."""
    now = now or timezone.now()
    end = min(day_start(filters.until + timedelta(days=1)), now) if filters.until else now
    if filters.since:
        start = day_start(filters.since)
    else:
        last_day = timezone.localtime(end - timedelta(microseconds=1)).date()
        start = day_start(last_day - timedelta(days=29))
    return start.astimezone(UTC), end.astimezone(UTC)


def posts(filters: AnalysisFilters) -> QuerySet[Post]:
    """The posts the filters select (analysed or not), through the listening app's filters."""
    queryset = search.filtered_posts(
        search.PostFilters(
            source=filters.source,
            activism=filters.activism,
            since=filters.since,
            until=filters.until,
        )
    )
    if filters.area:
        queryset = queryset.filter(place_mentions__area_id=filters.area)
    if filters.language:
        queryset = queryset.filter(analysis__lang=filters.language)
    return queryset


def analyses(filters: AnalysisFilters) -> QuerySet[PostAnalysis]:
    """The analyses of the posts the filters select."""
    return PostAnalysis.objects.filter(post__in=posts(filters).order_by().values("pk"))


def summary(filters: AnalysisFilters) -> dict[str, Any]:
    """Posts selected, analysed, waiting for analysis, and per detected language. Two queries."""
    selected = posts(filters).order_by()
    by_lang = dict(
        PostAnalysis.objects.filter(post__in=selected.values("pk"))
        .values("lang")
        .annotate(n=Count("pk"))
        .values_list("lang", "n")
    )
    total = selected.count()
    analysed = sum(by_lang.values())
    return {
        "posts": total,
        "analysed": analysed,
        "waiting": max(total - analysed, 0),
        "languages": {lang: by_lang.get(lang, 0) for lang in ("fi", "sv", "en", "other")},
    }


def place_counts(filters: AnalysisFilters, *, limit: int = MAP_LIMIT) -> list[dict[str, Any]]:
    """Mentions per area, most first: ``{"id", "key", "name", "name_sv", "municipality",
    "lat", "lon", "count"}``. One query."""
    rows = (
        PlaceMention.objects.filter(post__in=posts(filters).order_by().values("pk"))
        .values(
            "area_id",
            "area__key",
            "area__name",
            "area__name_sv",
            "area__municipality",
            "area__lat",
            "area__lon",
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "area__name")[:limit]
    )
    return [
        {
            "id": row["area_id"],
            "key": row["area__key"],
            "name": row["area__name"],
            "name_sv": row["area__name_sv"],
            "municipality": row["area__municipality"],
            "lat": row["area__lat"],
            "lon": row["area__lon"],
            "count": row["n"],
        }
        for row in rows
    ]


def map_points(places: list[dict[str, Any]], language: str | None) -> list[dict[str, Any]]:
    """Points for ``includes/area_map.html``; each links to the analysis of that area."""
    return [
        {
            "lat": place["lat"],
            "lon": place["lon"],
            "label": place["name_sv"] if language == "sv" and place["name_sv"] else place["name"],
            "count": place["count"],
            "url": place.get("url", ""),
        }
        for place in places
    ]


def fingerprint(filters: AnalysisFilters) -> str:
    """How many selected posts are analysed, and the newest analysis: a topic run made with
    another fingerprint no longer covers what the filters select. One query."""
    found = analyses(filters).aggregate(n=Count("pk"), newest=Max("analysed_at"))
    newest = found["newest"].isoformat() if found["newest"] else "-"
    return f"{found['n']}|{newest}"


def latest_run(filters: AnalysisFilters) -> TopicRun | None:
    """The newest finished topic run for the filters (it may be out of date)."""
    return (
        TopicRun.objects.filter(filter_key=filters.key, status=TopicRunStatus.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


def open_run(filters: AnalysisFilters) -> TopicRun | None:
    """A run for the filters waiting or computing, if any."""
    return (
        TopicRun.objects.filter(
            filter_key=filters.key, status__in=[TopicRunStatus.PENDING, TopicRunStatus.RUNNING]
        )
        .order_by("-pk")
        .first()
    )


def theme_labels(language: str | None) -> dict[str, str]:
    """``{theme key: name in the language}``. One query."""
    lang = language if language in ("fi", "sv", "en") else "fi"
    out = {}
    for key, fi, sv, en in Theme.objects.values_list("key", "label_fi", "label_sv", "label_en"):
        out[key] = {"fi": fi, "sv": sv, "en": en}[lang] or fi or key
    return out


def topics_for_reader(run: TopicRun | None, language: str | None) -> list[dict[str, Any]]:
    """The run's topics with labels in the reader's language (English, then Finnish, where the
    reader's language has none) and the theme's name."""
    if run is None:
        return []
    lang = language if language in ("fi", "sv", "en") else "fi"
    names = theme_labels(lang)
    out = []
    for topic in run.topics or []:
        labels = topic.get("labels") or {}
        words = labels.get(lang) or labels.get("en") or labels.get("fi") or []
        out.append(
            {
                "id": topic.get("id"),
                "theme": topic.get("theme"),
                "theme_label": names.get(topic.get("theme") or "", ""),
                "words": words,
                "size": topic.get("size", 0),
                "examples": topic.get("examples") or [],
            }
        )
    return out


def example_posts(ids: list[int]) -> list[Post]:
    """The example posts, in the given order. One query."""
    found = {p.pk: p for p in Post.objects.filter(pk__in=ids).select_related("source")}
    return [found[pk] for pk in ids if pk in found]


# --- trends -------------------------------------------------------------------------------------


#: At most this many points per line in the trend chart (and rows in its table).
MAX_TREND_POINTS = 60


@dataclass(frozen=True)
class Buckets:
    """The bins of a trend: ``unit`` is ``day``, ``week``, ``month`` or ``year``; ``days`` the
    local date each bin starts on; ``edges`` the same starts as UTC times (the first is the
    window's start, the last bin ends at ``end``)."""

    unit: str
    days: list[date]
    edges: list[datetime]
    end: datetime

    def count(self, events: Iterable[tuple[datetime, str]]) -> dict[str, list[int]]:
        """Events per key and bin; events outside the window are left out."""
        out: dict[str, list[int]] = {}
        first = self.edges[0]
        for moment, key in events:
            if not first <= moment < self.end:
                continue
            out.setdefault(key, [0] * len(self.edges))[bisect_right(self.edges, moment) - 1] += 1
        return out


def _month_starts(first: date, last: date) -> list[date]:
    out = [first]
    year, month = first.year, first.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        day = date(year, month, 1)
        if day > last:
            return out
        out.append(day)


def buckets(start: datetime, end: datetime) -> Buckets:
    """Calendar bins of the window in local time: days, else weeks from its first day, else
    months, else years — the first that gives at most ``MAX_TREND_POINTS`` bins (a long window
    would otherwise make a page of thousands of rows)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    first = start.astimezone(tz).date()
    last = max((end - timedelta(microseconds=1)).astimezone(tz).date(), first)
    days = (last - first).days + 1
    if days <= MAX_TREND_POINTS:
        unit, starts = "day", [first + timedelta(days=i) for i in range(days)]
    elif -(-days // 7) <= MAX_TREND_POINTS:
        unit, starts = "week", [first + timedelta(days=7 * i) for i in range(-(-days // 7))]
    elif (last.year - first.year) * 12 + last.month - first.month < MAX_TREND_POINTS:
        unit, starts = "month", _month_starts(first, last)
    else:
        unit = "year"
        starts = [first] + [date(year, 1, 1) for year in range(first.year + 1, last.year + 1)]
    edges = [start.astimezone(UTC)] + [day_start(day).astimezone(UTC) for day in starts[1:]]
    return Buckets(unit, starts, edges, end.astimezone(UTC))


def place_events(
    filters: AnalysisFilters, start: datetime, end: datetime
) -> list[tuple[datetime, str]]:
    """``(time, area key)`` of every mention in the window. One query."""
    return list(
        PlaceMention.objects.filter(
            post__in=posts(filters).order_by().values("pk"),
            posted_at__gte=start,
            posted_at__lt=end,
        ).values_list("posted_at", "area__key")
    )


def post_times(filters: AnalysisFilters, start: datetime, end: datetime) -> list[datetime]:
    """The times of the selected posts in the window. One query."""
    return list(
        posts(filters)
        .order_by()
        .filter(created_at__gte=start, created_at__lt=end)
        .values_list("created_at", flat=True)
    )


def top_keys(events: list[tuple[datetime, str]], n: int = TREND_SERIES) -> list[str]:
    counts = Counter(key for _moment, key in events)
    return [key for key, _count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


# --- evidence on cases -------------------------------------------------------------------------


def case_snapshots(case_id: int, language: str | None) -> list[Any]:
    """The analyses attached to a case, newest first, prepared for the reader's language.
    One query."""
    from portaat.planning.models import AnalysisSnapshot

    lang = language if language in ("fi", "sv", "en") else "fi"
    snapshots = list(
        AnalysisSnapshot.objects.filter(case_id=case_id)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )
    for snapshot in snapshots:
        figures = snapshot.figures if isinstance(snapshot.figures, dict) else {}
        user = snapshot.created_by
        snapshot.author_name = (  # type: ignore[attr-defined]
            (user.get_full_name().strip() or user.get_username()) if user else "—"
        )
        snapshot.places = [  # type: ignore[attr-defined]
            {
                "label": (p.get("name_sv") if lang == "sv" else "") or p.get("name", ""),
                "count": p.get("count", 0),
            }
            for p in (figures.get("places") or [])[:10]
        ]
        snapshot.topics = [  # type: ignore[attr-defined]
            {
                "words": ((t.get("labels") or {}).get(lang) or [])[:6],
                "size": t.get("size", 0),
            }
            for t in figures.get("topics") or []
        ]
        snapshot.spikes = [  # type: ignore[attr-defined]
            {
                "label": (s.get("labels") or {}).get(lang) or s.get("value", ""),
                "recent": s.get("recent", 0),
            }
            for s in figures.get("spikes") or []
        ]
    return snapshots
