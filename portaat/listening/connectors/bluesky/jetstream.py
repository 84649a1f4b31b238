"""Bluesky live: followed accounts' posts within seconds, from Jetstream's JSON event stream.

Jetstream turns the AT Protocol firehose into one JSON object per WebSocket message::

    {"did": "did:plc:…", "time_us": 1741957200000000, "kind": "commit",
     "commit": {"rev": "…", "operation": "create", "collection": "app.bsky.feed.post",
                "rkey": "3lkf…", "record": {"$type": "app.bsky.feed.post", "text": "…", …},
                "cid": "bafyrei…"}}

plus ``"kind": "identity"`` (handle changes) and ``"kind": "account"`` (activation, takedown)
events, which this listener does not need. ``time_us`` (Unix microseconds) is the cursor.

:class:`JetstreamFilter` decides per message, synchronously and without I/O, so the same code
runs in the client and in ``benchmarks/jetstream.py``:

- a post (``create``/``update``) by a followed DID whose ``record.langs`` intersect the wanted
  languages → :class:`RemotePost` (mapped as the AppView connector maps it);
  languages compare by primary subtag, so ``sv-FI`` is Swedish;
- a post without ``langs`` (older and third-party clients, bots, cross-posters) from a followed
  account is kept (``keep_unlabelled=True``): the account was chosen by a person, and dropping
  its unlabelled posts would lose them silently; its ``language`` is "";
- a ``delete`` of a followed DID's post → its ``at://`` URI (a ``str``): a deletion;
- everything else → ``None``.

Cheap rejection, and why it never drops a wanted event. Jetstream writes every event as a Go
struct, compact, ``did`` first and ``time_us`` second. When a message *starts* with
``{"did":"<X>","time_us":<digits>,`` where X has no quote or backslash, then X is exactly the
value of the top-level ``did`` member (no escape can make the raw text differ from the decoded
value, and no other member can come first), so a message whose X is not followed is one the full
path would reject too; it is rejected after a regular-expression match instead of a full parse.
Any message not of that form (other key order, whitespace, escapes) takes the full path. The one
assumption is that an object does not repeat its ``did`` member, which RFC 8259 leaves undefined
and Jetstream never does. ``tests/listening/connectors/test_jetstream.py`` checks the cheap and
the full path agree on every capture line and on reordered, pretty-printed and escaped variants.
A line rejected cheaply is not inspected further, so ``malformed`` counts only lines of followed
accounts or of unexpected form.

:func:`stream` is the client: it subscribes with ``wantedCollections=app.bsky.feed.post`` and
``wantedDids`` (Jetstream filters on the server for up to ``MAX_WANTED_DIDS`` = 10,000 DIDs;
with more the query leaves ``wantedDids`` out, the server sends every post and the filter does
all the work), commits through ``on_batch`` and reconnects with backoff. A (re)connection
resumes from the last committed cursor minus ``rewind_seconds``, as Jetstream's documentation
recommends for gapless playback; the few events seen twice are harmless (posts are unique per
remote id).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from json import loads
from typing import Any
from urllib.parse import urlencode, urlsplit

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from portaat.listening.connectors.base import ConnectorError, RemotePost
from portaat.listening.connectors.bluesky.mapping import POST_COLLECTION, post_from_record, post_uri

log = logging.getLogger(__name__)

MAX_WANTED_DIDS = 10_000
MAX_MESSAGE_BYTES = 8 * 1024 * 1024

# the whole proof of the cheap rejection rests on this being anchored at the message's start
_HEAD = re.compile(r'\{"did":"([^"\\]*)","time_us":([0-9]{1,19}),')

OnBatch = Callable[[list[RemotePost], list[str], int], object]


class JetstreamFilter:
    """Keeps followed accounts' posts in the wanted languages, and their deletions.

    ``languages`` empty keeps every language. Counters (``seen``, ``kept``, ``deletions``,
    ``malformed``) are for logs and health pages; ``last_time_us`` is the ``time_us`` of the last
    message that had a readable one, i.e. the cursor after it.
    """

    def __init__(
        self,
        dids: Iterable[str],
        languages: Iterable[str] = frozenset({"fi", "sv"}),
        *,
        keep_unlabelled: bool = True,
    ) -> None:
        self.dids = frozenset(dids)
        self.languages = frozenset(lang.lower() for lang in languages)
        self.keep_unlabelled = keep_unlabelled
        self.last_time_us: int | None = None
        self.seen = 0
        self.kept = 0
        self.deletions = 0
        self.malformed = 0

    def process(self, message: str | bytes) -> RemotePost | str | None:
        """One raw message → a post to keep, the URI of a deleted post, or None. Never raises."""
        self.seen += 1
        if not isinstance(message, str):
            try:
                message = bytes(message).decode("utf-8")
            except (UnicodeDecodeError, TypeError):
                self.malformed += 1
                return None
        head = _HEAD.match(message)
        if head is not None and head.group(1) not in self.dids:
            self.last_time_us = int(head.group(2))
            return None
        return self.process_parsed(message)

    def process_parsed(self, message: str | bytes) -> RemotePost | str | None:
        """The full path: parse, then decide (``process`` without the cheap rejection)."""
        try:
            event = loads(message)
        except (ValueError, RecursionError):
            self.malformed += 1
            return None
        if not isinstance(event, dict):
            self.malformed += 1
            return None
        time_us, did = event.get("time_us"), event.get("did")
        if type(time_us) is not int or time_us < 0 or not isinstance(did, str):
            self.malformed += 1
            return None
        self.last_time_us = time_us
        if did not in self.dids or event.get("kind") != "commit":
            return None
        commit = event.get("commit")
        if not isinstance(commit, dict):
            self.malformed += 1
            return None
        if commit.get("collection") != POST_COLLECTION:
            return None
        rkey = commit.get("rkey")
        if not isinstance(rkey, str) or not rkey or "/" in rkey:
            self.malformed += 1
            return None
        operation = commit.get("operation")
        if operation == "delete":
            self.deletions += 1
            return post_uri(did, rkey)
        if operation != "create" and operation != "update":
            return None
        record = commit.get("record")
        if not isinstance(record, dict):
            self.malformed += 1
            return None
        if not self._wanted_language(record.get("langs")):
            return None
        try:
            post = post_from_record(
                did, rkey, record, fallback_time=lambda: datetime.fromtimestamp(time_us / 1e6, UTC)
            )
        except ConnectorError:
            self.malformed += 1
            return None
        self.kept += 1
        return post

    def _wanted_language(self, langs: Any) -> bool:
        if not self.languages:
            return True
        if not isinstance(langs, list) or not langs:
            return self.keep_unlabelled
        for lang in langs:
            if isinstance(lang, str) and lang.partition("-")[0].lower() in self.languages:
                return True
        return False


def subscribe_url(url: str, dids: Iterable[str], cursor_us: int | None) -> str:
    """``<url>/subscribe?wantedCollections=…&wantedDids=…&cursor=…`` for Jetstream."""
    base = url.rstrip("/")
    if not base.endswith("/subscribe"):
        base += "/subscribe"
    wanted = sorted(dids)
    query = [("wantedCollections", POST_COLLECTION)]
    if len(wanted) <= MAX_WANTED_DIDS:
        query += [("wantedDids", did) for did in wanted]
    if cursor_us is not None:
        query.append(("cursor", str(cursor_us)))
    return f"{base}?{urlencode(query)}"


async def stream(
    url: str,
    filter: JetstreamFilter,
    cursor_us: int | None,
    on_batch: OnBatch,
    *,
    stop_event: asyncio.Event,
    batch_size: int = 100,
    flush_seconds: float = 2.0,
    rewind_seconds: float = 3.0,
    backoff_initial: float = 1.0,
    backoff_max: float = 60.0,
    open_timeout: float = 10.0,
) -> None:
    """Follow Jetstream at ``url`` (``wss://jetstream2.us-east.bsky.network``) until stopped.

    ``on_batch(posts, deleted, cursor_us)`` commits; ``cursor_us`` is the ``time_us`` of the last
    event the batch covers (kept or not), so a quiet stream still moves the cursor: a batch is
    flushed at ``batch_size`` kept items, every ``flush_seconds`` when anything moved, when the
    connection ends and when ``stop_event`` is set. ``cursor_us`` None starts at the live tail.
    An exception from ``on_batch`` ends the stream (the caller restarts from what it committed).
    ``filter.last_time_us`` is reset: the filter's counters go on across calls.
    """
    if urlsplit(url).scheme not in ("ws", "wss"):
        raise ValueError(f"not a ws(s) address: {url}")
    if not filter.dids:
        raise ValueError("no DIDs to follow")

    rewind_us = round(rewind_seconds * 1_000_000)
    committed = cursor_us
    delay = backoff_initial
    filter.last_time_us = None
    while not stop_event.is_set():
        resume = None if committed is None else max(0, committed - rewind_us)
        target = subscribe_url(url, filter.dids, resume)
        received = False
        try:
            websocket = await connect(target, open_timeout=open_timeout, max_size=MAX_MESSAGE_BYTES)
        except (OSError, TimeoutError, WebSocketException) as exc:
            log.warning("jetstream: cannot connect to %s: %s", url, exc)
        else:
            try:
                committed, received = await _consume(
                    websocket, filter, committed, on_batch, stop_event, batch_size, flush_seconds
                )
            finally:
                await websocket.close()
            if not stop_event.is_set():
                log.info("jetstream: connection to %s ended; cursor %s", url, committed)
        if received:
            delay = backoff_initial
        if stop_event.is_set():
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop_event.wait(), timeout=delay)
        delay = min(delay * 2, backoff_max)


async def _consume(
    websocket: Any,
    filter: JetstreamFilter,
    committed: int | None,
    on_batch: OnBatch,
    stop_event: asyncio.Event,
    batch_size: int,
    flush_seconds: float,
) -> tuple[int | None, bool]:
    """Read until the connection ends; returns (the cursor committed last, got any message)."""
    loop = asyncio.get_running_loop()
    process = filter.process
    posts: list[RemotePost] = []
    deleted: list[str] = []
    last = committed
    received = False
    watcher = asyncio.create_task(_close_when(stop_event, websocket))
    deadline = loop.time() + flush_seconds
    try:
        while True:
            message: str | bytes | None = None
            try:
                async with asyncio.timeout_at(deadline):
                    message = await websocket.recv()
            except TimeoutError:
                pass
            except ConnectionClosed:
                break
            if message is not None:
                received = True
                result = process(message)
                if result is not None:
                    if isinstance(result, str):
                        deleted.append(result)
                    else:
                        posts.append(result)
                if filter.last_time_us is not None:
                    last = filter.last_time_us
                if len(posts) + len(deleted) < batch_size and loop.time() < deadline:
                    continue
            if last is not None and (posts or deleted or last != committed):
                on_batch(posts, deleted, last)
                committed, posts, deleted = last, [], []
            deadline = loop.time() + flush_seconds
    finally:
        watcher.cancel()
    if last is not None and (posts or deleted or last != committed):
        on_batch(posts, deleted, last)
        committed = last
    return committed, received


async def _close_when(stop_event: asyncio.Event, websocket: Any) -> None:
    await stop_event.wait()
    await websocket.close()
