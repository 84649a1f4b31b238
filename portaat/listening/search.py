"""Finding posts: full-text search (SQLite FTS5 or PostgreSQL text search) and filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from portaat.listening.models import Post

_TOKEN = re.compile(r'(-?)"([^"]+)"|(-?)(\w+)', re.UNICODE)
MAX_TERMS = 12


@dataclass
class PostFilters:
    q: str = ""
    source: int | None = None
    activism: int | None = None
    area: int | None = None
    language: str = ""
    since: date | None = None
    until: date | None = None
    platform: str = ""


def _terms(query: str) -> list[tuple[bool, str, bool]]:
    """``(negated, text, is_phrase)`` for each word or "quoted phrase" (at most MAX_TERMS)."""
    terms = []
    for match in _TOKEN.finditer(query):
        if match.group(2):
            terms.append((bool(match.group(1)), match.group(2).strip(), True))
        elif match.group(4):
            terms.append((bool(match.group(3)), match.group(4), False))
    return [t for t in terms if t[1]][:MAX_TERMS]


def fts5_expression(query: str) -> str:
    """A safe FTS5 query: every word matched as a prefix (Finnish inflects: kallio* finds
    Kalliossa), phrases as phrases, ``-word`` excluded; "" when nothing is searchable."""
    positive: list[str] = []
    negative: list[str] = []
    for negated, text, phrase in _terms(query):
        quoted = '"' + text.replace('"', '""') + '"'
        (negative if negated else positive).append(quoted if phrase else quoted + "*")
    if not positive:
        return ""
    expression = " AND ".join(positive)
    for term in negative:
        expression = f"({expression}) NOT {term}"
    return expression


def _postgres_query(query: str) -> str:
    """websearch syntax for PostgreSQL: words, "phrases" and -exclusions pass through."""
    parts = []
    for negated, text, phrase in _terms(query):
        parts.append(("-" if negated else "") + (f'"{text}"' if phrase else text))
    return " ".join(parts)


def search(queryset: QuerySet[Post], query: str) -> QuerySet[Post]:
    """Posts matching ``query`` in title or text; the queryset unchanged for an empty query."""
    if not query.strip():
        return queryset
    if connection.vendor == "postgresql":
        websearch = _postgres_query(query)
        if not websearch:
            return queryset.none()
        return queryset.extra(
            where=[
                "listening_post.search @@ (websearch_to_tsquery('finnish', %s)"
                " || websearch_to_tsquery('swedish', %s)"
                " || websearch_to_tsquery('english', %s))"
            ],
            params=[websearch, websearch, websearch],
        )
    expression = fts5_expression(query)
    if not expression:
        return queryset.none()
    return queryset.extra(
        where=[
            "listening_post.id IN (SELECT rowid FROM listening_post_fts"
            " WHERE listening_post_fts MATCH %s)"
        ],
        params=[expression],
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def filtered_posts(filters: PostFilters, base: QuerySet[Post] | None = None) -> QuerySet[Post]:
    """The posts list: filters first, then full-text search; newest first."""
    from datetime import timedelta

    queryset = base if base is not None else Post.objects.all()
    if filters.source:
        queryset = queryset.filter(source_id=filters.source)
    if filters.activism:
        queryset = queryset.filter(source__activisms=filters.activism)
    if filters.area:
        queryset = queryset.filter(source__activisms__areas=filters.area)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.platform:
        queryset = queryset.filter(platform=filters.platform)
    if filters.since:
        queryset = queryset.filter(created_at__gte=_day_start(filters.since))
    if filters.until:
        queryset = queryset.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    if filters.activism or filters.area:
        queryset = queryset.distinct()
    queryset = search(queryset, filters.q)
    return queryset.select_related("source").order_by("-created_at", "-pk")


EXPORT_COLUMNS = [
    "platform",
    "id",
    "author",
    "created_at",
    "language",
    "title",
    "text",
    "reply_to",
    "thread",
    "tags",
    "groups",
    "counts",
]
_MENTION = re.compile(r"(?<![\w@])@([\w.-]+(?:@[\w.-]+\.\w+)?)", re.UNICODE)


def redact_mentions(platform: str, text: str) -> str:
    """``@handle`` in a text becomes ``@`` and the handle's pseudonym (first 12 characters)."""
    from portaat.listening.privacy import pseudonymise

    return _MENTION.sub(lambda m: "@" + pseudonymise(platform, m.group(1))[:12], text)


def export_rows(queryset: QuerySet[Post]) -> Any:
    """Rows for researchers' exports: only pseudonyms — no handle (not even a public one: a
    researcher links posts by pseudonym), no post address and no platform id (both name the
    author on most platforms: …/users/maija/statuses/1), ``@mentions`` in texts pseudonymised.
    Post ids, reply and thread links are keyed hashes, so threads can still be followed."""
    import json

    from portaat.listening.privacy import pseudonymise

    def post_id(platform: str, remote_id: str) -> str:
        return pseudonymise(platform, "post:" + remote_id) if remote_id else ""

    for post in queryset.iterator(chunk_size=2000):
        yield {
            "platform": post.platform,
            "id": post_id(post.platform, post.remote_id),
            "author": post.author_pseudonym,
            "created_at": post.created_at.isoformat(),
            "language": post.language,
            "title": redact_mentions(post.platform, post.title),
            "text": redact_mentions(post.platform, post.text),
            "reply_to": post_id(post.platform, post.reply_to),
            "thread": post_id(post.platform, post.thread),
            "tags": " ".join(post.tags),
            "groups": " ".join(post.groups),
            "counts": json.dumps(post.counts, sort_keys=True),
        }
