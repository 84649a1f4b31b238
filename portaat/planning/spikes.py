"""Spikes of mentions per area, theme and keyword, and the alerts sent to their subscribers.

The test itself is ``portaat.analytics.trends.spikes`` (a Poisson tail, windows and threshold
from settings). Keys are ``area:<area key>``, ``topic:<theme key>`` and ``keyword:<lemma>``,
the same ``kind:value`` a :class:`SpikeSubscription` names.

Deduplication: an alert is a :class:`SpikeAlert` row created before anyone is notified; a key
alerted within the recent window is not alerted again (the same surge stays a spike for a day).
The database holds at most one ``current`` alert per key, so two checks racing — even on either
side of the hour — create one alert; each notification is created with ``get_or_create`` on
its key. A check that runs twice, or on two workers, notifies once.

Subscribers are checked at alert time: one who may no longer subscribe (or whose account was
closed) gets no alert.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portaat import access
from portaat.planning import queries
from portaat.planning.models import (
    PlaceMention,
    PostAnalysis,
    SpikeAlert,
    SpikeSubscription,
    SubscriptionKind,
    Theme,
)
from portaat.registry.models import Area

log = logging.getLogger(__name__)

#: Spikes listed on the analysis page.
PAGE_LIMIT = 20


def recent_window() -> timedelta:
    return timedelta(hours=settings.PORTAAT_SPIKE_RECENT_HOURS)


def baseline_window() -> timedelta:
    return timedelta(days=settings.PORTAAT_SPIKE_BASELINE_DAYS)


@dataclass
class FoundSpike:
    kind: str
    value: str
    recent: int
    expected: float
    ratio: float
    p_value: float
    labels: dict[str, str]

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"

    def label(self, language: str | None) -> str:
        return self.labels.get(language or "fi") or self.labels.get("fi") or self.value


def events(
    start: datetime,
    end: datetime,
    filters: queries.AnalysisFilters | None = None,
    *,
    only: set[str] | None = None,
) -> list[tuple[datetime, str]]:
    """``(time, key)`` for every area, theme and keyword mention between ``start`` and ``end``
    (only of the ``only`` keys, when given: the hourly check reads just the subscribed ones).
    Two queries at most."""
    mentions = PlaceMention.objects.filter(posted_at__gt=start, posted_at__lte=end)
    analysed = PostAnalysis.objects.filter(posted_at__gt=start, posted_at__lte=end)
    if filters is not None:
        selected = queries.posts(filters).order_by().values("pk")
        mentions = mentions.filter(post__in=selected)
        analysed = analysed.filter(post__in=selected)
    want_words = True
    if only is not None:
        areas = [k.partition(":")[2] for k in only if k.startswith("area:")]
        themes = [k.partition(":")[2] for k in only if k.startswith("topic:")]
        want_words = any(k.startswith("keyword:") for k in only)
        mentions = mentions.filter(area__key__in=areas) if areas else mentions.none()
        if not want_words:
            analysed = analysed.filter(theme__in=themes) if themes else analysed.none()
    found: list[tuple[datetime, str]] = [
        (moment, f"area:{key}") for moment, key in mentions.values_list("posted_at", "area__key")
    ]
    for moment, theme, keywords in analysed.values_list("posted_at", "theme", "keywords"):
        if theme:
            found.append((moment, f"topic:{theme}"))
        for word in keywords if want_words else ():
            if isinstance(word, str) and word:
                found.append((moment, f"keyword:{keyword_key(word)}"))
    if only is not None:
        found = [event for event in found if event[1] in only]
    return found


def keyword_key(word: str) -> str:
    """A keyword as subscriptions name it: lower case, typewriter apostrophes as typographic
    ones (o'brien and o’brien are one word)."""
    return word.lower().replace("'", "’")


def _labels(keys: Iterable[str]) -> dict[str, dict[str, str]]:
    """Names of the keys in fi, sv and en. Two queries at most."""
    keys = list(keys)
    areas = [k.partition(":")[2] for k in keys if k.startswith("area:")]
    themes = [k.partition(":")[2] for k in keys if k.startswith("topic:")]
    out: dict[str, dict[str, str]] = {}
    if areas:
        for key, name, name_sv in Area.objects.filter(key__in=areas).values_list(
            "key", "name", "name_sv"
        ):
            out[f"area:{key}"] = {"fi": name, "sv": name_sv or name, "en": name}
    if themes:
        for key, fi, sv, en in Theme.objects.filter(key__in=themes).values_list(
            "key", "label_fi", "label_sv", "label_en"
        ):
            out[f"topic:{key}"] = {"fi": fi or key, "sv": sv or fi or key, "en": en or fi or key}
    for key in keys:
        if key not in out:
            value = key.partition(":")[2]
            out[key] = {"fi": value, "sv": value, "en": value}
    return out


def find(
    now: datetime | None = None,
    filters: queries.AnalysisFilters | None = None,
    *,
    only: set[str] | None = None,
) -> list[FoundSpike]:
    """Spikes at ``now`` (most significant first) among the posts the filters select, or all
    posts; ``only`` limits them to those keys (the subscribed ones).

    The filters' dates are left out: a spike is the recent window against the baseline
    before it, and a start date inside the baseline would make every key look new."""
    from portaat.analytics.trends import spikes

    now = now or timezone.now()
    if filters is not None:
        filters = replace(filters, since=None, until=None)
    recent, baseline = recent_window(), baseline_window()
    found_events = events(now - recent - baseline, now, filters, only=only)
    found = spikes(
        found_events,
        now,
        recent=recent,
        baseline=baseline,
        min_count=settings.PORTAAT_SPIKE_MIN_COUNT,
        alpha=settings.PORTAAT_SPIKE_ALPHA,
    )
    labels = _labels(s.key for s in found)
    out = []
    for spike in found:
        kind, _sep, value = spike.key.partition(":")
        out.append(
            FoundSpike(
                kind=kind,
                value=value,
                recent=spike.recent,
                expected=spike.expected,
                ratio=spike.ratio,
                p_value=spike.p_value,
                labels=labels[spike.key],
            )
        )
    return out


def _window_end(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def _alert_url(spike: FoundSpike) -> str:
    base = reverse("planning:analysis")
    if spike.kind == SubscriptionKind.AREA:
        area = Area.objects.filter(key=spike.value).values_list("pk", flat=True).first()
        return f"{base}?area={area}" if area else base
    return base


@dataclass
class CheckResult:
    alerts: int = 0
    notifications: int = 0
    emails: int = 0


def check(now: datetime | None = None, *, email: bool = True) -> CheckResult:
    """Alert the subscribers of every subscribed key that spikes now (see the module
    docstring for why this never alerts twice), in-app and — for those who get email at all —
    by email at once."""
    from portaat import notifications
    from portaat.models import Notification

    now = now or timezone.now()
    result = CheckResult()
    subscriptions = list(SpikeSubscription.objects.values_list("user_id", "kind", "value"))
    if not subscriptions:
        return result
    # rights are checked now, not when subscribing: a role taken away ends the alerts
    allowed = {
        user.pk
        for user in get_user_model().objects.filter(
            pk__in={user_id for user_id, _k, _v in subscriptions}, is_active=True
        )
        if access.can_subscribe_alerts(user)
    }
    subscribers: dict[str, list[int]] = {}
    for user_id, kind, value in subscriptions:
        if user_id in allowed:
            subscribers.setdefault(f"{kind}:{value}", []).append(user_id)
    if not subscribers:
        return result
    window_end = _window_end(now)
    notified: set[int] = set()
    for spike in find(now, only=set(subscribers)):
        if SpikeAlert.objects.filter(
            key=spike.key, window_end__gt=window_end - recent_window()
        ).exists():
            continue  # the same surge was alerted already
        try:
            with transaction.atomic():
                SpikeAlert.objects.filter(
                    key=spike.key, current=True, window_end__lte=window_end - recent_window()
                ).update(current=False)
                alert = SpikeAlert.objects.create(
                    key=spike.key,
                    window_end=window_end,
                    recent=spike.recent,
                    expected=spike.expected,
                    p_value=spike.p_value,
                )
        except IntegrityError:
            continue  # another worker alerted it a moment ago
        result.alerts += 1
        params: dict[str, Any] = {
            "kind": spike.kind,
            "labels": spike.labels,
            "recent": spike.recent,
            "expected": round(spike.expected, 1),
            "hours": settings.PORTAAT_SPIKE_RECENT_HOURS,
        }
        url = _alert_url(spike)
        for user_id in subscribers[spike.key]:
            _note, created = Notification.objects.get_or_create(
                user_id=user_id,
                key=f"spike:{alert.key}:{alert.window_end:%Y%m%d%H}"[:200],
                defaults={"kind": "spike", "params": params, "url": url},
            )
            if created:
                result.notifications += 1
                notified.add(user_id)
    if email and notified:
        for user in get_user_model().objects.filter(pk__in=notified, is_active=True):
            try:
                result.emails += notifications.send_now(user, now)
            except OSError:
                # a mail server that is down: the daily digest sends them later
                log.exception("spike alert email for user %s not sent", user.pk)
    return result
