"""Live Bluesky: the followed accounts' posts from Jetstream, committed batch by batch.

Sources of platform Bluesky, kind account, with "follow live" ticked are followed; their DIDs
are resolved once (handles change, DIDs do not) and kept on the source. Each batch is committed
with the stream's cursor (``time_us``) on every live source, in one transaction, so a restarted
process resumes from the oldest committed cursor (minus Jetstream's recommended rewind).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, transaction

from portaat.listening.collect import new_http
from portaat.listening.connectors.base import ConnectorError, RemotePost
from portaat.listening.connectors.bluesky import resolve_did
from portaat.listening.connectors.bluesky.connector import PUBLIC_APPVIEW
from portaat.listening.connectors.bluesky.jetstream import JetstreamFilter, stream
from portaat.listening.ingest import Ingestor
from portaat.listening.models import Source, SourceKind, SourcePlatform

log = logging.getLogger(__name__)


def live_sources() -> list[Source]:
    return list(
        Source.objects.filter(
            platform=SourcePlatform.BLUESKY, kind=SourceKind.ACCOUNT, live=True, paused=False
        ).order_by("pk")
    )


def resolve_dids(sources: list[Source]) -> dict[str, Source]:
    """``{did: source}``; a handle that cannot be resolved now is skipped (and logged)."""
    by_did: dict[str, Source] = {}
    with new_http() as http:
        for source in sources:
            if not source.did:
                try:
                    source.did = resolve_did(source.target, http, source.base_url or PUBLIC_APPVIEW)
                except ConnectorError as exc:
                    log.warning("jetstream: cannot resolve %s: %s", source.target, exc)
                    continue
                Source.objects.filter(pk=source.pk).update(did=source.did)
            by_did.setdefault(source.did, source)
    return by_did


class Committer:
    """``on_batch`` for the stream: posts and deletions go to their sources' rows."""

    def __init__(self, by_did: dict[str, Source]) -> None:
        self.by_did = by_did
        self.ingestors = {did: Ingestor(source, "bluesky") for did, source in by_did.items()}
        self.batches = 0

    def __call__(self, posts: list[RemotePost], deleted: list[str], cursor_us: int) -> None:
        grouped: dict[str, list[RemotePost]] = defaultdict(list)
        for post in posts:
            grouped[post.author_handle].append(post)
        with transaction.atomic():
            for did, items in grouped.items():
                if did in self.ingestors:
                    self.ingestors[did].add(items)
            if deleted:
                next(iter(self.ingestors.values())).delete(deleted, platform="bluesky")
            Source.objects.filter(pk__in=[s.pk for s in self.by_did.values()]).update(
                stream_cursor=cursor_us
            )
        self.batches += 1


async def _follow(
    url: str, committer: Committer, cursor: int | None, seconds: float | None
) -> None:
    stop = asyncio.Event()
    filt = JetstreamFilter(set(committer.by_did))
    # the ORM may not run inside the event loop's thread: commits go to one worker thread (one
    # database connection), and the stream waits for each commit before it reads on
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="jetstream-commit") as pool:

        def commit(posts: list[RemotePost], deleted: list[str], cursor_us: int) -> None:
            pool.submit(committer, posts, deleted, cursor_us).result()

        if seconds is not None:
            asyncio.get_running_loop().call_later(seconds, stop.set)
        try:
            await stream(url, filt, cursor, commit, stop_event=stop)
        finally:
            pool.submit(close_old_connections).result()


def follow(url: str | None = None, seconds: float | None = None) -> Committer | None:
    """Follow Jetstream until interrupted (or for ``seconds``); None when nothing is live."""
    by_did = resolve_dids(live_sources())
    if not by_did:
        return None
    cursors = [s.stream_cursor for s in by_did.values() if s.stream_cursor]
    cursor = min(cursors) if cursors else None
    committer = Committer(by_did)
    asyncio.run(_follow(url or settings.PORTAAT_JETSTREAM_URL, committer, cursor, seconds))
    return committer
