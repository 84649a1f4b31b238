"""Store collected or imported posts: pseudonymised, deduplicated, counted for discovery.

One :class:`Ingestor` per run. ``add`` takes a batch and writes it with a handful of queries
(a lookup of what exists, one insert of what is new, a bulk update of changed counts,
discovery counters), inside the caller's transaction — the collection runner commits a page's
posts and its cursor together, an import commits the whole file at once.

This is the hot path of importing files of millions of posts (``benchmarks/ingest.py``), so the
posts are written with SQL on the ORM's own connection rather than through model instances:

- A row is a plain tuple of column values, prepared as Django would store them (JSON encoded
  with ``json.dumps``, times adapted by the backend's own ``adapt_datetimefield_value``).
  Building a ``Post`` per row and letting ``bulk_create`` compile it cost more than the insert.
- Authors recur (a file of a million posts has a few tens of thousands of authors), so their
  pseudonyms are remembered for the run instead of computing an HMAC per post.
- SQLite's full-text index (FTS5, fed by a trigger) writes out what it has buffered at the end
  of every statement. An INSERT per row — ``executemany``, or ``bulk_create``'s statements of
  ~50 rows — makes a tiny index segment per statement and then keeps merging them: 4–7 times
  slower than the same rows in one statement. A large batch is therefore put into a temporary
  staging table first (no indexes, no triggers) and moved into the posts with one
  ``INSERT … SELECT``.
- PostgreSQL loads a large batch with ``COPY``, its fastest way in (the text-search vector and
  its GIN index, computed by the server, are most of the cost).
- Inserts say ``ON CONFLICT (platform, remote_id) DO NOTHING``: the one conflict that may
  happen is a post stored meanwhile by a concurrent run, and the statement's row count says
  how many rows were really added.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from portaat.listening.connectors.base import RemotePost
from portaat.listening.models import Post, PublicAccount, Source, Suggestion, SuggestionKind
from portaat.listening.privacy import normalise_handle, pseudonym_key, pseudonymise
from portaat.listening.signals import posts_edited

MAX_REMOTE_ID = 500
#: Batches from this size on are bulk-loaded (COPY, or SQLite's staging table); smaller ones (a
#: page of a collection run) are one ``executemany``, where the set-up would cost more than it saves.
BULK_FROM = 200
#: Remote ids per lookup query (SQLite's default limit of parameters is 999 on old versions).
LOOKUP = 500
#: Pseudonyms remembered at most; past this the memory is emptied and refilled as authors recur,
#: so a run over millions of distinct authors stays in constant memory.
PSEUDONYM_CACHE = 100_000

#: The columns ``add`` writes, in the order of a row tuple. Every other column of Post must be
#: nullable or have a database default (checked by :func:`_sql`).
COLUMNS = (
    "platform",
    "remote_id",
    "source_id",
    "url",
    "author_pseudonym",
    "author_handle",
    "title",
    "text",
    "language",
    "created_at",
    "collected_at",
    "reply_to",
    "thread",
    "counts",
    "media_urls",
    "tags",
    "mentions",
    "groups",
)
STAGE = "portaat_post_stage"
PLATFORM, REMOTE_ID, TITLE, COUNTS = (
    COLUMNS.index(c) for c in ("platform", "remote_id", "title", "counts")
)

Row = tuple[Any, ...]


@dataclass
class IngestCounts:
    added: int = 0
    updated: int = 0
    deleted: int = 0

    def __iadd__(self, other: IngestCounts) -> IngestCounts:
        self.added += other.added
        self.updated += other.updated
        self.deleted += other.deleted
        return self


def stable_remote_id(remote_id: str) -> str:
    """Remote ids longer than the column are replaced by a digest (still unique, still stable)."""
    remote_id = remote_id.strip()
    if len(remote_id) <= MAX_REMOTE_ID:
        return remote_id
    return "sha256:" + hashlib.sha256(remote_id.encode()).hexdigest()


def _clip(value: str, size: int) -> str:
    return value if len(value) <= size else value[: size - 1] + "…"


def _primary_language(tag: str) -> str:
    """A tag such as "sv-FI" or "sv_FI" is stored as "sv": filters and analyses ask for that."""
    return tag.strip().replace("_", "-").split("-", 1)[0][:12].lower()


@dataclass(frozen=True)
class _Sql:
    """The statements that write posts, built once per process from the models' ``_meta``."""

    insert: str  # one row, for executemany; a conflict adds nothing
    copy: str  # PostgreSQL: COPY into the posts
    create_stage: str  # SQLite: the staging table, its filling (one row, for executemany) …
    fill_stage: str
    from_stage: str  # … its move into the posts, a conflict adding nothing, and its emptying
    clear_stage: str
    lookup: str  # what is stored of some remote ids of one platform
    count: str  # a suggestion's posts up by n, its last time and label set


@cache
def _sql(vendor: str) -> _Sql:
    # Only identifiers from _meta (quoted by the backend) are formatted into these statements;
    # every value is a parameter, hence the noqa S608s and nosec B608s.
    if vendor not in ("sqlite", "postgresql"):
        raise ImproperlyConfigured(f"Storing posts needs SQLite or PostgreSQL, not {vendor}.")
    meta = Post._meta
    for field in meta.concrete_fields:
        if field.attname in COLUMNS or field.primary_key:
            continue
        if not field.null and field.db_default is NOT_PROVIDED:
            # a new required column would make every insert fail: say where it is missing
            raise ImproperlyConfigured(f"listening.ingest.COLUMNS lacks Post.{field.attname}.")
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    c = {field.attname: quote(field.column) for field in meta.concrete_fields}
    names = ", ".join(c[name] for name in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    conflict = f"ON CONFLICT ({c['platform']}, {c['remote_id']}) DO NOTHING"
    gone = f"{c['deleted_upstream_at']} IS NOT NULL OR {c['text_removed_at']} IS NOT NULL"
    known = f"{c['remote_id']}, {c['id']}, {c['counts']}, {c['text']}, {c['title']}, {gone}"
    if vendor == "postgresql":
        # One probe of the unique index per id. A plain "remote_id IN (…)" is planned, while the
        # table has no statistics yet (a first big import, or right after one), as a scan of
        # all the platform's posts per query; LIMIT 1 keeps the planner from turning the probes
        # back into that join. Parameters: the ids (a list), the platform.
        lookup = (
            f"SELECT {known} FROM unnest(%s::text[]) AS wanted(given) CROSS JOIN LATERAL ("  # noqa: S608  # nosec B608
            f"SELECT * FROM {table} WHERE {c['platform']} = %s AND {c['remote_id']} = wanted.given "
            "LIMIT 1) AS post"
        )
    else:  # parameters: the platform, then the ids in place of {marks}
        lookup = f"SELECT {known} FROM {table} WHERE {c['platform']} = %s AND {c['remote_id']} IN ({{marks}})"  # noqa: S608  # nosec B608
    s = Suggestion._meta
    sc = {field.attname: quote(field.column) for field in s.concrete_fields}
    return _Sql(
        insert=f"INSERT INTO {table} ({names}) VALUES ({marks}) {conflict}",  # noqa: S608  # nosec B608
        copy=f"COPY {table} ({names}) FROM STDIN",
        create_stage=f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} AS SELECT {names} FROM {table} LIMIT 0",  # noqa: S608  # nosec B608
        fill_stage=f"INSERT INTO {STAGE} ({names}) VALUES ({marks})",  # noqa: S608  # nosec B608
        # "WHERE true" keeps SQLite from reading ON CONFLICT as a join's constraint
        from_stage=f"INSERT INTO {table} ({names}) SELECT {names} FROM {STAGE} WHERE true {conflict}",  # noqa: S608  # nosec B608
        clear_stage=f"DELETE FROM {STAGE}",  # noqa: S608  # nosec B608
        lookup=lookup,
        count=(
            f"UPDATE {quote(s.db_table)} SET {sc['posts']} = {sc['posts']} + %s, "  # noqa: S608  # nosec B608
            f"{sc['last_seen']} = %s, {sc['label']} = %s WHERE {sc['id']} = %s"
        ),
    )


@dataclass
class _New:
    """A post to store: its row, and what discovery counts of it."""

    row: Row
    post: RemotePost
    mentions: list[str]  # as stored: pseudonyms unless public


@dataclass
class _Known:
    """What the database holds of a post already stored."""

    pk: int
    counts: Any  # the stored JSON (text), or a dict where the driver decoded it
    text: str
    title: str
    gone: bool  # deleted upstream or text removed by retention: never brought back


class Ingestor:
    """Writes batches of :class:`RemotePost` for one source (``None`` for sourceless imports)."""

    def __init__(self, source: Source | None, platform: str) -> None:
        self.source = source
        self.platform = platform
        self.key = pseudonym_key()
        self.public = {
            (p, normalise_handle(h))
            for p, h in PublicAccount.objects.values_list("platform", "handle")
        }
        self.min_posts = settings.PORTAAT_DISCOVERY_MIN_POSTS
        self.counts = IngestCounts()
        self.sql = _sql(connection.vendor)
        self.postgres = connection.vendor == "postgresql"
        # looked up once: through the thread-local connection proxy it costs a third of a row
        self.adapt_time = connection.ops.adapt_datetimefield_value
        # (platform, handle as given) -> (pseudonym, whether the account is public)
        self._pseudonyms: dict[tuple[str, str], tuple[str, bool]] = {}

    # -- posts ---------------------------------------------------------------------------------

    def _person(self, platform: str, handle: str) -> tuple[str, bool]:
        """An author's or mentioned account's pseudonym, and whether the account is public."""
        found = self._pseudonyms.get((platform, handle))
        if found is None:
            normalised = normalise_handle(handle)
            pseudonym = pseudonymise(platform, normalised, self.key) if normalised else ""
            found = (pseudonym, (platform, normalised) in self.public)
            if len(self._pseudonyms) >= PSEUDONYM_CACHE:
                self._pseudonyms.clear()
            self._pseudonyms[(platform, handle)] = found
        return found

    def _row(self, post: RemotePost, collected_at: Any) -> _New:
        platform = post.platform or self.platform
        pseudonym, public = self._person(platform, post.author_handle)
        mentions: list[str] = []
        for mention in post.mentions:
            if mention:
                stored, public_mention = self._person(platform, mention)
                mentions.append(mention if public_mention else stored)
        mentions = mentions[:50]
        created: Any = post.created_at
        if created.tzinfo is None:  # the ORM's way: a warning, and the current time zone
            created = Post._meta.get_field("created_at").get_db_prep_save(created, connection)
        else:
            created = self.adapt_time(created)
        counts = post.counts
        row = (
            platform,
            stable_remote_id(post.remote_id),
            self.source.pk if self.source else None,
            post.url if len(post.url) <= 1000 else "",
            pseudonym,
            _clip(post.author_handle.strip(), 300) if public else "",
            _clip(post.title, 500),
            post.text,
            _primary_language(post.language),
            created,
            collected_at,
            stable_remote_id(post.reply_to) if post.reply_to else "",
            stable_remote_id(post.thread) if post.thread else "",
            json.dumps(counts) if counts else "{}",
            json.dumps([u for u in post.media_urls if len(u) <= 1000][:20])
            if post.media_urls
            else "[]",
            json.dumps(post.tags[:50]) if post.tags else "[]",
            json.dumps(mentions) if mentions else "[]",
            json.dumps(post.groups[:10]) if post.groups else "[]",
        )
        return _New(row, post, mentions)

    def add(self, posts: Sequence[RemotePost]) -> IngestCounts:
        """Insert new posts, refresh counts and edited texts of known ones; returns the counts."""
        result = IngestCounts()
        collected_at = self.adapt_time(timezone.now())
        rows: dict[tuple[str, str], _New] = {}
        for post in posts:  # a post twice in a batch is stored once
            new = self._row(post, collected_at)
            rows[(new.row[PLATFORM], new.row[REMOTE_ID])] = new
        if not rows:
            return result
        existing = self._existing(rows)
        fresh = [new for key, new in rows.items() if key not in existing]
        changed = []
        edited = []
        for key, known in existing.items():
            new = rows[key]
            if known.gone:
                continue
            post = new.post
            title = new.row[TITLE]
            if post.text != known.text or title != known.title:
                edited.append(known.pk)
            if post.text != known.text or title != known.title or not _same_counts(new, known):
                changed.append(Post(pk=known.pk, counts=post.counts, text=post.text, title=title))
        # the caller's transaction, or one of its own when there is none (a batch is stored
        # whole or not at all, and the COPY's savepoint needs a transaction)
        with transaction.atomic(savepoint=False):
            if fresh:
                result.added = self._insert([new.row for new in fresh])
            if changed:
                Post.objects.bulk_update(changed, ["counts", "text", "title"], batch_size=200)
            if edited:
                posts_edited.send(sender=Post, post_ids=edited)
            result.updated = len(changed)
            # a post a concurrent run stored in between is counted here too: at worst a hashtag
            # counts one post more, which discovery (a threshold on frequent keys) tolerates
            self._discover(fresh)
        self.counts += result
        return result

    def _existing(self, rows: dict[tuple[str, str], _New]) -> dict[tuple[str, str], _Known]:
        by_platform: dict[str, list[str]] = {}
        for platform, remote_id in rows:
            by_platform.setdefault(platform, []).append(remote_id)
        found: dict[tuple[str, str], _Known] = {}
        with connection.cursor() as cursor:
            for platform, ids in by_platform.items():
                if self.postgres:
                    cursor.execute(self.sql.lookup, [ids, platform])
                    results = cursor.fetchall()
                else:
                    results = []
                    for start in range(0, len(ids), LOOKUP):
                        chunk = ids[start : start + LOOKUP]
                        marks = ", ".join(["%s"] * len(chunk))
                        cursor.execute(self.sql.lookup.format(marks=marks), [platform, *chunk])
                        results += cursor.fetchall()
                for remote_id, pk, counts, text, title, gone in results:
                    found[(platform, remote_id)] = _Known(pk, counts, text, title, bool(gone))
        return found

    def _insert(self, rows: list[Row]) -> int:
        """Insert the rows; returns how many were added (a conflict adds nothing)."""
        sql = self.sql
        if len(rows) >= BULK_FROM and self.postgres:
            try:
                # These rows were not there at the lookup a moment ago, so COPY them straight
                # in. If a concurrent run stored one since, the unique index refuses the COPY,
                # the savepoint takes it back, and the batch goes in row by row below.
                with (
                    transaction.atomic(),
                    connection.wrap_database_errors,
                    connection.cursor() as cursor,
                    cursor.cursor.copy(sql.copy) as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
                return len(rows)
            except IntegrityError:
                pass
        with connection.cursor() as cursor:
            if len(rows) < BULK_FROM or self.postgres:
                cursor.executemany(sql.insert, rows)
                return int(cursor.rowcount)
            cursor.execute(sql.create_stage)
            cursor.executemany(sql.fill_stage, rows)
            cursor.execute(sql.from_stage)
            added = int(cursor.rowcount)
            # the stage holds post texts: empty it now, not when the connection closes
            cursor.execute(sql.clear_stage)
        return added

    def delete(self, remote_ids: Iterable[str], platform: str | None = None) -> int:
        """Posts deleted upstream: text, title, media and author go; a tombstone stays so the
        post is not collected again from an older page or file."""
        ids = [stable_remote_id(r) for r in remote_ids if r]
        if not ids:
            return 0
        count = 0
        for start in range(0, len(ids), 500):
            count += Post.objects.filter(
                platform=platform or self.platform,
                remote_id__in=ids[start : start + 500],
                deleted_upstream_at__isnull=True,
            ).update(
                text="",
                title="",
                url="",
                media_urls=[],
                mentions=[],
                author_handle="",
                deleted_upstream_at=timezone.now(),
            )
        self.counts.deleted += count
        return count

    # -- discovery -------------------------------------------------------------------------------

    def _discover(self, fresh: list[_New]) -> None:
        """Count hashtags, groups and mentioned accounts of new posts (each once per post)."""
        counter: Counter[tuple[str, str, str]] = Counter()
        handles: dict[tuple[str, str, str], str] = {}
        newest: dict[tuple[str, str, str], datetime] = {}
        for new in fresh:
            raw, platform = new.post, new.row[PLATFORM]
            if not (raw.tags or raw.groups or new.mentions):
                continue
            keys: set[tuple[str, str, str]] = set()
            for tag in raw.tags:
                keys.add((SuggestionKind.HASHTAG, platform, tag.lower()[:300]))
            for group in raw.groups:
                keys.add((SuggestionKind.GROUP, platform, group.strip()[:300]))
            for mention, stored in zip([m for m in raw.mentions if m], new.mentions, strict=False):
                account = (str(SuggestionKind.ACCOUNT), platform, stored[:300])
                handles[account] = normalise_handle(mention)[:300]
                keys.add(account)
            for key in keys:  # a tag used twice in one post counts once
                counter[key] += 1
                if key not in newest or raw.created_at > newest[key]:
                    newest[key] = raw.created_at
        if not counter:
            return
        known: dict[tuple[str, str, str], Suggestion] = {}
        for kind in {k[0] for k in counter}:
            wanted = [k[2] for k in counter if k[0] == kind]
            for start in range(0, len(wanted), 500):
                for found in Suggestion.objects.filter(
                    kind=kind, key__in=wanted[start : start + 500]
                ):
                    known[(found.kind, found.platform, found.key)] = found
        create: list[Suggestion] = []
        update: list[tuple[int, Any, str, int]] = []
        for key, count in counter.items():
            kind, platform, value = key
            suggestion = known.get(key)
            total = count + (suggestion.posts if suggestion else 0)
            # an account's handle is kept only once it is evidently public (it recurs)
            name_it = kind == SuggestionKind.ACCOUNT and total >= self.min_posts
            label = handles.get(key, "") if name_it else ""
            if suggestion is None:
                create.append(
                    Suggestion(
                        kind=kind,
                        platform=platform,
                        key=value,
                        label=value if kind != SuggestionKind.ACCOUNT else label,
                        posts=count,
                        first_seen=newest[key],
                        last_seen=newest[key],
                    )
                )
                continue
            if label and not suggestion.label:
                suggestion.label = label
            last_seen = max(suggestion.last_seen, newest[key])
            update.append((count, self.adapt_time(last_seen), suggestion.label, suggestion.pk))
        if create:
            Suggestion.objects.bulk_create(create, batch_size=500, ignore_conflicts=True)
        if update:  # bulk_update would compile a CASE per suggestion and batch: slower than this
            with connection.cursor() as cursor:
                cursor.executemany(self.sql.count, update)


def _same_counts(new: _New, known: _Known) -> bool:
    """Whether the stored counts equal the post's. The JSON text is compared first (SQLite
    keeps what was written); PostgreSQL's jsonb reorders keys, so the decoded values decide."""
    stored = known.counts
    if isinstance(stored, str):
        if stored == new.row[COUNTS]:
            return True
        stored = json.loads(stored)
    return bool(stored == new.post.counts)
