"""Write paths of the planning app: analysing posts, topic runs, themes, alerts, snapshots.

Bad input raises ``ValidationError`` with a translated message and writes nothing.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portaat import access
from portaat.analytics.topics import THEMES_PATH
from portaat.listening.models import Post
from portaat.planning import queries
from portaat.planning.models import (
    AnalysisSnapshot,
    PlaceMention,
    PostAnalysis,
    SpikeSubscription,
    SubscriptionKind,
    Theme,
    TopicRun,
    TopicRunStatus,
)
from portaat.registry.models import Area

if TYPE_CHECKING:
    from portaat.analytics.topics import Taxonomy
    from portaat.cases.models import Case

log = logging.getLogger(__name__)

LANGS = ("fi", "sv", "en")
#: A run still "running" after this long was left by a worker that died; it is started again.
RUN_TIMEOUT = timedelta(minutes=30)
#: Results someone asked for or looked at within this many days are kept fresh in the
#: background when new posts arrive; older ones only when someone looks again.
REFRESH_DAYS = 7
#: A page view marks a result seen at most this often (not a write on every view).
VIEW_MARK_EVERY = timedelta(hours=1)
#: At most this many out-of-date runs are re-queued per pass.
REFRESH_LIMIT = 20


# --- the theme taxonomy -----------------------------------------------------------------------


@cache
def _builtin_data(path: Path = THEMES_PATH) -> dict[str, Any]:
    """The shipped taxonomy file, read once per process (callers only read it)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_builtin_themes(path: Path = THEMES_PATH) -> int:
    """Create the shipped themes that do not exist yet; returns how many were created.

    Existing themes are never overwritten: officials edit them in the app, and a release must
    not undo their edits. A second run changes nothing.
    """
    data = _builtin_data(path)
    existing = set(Theme.objects.values_list("key", flat=True))
    created = 0
    for position, item in enumerate(data.get("themes") or (), start=1):
        if item["id"] in existing:
            continue
        labels = item.get("labels") or {}
        terms = item.get("terms") or {}
        Theme.objects.create(
            key=item["id"],
            label_fi=labels.get("fi", item["id"]),
            label_sv=labels.get("sv", ""),
            label_en=labels.get("en", ""),
            terms={lang: list(terms.get(lang) or []) for lang in LANGS},
            is_builtin=True,
            position=position,
        )
        created += 1
    return created


def taxonomy() -> Taxonomy | None:
    """The taxonomy the analyses use: the themes in use as edited in the app, with the shipped
    cross-lingual concepts of those themes. ``None`` (the built-in taxonomy) until themes are
    loaded."""
    from portaat.analytics.topics import taxonomy_from_dict

    themes = list(Theme.objects.filter(active=True).order_by("position", "key"))
    if not themes:
        if Theme.objects.exists():
            return taxonomy_from_dict({"themes": [], "concepts": []})
        return None
    keys = {theme.key for theme in themes}
    concepts = [
        concept
        for concept in _builtin_data().get("concepts") or ()
        if not concept.get("theme") or concept.get("theme") in keys
    ]
    return taxonomy_from_dict(
        {
            "themes": [
                {
                    "id": theme.key,
                    "labels": {"fi": theme.label_fi, "sv": theme.label_sv, "en": theme.label_en},  # type: ignore[attr-defined]
                    "terms": theme.terms if isinstance(theme.terms, dict) else {},
                }
                for theme in themes
            ],
            "concepts": concepts,
        }
    )


_TERM = re.compile(r"^[\w][\w\- ]{0,59}$", re.UNICODE)
MAX_TERMS = 300


def clean_terms(raw: str) -> list[str]:
    """Seed terms from a text box: one per line or comma-separated, lower case, no repeats."""
    out: list[str] = []
    for part in re.split(r"[,\n]", raw):
        term = part.strip().lower()
        if not term:
            continue
        if not _TERM.match(term):
            raise ValidationError(
                _("“%(term)s” is not a word: use letters, digits, hyphens and spaces.")
                % {"term": term[:60]}
            )
        if term not in out:
            out.append(term)
    if len(out) > MAX_TERMS:
        raise ValidationError(
            _("A theme may have at most %(max)d terms per language.") % {"max": MAX_TERMS}
        )
    return out


def save_theme(
    theme: Theme, *, labels: dict[str, str], terms: dict[str, str], active: bool
) -> Theme:
    """Change a theme's names and seed terms (one text per language)."""
    if not (labels.get("fi") or "").strip():
        raise ValidationError(_("The theme needs a Finnish name."))
    cleaned = {lang: clean_terms(terms.get(lang) or "") for lang in LANGS}
    with transaction.atomic():
        for lang in LANGS:
            setattr(theme, f"label_{lang}", (labels.get(lang) or "").strip()[:120])
        theme.terms = cleaned
        theme.active = active
        theme.save()
    return theme


# --- analysing posts ---------------------------------------------------------------------------


def mark_edited(sender: Any = None, post_ids: list[int] | None = None, **kwargs: Any) -> int:
    """The ``posts_edited`` receiver: the analyses of edited posts are stale."""
    if not post_ids:
        return 0
    return PostAnalysis.objects.filter(post_id__in=post_ids).update(stale=True)


def _text(title: str, text: str) -> str:
    return f"{title}\n{text}".strip() if title else text


_KIND_ORDER = {"district": 0, "sub_district": 1, "major_district": 2, "municipality": 3}


def _area_ids() -> dict[str, int]:
    """Canonical place name → area id. Where a district and a sub-district share a name, the
    district (the level planners talk about) wins. One query."""
    best: dict[str, tuple[int, int]] = {}
    for pk, name, kind in Area.objects.values_list("pk", "name", "kind"):
        rank = _KIND_ORDER.get(kind, 9)
        if name not in best or rank < best[name][0]:
            best[name] = (rank, pk)
    return {name: pk for name, (_rank, pk) in best.items()}


def pending_posts(limit: int) -> list[int]:
    """Ids of posts without a fresh analysis, oldest first: never analysed, edited since, or
    whose text was removed since."""
    removed = PostAnalysis.objects.filter(stale=False).filter(
        Q(post__text_removed_at__gt=F("analysed_at"))
        | Q(post__deleted_upstream_at__gt=F("analysed_at"))
    )
    removed_ids = list(removed.values_list("post_id", flat=True)[:limit])
    if removed_ids:
        PostAnalysis.objects.filter(post_id__in=removed_ids).update(stale=True)
    missing = list(
        Post.objects.filter(analysis__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    stale = list(
        PostAnalysis.objects.filter(stale=True)
        .order_by("post_id")
        .values_list("post_id", flat=True)[: max(limit - len(missing), 0)]
    )
    return missing + stale


def analyse_posts(post_ids: list[int]) -> int:
    """Analyse these posts and store the results; returns how many were stored.

    Idempotent: running it twice (two workers, a retried task) stores the same rows. A post
    edited while it was being analysed is skipped and stays stale for the next batch.
    """
    from portaat.analytics.pipeline import analyze

    if not post_ids:
        return 0
    rows = list(
        Post.objects.filter(pk__in=post_ids).values_list("pk", "title", "text", "created_at")
    )
    if not rows:
        return 0
    read = {pk: (title, text) for pk, title, text, _c in rows}
    result = analyze(
        ({"id": pk, "text": _text(title, text)} for pk, title, text, _c in rows),
        taxonomy=taxonomy(),
    )
    themes = {topic.id: topic.theme for topic in result.topics}
    area_ids = _area_ids()
    now = timezone.now()
    posted = {pk: created for pk, _t, _x, created in rows}
    with transaction.atomic():
        current = dict(
            (pk, (title, text))
            for pk, title, text in Post.objects.filter(pk__in=list(read)).values_list(
                "pk", "title", "text"
            )
        )
        keep = [item for item in result.posts if current.get(item["id"]) == read[item["id"]]]
        ids = [item["id"] for item in keep]
        PostAnalysis.objects.bulk_create(
            [
                PostAnalysis(
                    post_id=item["id"],
                    lang=item["lang"],
                    places=list(item["places"]),
                    theme=(themes.get(item["topic"]) or "") if item["topic"] is not None else "",
                    keywords=list(item["keywords"]),
                    posted_at=posted[item["id"]],
                    analysed_at=now,
                    stale=False,
                )
                for item in keep
            ],
            update_conflicts=True,
            unique_fields=["post"],
            update_fields=[
                "lang",
                "places",
                "theme",
                "keywords",
                "posted_at",
                "analysed_at",
                "stale",
            ],
            batch_size=500,
        )
        PlaceMention.objects.filter(post_id__in=ids).delete()
        PlaceMention.objects.bulk_create(
            [
                PlaceMention(
                    post_id=item["id"], area_id=area_ids[name], posted_at=posted[item["id"]]
                )
                for item in keep
                for name in dict.fromkeys(item["places"])
                if name in area_ids
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
    return len(keep)


def analyse_pending(batch: int = 500, max_batches: int = 20) -> int:
    """Analyse posts waiting for it, batch by batch (each batch commits on its own, so a worker
    killed midway loses only its current batch, which the next run picks up again)."""
    total = 0
    for _round in range(max_batches):
        ids = pending_posts(batch)
        if not ids:
            break
        done = analyse_posts(ids)
        total += done
        if done == 0:
            break  # every post of the batch changed under us; the next run tries again
    return total


# --- topic runs ------------------------------------------------------------------------------------


def request_topic_run(
    filters: queries.AnalysisFilters, by: Any = None, *, viewed_at: datetime | None = None
) -> TopicRun:
    """A topic run for the filters: the one already waiting or running, or a new one that the
    background task computes (queued once this transaction commits).

    Idempotent: the database allows one waiting or running run per filters, so a double click
    (two requests at once) gives one run. ``viewed_at`` is when someone last wanted these
    filters (now, unless a background refresh carries the original time over)."""
    existing = queries.open_run(filters)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            run = TopicRun.objects.create(
                filter_key=filters.key,
                filters=filters.as_dict(),
                requested_by=(
                    by if by is not None and getattr(by, "is_authenticated", False) else None
                ),
                viewed_at=viewed_at or timezone.now(),
            )
    except IntegrityError:
        # another request created it a moment ago
        return TopicRun.objects.get(
            filter_key=filters.key, status__in=[TopicRunStatus.PENDING, TopicRunStatus.RUNNING]
        )
    from portaat.planning.tasks import compute_topic_run_task
    from portaat.tasks import enqueue

    # a run left PENDING (queue down) is queued again by the periodic refresh
    transaction.on_commit(lambda: enqueue(compute_topic_run_task, run.pk))
    return run


def mark_viewed(run: TopicRun, now: datetime | None = None) -> None:
    """Someone looked at the run's result: keep it fresh in the background for a while."""
    now = now or timezone.now()
    if run.viewed_at is None or run.viewed_at < now - VIEW_MARK_EVERY:
        TopicRun.objects.filter(pk=run.pk).update(viewed_at=now)
        run.viewed_at = now


def compute_topic_run(run_id: int) -> str:
    """Compute a waiting run: claim it (only one worker does), read the posts its filters
    select (the newest ``PORTAAT_TOPIC_RUN_MAX_POSTS``), find their topics with the app's
    taxonomy, and store the topics, their example posts and each post's topic."""
    from django.conf import settings

    from portaat.analytics.pipeline import analyze

    now = timezone.now()
    claimed = TopicRun.objects.filter(pk=run_id, status=TopicRunStatus.PENDING).update(
        status=TopicRunStatus.RUNNING, started_at=now
    )
    if not claimed:
        return "not waiting"
    run = TopicRun.objects.get(pk=run_id)
    try:
        filters = queries.AnalysisFilters.from_dict(run.filters)
        # the selected posts still waiting for the periodic batch are analysed first, so a
        # run asked for right after an import covers the imported posts
        waiting = list(
            queries.posts(filters)
            .filter(Q(analysis__isnull=True) | Q(analysis__stale=True))
            .values_list("pk", flat=True)[: settings.PORTAAT_TOPIC_RUN_MAX_POSTS]
        )
        for start in range(0, len(waiting), 500):
            analyse_posts(waiting[start : start + 500])
        fingerprint = queries.fingerprint(filters)
        rows = list(
            queries.posts(filters)
            .filter(analysis__isnull=False)
            .values_list("pk", "title", "text")[: settings.PORTAAT_TOPIC_RUN_MAX_POSTS]
        )
        ids = [pk for pk, _t, _x in rows]
        result = analyze(
            ({"id": pk, "text": _text(title, text)} for pk, title, text in rows),
            taxonomy=taxonomy(),
        )
    except Exception as exc:
        log.exception("topic run %s failed", run_id)
        TopicRun.objects.filter(pk=run_id).update(
            status=TopicRunStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        return "failed"
    topics = [
        {
            "id": topic.id,
            "theme": topic.theme,
            "labels": {lang: list(words) for lang, words in topic.labels.items()},
            "size": topic.size,
            "examples": [ids[i] for i in topic.examples if 0 <= i < len(ids)],
        }
        for topic in result.topics
    ]
    by_topic: dict[int | None, list[int]] = {}
    for item in result.posts:
        by_topic.setdefault(item["topic"], []).append(item["id"])
    with transaction.atomic():
        for topic_id, members in by_topic.items():
            for start in range(0, len(members), 500):
                PostAnalysis.objects.filter(post_id__in=members[start : start + 500]).update(
                    topic=topic_id, topic_run=run
                )
        TopicRun.objects.filter(pk=run_id).update(
            status=TopicRunStatus.DONE,
            topics=topics,
            post_count=len(ids),
            fingerprint=fingerprint,
            stale=False,
            finished_at=timezone.now(),
        )
        # the older results of the same filters are superseded: only the newest is kept
        TopicRun.objects.filter(
            filter_key=run.filter_key,
            status__in=[TopicRunStatus.DONE, TopicRunStatus.FAILED],
            pk__lt=run.pk,
        ).delete()
    return "done"


def refresh_topic_runs(now: datetime | None = None) -> int:
    """Keep recent results fresh: a finished run whose posts changed since (new posts analysed)
    is marked out of date and a new run for its filters is queued; runs left ``running`` by a
    dead worker, or ``pending`` ones whose queue message was lost, are queued again.
    Returns how many runs were queued."""
    now = now or timezone.now()
    queued = 0
    TopicRun.objects.filter(status=TopicRunStatus.RUNNING, started_at__lt=now - RUN_TIMEOUT).update(
        status=TopicRunStatus.PENDING
    )
    from portaat.planning.tasks import compute_topic_run_task
    from portaat.tasks import enqueue

    waiting = TopicRun.objects.filter(
        status=TopicRunStatus.PENDING, created_at__lt=now - timedelta(minutes=2)
    ).values_list("pk", flat=True)[:REFRESH_LIMIT]
    for pk in list(waiting):
        if enqueue(compute_topic_run_task, pk):
            queued += 1
    seen: set[str] = set()
    # only results someone wanted lately: a refreshed run carries the time it was last
    # wanted over, so unwatched filters are not recomputed forever
    recent = TopicRun.objects.filter(
        status=TopicRunStatus.DONE, viewed_at__gte=now - timedelta(days=REFRESH_DAYS)
    ).order_by("-finished_at", "-pk")
    for run in recent[: REFRESH_LIMIT * 5]:
        if run.filter_key in seen or run.stale:
            seen.add(run.filter_key)
            continue
        seen.add(run.filter_key)
        filters = queries.AnalysisFilters.from_dict(run.filters)
        if queries.fingerprint(filters) == run.fingerprint:
            continue
        TopicRun.objects.filter(pk=run.pk).update(stale=True)
        if queries.open_run(filters) is None:
            request_topic_run(filters, viewed_at=run.viewed_at)
            queued += 1
        if queued >= REFRESH_LIMIT:
            break
    return queued


# --- subscriptions -----------------------------------------------------------------------------

# letters, digits, inner hyphens and apostrophes (o’brien, mcdonald’s), as the analysis finds
_KEYWORD = re.compile(r"^[\w][\w\-'’]{0,59}$", re.UNICODE)


def subscribe(user: Any, kind: str, value: str) -> tuple[SpikeSubscription, bool]:
    """Subscribe the user to spike alerts of an area (its key), a theme (its key) or a keyword.
    Returns the subscription and whether it is new."""
    if not access.can_subscribe_alerts(user):
        raise ValidationError(_("You may not subscribe to spike alerts."))
    value = (value or "").strip()
    if kind == SubscriptionKind.AREA:
        if not Area.objects.filter(key=value).exists():
            raise ValidationError(_("Choose an area from the list."))
    elif kind == SubscriptionKind.TOPIC:
        if not Theme.objects.filter(key=value).exists():
            raise ValidationError(_("Choose a theme from the list."))
    elif kind == SubscriptionKind.KEYWORD:
        from portaat.planning.spikes import keyword_key

        value = keyword_key(value)
        if not _KEYWORD.match(value):
            raise ValidationError(
                _("A keyword is one word of at most 60 letters, digits, hyphens or apostrophes.")
            )
    else:
        raise ValidationError(_("Choose what to follow: an area, a theme or a keyword."))
    return SpikeSubscription.objects.get_or_create(user_id=user.pk, kind=kind, value=value)


def unsubscribe(user: Any, subscription_id: int) -> bool:
    """Remove one of the user's own subscriptions; another user's id changes nothing."""
    deleted, _detail = SpikeSubscription.objects.filter(
        pk=subscription_id, user_id=user.pk
    ).delete()
    return bool(deleted)


# --- snapshots ------------------------------------------------------------------------------------


def figures(filters: queries.AnalysisFilters, now: datetime | None = None) -> dict[str, Any]:
    """The figures of an analysis, frozen: counts per language and place, the topics of the
    latest run (labels in fi, sv and en) and the spikes. Counts only, never post texts."""
    from portaat.planning import spikes

    summary = queries.summary(filters)
    run = queries.latest_run(filters)
    start, end = queries.window(filters, now)
    now = now or timezone.now()
    return {
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        "posts": summary["posts"],
        "analysed": summary["analysed"],
        "languages": summary["languages"],
        "places": [
            {"key": p["key"], "name": p["name"], "name_sv": p["name_sv"], "count": p["count"]}
            for p in queries.place_counts(filters, limit=50)
        ],
        "topics": [
            {
                "theme": topic.get("theme"),
                "labels": topic.get("labels") or {},
                "size": topic.get("size", 0),
            }
            for topic in (run.topics if run else [])
        ],
        "topics_computed_at": run.finished_at.isoformat() if run and run.finished_at else None,
        "spikes": [
            {
                "kind": s.kind,
                "value": s.value,
                "labels": s.labels,
                "recent": s.recent,
                "expected": round(s.expected, 2),
            }
            # now, not the window's end: see spikes.find
            for s in spikes.find(now, filters)[:20]
        ],
    }


def attach_snapshot(
    case: Case,
    *,
    filters: queries.AnalysisFilters,
    by: Any,
    title: str = "",
    note: str = "",
) -> AnalysisSnapshot:
    """Save the analysis the filters give as evidence on the case; the user must be allowed to
    change the case."""
    if not access.can_attach_analysis(by, case):
        raise ValidationError(_("You may not add evidence to this case."))
    title = title.strip()[:200]
    if not title:
        start, end = queries.window(filters)
        with translation.override(translation.get_language()):
            title = _("Analysis of posts %(start)s–%(end)s") % {
                "start": timezone.localtime(start).date().isoformat(),
                "end": timezone.localtime(end).date().isoformat(),
            }
    with transaction.atomic():
        return AnalysisSnapshot.objects.create(
            case=case,
            title=title,
            note=note.strip()[:5000],
            filters=filters.as_dict(),
            figures=figures(filters),
            created_by=by,
        )
