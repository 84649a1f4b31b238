"""Jetstream: the filter on a recorded capture, and the client against a real WebSocket server.

``fixtures/jetstream_capture.jsonl`` is written in Jetstream's event format (compact Go-struct
JSON, ``did``/``time_us``/``kind`` first, records with sorted keys, ``&`` as ``\\u0026``): posts in
fi/sv/en/ja, likes, a follow, a repost, deletes, identity and account events, from followed and
unfollowed accounts. The local server replays it as Jetstream does: it honours
``wantedCollections``, ``wantedDids`` and ``cursor`` (events with ``time_us >= cursor``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from websockets.asyncio.server import ServerConnection, serve

from portaat.listening.connectors.base import RemotePost
from portaat.listening.connectors.bluesky import jetstream
from portaat.listening.connectors.bluesky.jetstream import JetstreamFilter, stream, subscribe_url

CAPTURE = Path(jetstream.__file__).parent / "fixtures" / "jetstream_capture.jsonl"
LINES = CAPTURE.read_text().splitlines()
EVENTS = [json.loads(line) for line in LINES]
POST = "app.bsky.feed.post"

KALLIO = "did:plc:f7qcaj6xubr7m2gmqf3vfx2q"
HAGNAS = "did:plc:44ye36t2fmr47lbbhqxmq4vq"
KUMPULA = "did:plc:227r667jy7t5uxkyruz7ksa4"
UNFOLLOWED = "did:plc:dlbhxx7dmjra37e6ogxxjpuj"
FOLLOWED = {KALLIO, HAGNAS, KUMPULA}
HSL = "did:plc:4gmsgcmx7mbxp3twhfmhrtmy"


def uri(did: str, rkey: str) -> str:
    return f"at://{did}/{POST}/{rkey}"


KEPT = [
    uri(KALLIO, "3lkfr2aaxvs2k"),  # fi, images, tags, mention
    uri(HAGNAS, "3lkfr2hsknc2y"),  # sv
    uri(HAGNAS, "3lkfr2uwbe22r"),  # sv-FI reply
    uri(KUMPULA, "3lkfr34fgls2h"),  # no langs: kept
    uri(HAGNAS, "3lkfr2hsknc2y"),  # the sv post again, updated
    uri(KUMPULA, "3lkfr3dvcq22b"),  # fi, link card, record.tags
    uri(KALLIO, "3lkfr3k2ncs2v"),  # fi reply with '&' (escaped by Jetstream)
    uri(HAGNAS, "3lkfr3ourm22w"),  # ["en", "sv"]
]
DELETED = [uri(KALLIO, "3lkdz7rlyhs2u")]


def outcome(result: RemotePost | str | None) -> Any:
    return dataclasses.asdict(result) if isinstance(result, RemotePost) else result


def run_filter(filt: JetstreamFilter, lines: list[str]) -> tuple[list[RemotePost], list[str]]:
    posts: list[RemotePost] = []
    deleted: list[str] = []
    for line in lines:
        result = filt.process(line)
        if isinstance(result, str):
            deleted.append(result)
        elif result is not None:
            posts.append(result)
    return posts, deleted


# -- the filter --------------------------------------------------------------------------------


def test_filter_keeps_exactly_the_followed_posts_in_finnish_and_swedish() -> None:
    filt = JetstreamFilter(FOLLOWED)
    posts, deleted = run_filter(filt, LINES)
    assert [p.remote_id for p in posts] == KEPT
    assert deleted == DELETED
    assert (filt.seen, filt.kept, filt.deletions, filt.malformed) == (len(LINES), 8, 1, 0)
    assert filt.last_time_us == EVENTS[-1]["time_us"]  # moved by every event, kept or not


def test_filter_maps_a_post_as_the_appview_connector_does() -> None:
    posts, _ = run_filter(JetstreamFilter(FOLLOWED), LINES)
    first, *_ = posts
    assert first.url == f"https://bsky.app/profile/{KALLIO}/post/3lkfr2aaxvs2k"
    assert first.author_handle == KALLIO
    assert first.text.startswith("Kallion kirjaston edessä on huomenna korjaamo")
    assert first.language == "fi"
    assert first.created_at == datetime(2025, 3, 14, 13, 0, 0, 400000, tzinfo=UTC)
    assert first.tags == ["kallio", "korjaamo"]
    assert first.mentions == [KUMPULA]
    assert first.media_urls == [
        f"https://cdn.bsky.app/img/feed_fullsize/plain/{KALLIO}/"
        "bafkreiyezis4kboalhit32fwerpr3xnurxhyskq2blv2sa3snsmo6ab3l4@jpeg"
    ]
    assert first.counts == {} and first.title == "" and first.groups == []
    by_rkey = {p.remote_id.rsplit("/", 1)[1]: p for p in posts}
    reply = by_rkey["3lkfr2uwbe22r"]
    assert reply.language == "sv-FI"
    assert reply.reply_to == reply.thread == uri(KALLIO, "3lkfr2aaxvs2k")
    assert by_rkey["3lkfr34fgls2h"].language == ""
    card = by_rkey["3lkfr3dvcq22b"]
    assert card.media_urls == ["https://kumpulankylapuutarha.fi/palstat"]
    assert card.tags == ["kumpula", "kaupunkiviljely"]
    tram = by_rkey["3lkfr3k2ncs2v"]
    assert "Ratikka 3 & 9" in tram.text
    assert tram.mentions == [HSL] and tram.tags == ["ratikka"]
    assert by_rkey["3lkfr3ourm22w"].language == "en"  # the first of langs, as the AppView maps
    assert by_rkey["3lkfr2hsknc2y"].text.endswith("Sibeliusmonumentet.")  # the update came last


def test_languages_and_unlabelled_posts() -> None:
    strict = JetstreamFilter(FOLLOWED, keep_unlabelled=False)
    assert uri(KUMPULA, "3lkfr34fgls2h") not in [p.remote_id for p in run_filter(strict, LINES)[0]]
    finnish = JetstreamFilter(FOLLOWED, languages={"FI"})
    kept = [p.remote_id for p in run_filter(finnish, LINES)[0]]
    assert uri(HAGNAS, "3lkfr2uwbe22r") in kept  # ["sv-FI", "fi"]
    assert uri(HAGNAS, "3lkfr2hsknc2y") not in kept
    every = JetstreamFilter(FOLLOWED, languages=())
    kept = [p.remote_id for p in run_filter(every, LINES)[0]]
    assert uri(KUMPULA, "3lkfr2qhzjc2d") in kept  # English
    assert uri(KALLIO, "3lkfr36j3wc2p") in kept  # Japanese


def _variants(line: str) -> list[str | bytes]:
    """The same event in forms the cheap check must not misjudge."""
    event = json.loads(line)
    reordered = dict(reversed(list(event.items())))  # record (with its own "did"s) first
    return [
        line,
        line.encode(),
        " " + line,
        json.dumps(event),  # ", " and ": " separators
        json.dumps(event, indent=2, ensure_ascii=True),
        json.dumps(reordered, separators=(",", ":"), ensure_ascii=False),
        line.replace('{"did":"did:', '{"did":"\\u0064id:', 1),  # an escaped character
        line.replace(',"time_us":', ',"time_us" :', 1),
    ]


@pytest.mark.parametrize("followed", [FOLLOWED, {UNFOLLOWED}, {KALLIO}, set()])
def test_cheap_rejection_agrees_with_the_full_parse_on_every_form(followed: set[str]) -> None:
    fast, full = JetstreamFilter(followed), JetstreamFilter(followed)
    for line in LINES:
        for variant in _variants(line):
            assert outcome(fast.process(variant)) == outcome(full.process_parsed(variant)), variant
            assert fast.last_time_us == full.last_time_us == json.loads(line)["time_us"]
    assert fast.malformed == full.malformed == 0


def test_cheap_rejection_skips_the_parse_only_for_unfollowed_accounts() -> None:
    parsed: list[str] = []

    class Counting(JetstreamFilter):
        def process_parsed(self, message: str | bytes) -> RemotePost | str | None:
            parsed.append(str(message))
            return super().process_parsed(message)

    run_filter(Counting(FOLLOWED), LINES)
    assert parsed == [
        line for line, event in zip(LINES, EVENTS, strict=True) if event["did"] in FOLLOWED
    ]


def test_a_followed_post_is_kept_whatever_it_mentions_first() -> None:
    record = {
        "$type": POST,
        "createdAt": "2025-03-14T13:30:00.000Z",
        "facets": [
            {
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": UNFOLLOWED}],
                "index": {"byteEnd": 13, "byteStart": 0},
            }
        ],
        "langs": ["fi"],
        "text": "@sky-watcher kiitos kuvista!",
    }
    commit = {"rev": "3lkft2", "operation": "create", "collection": POST, "rkey": "3lkft2aaa"}
    commit |= {
        "record": record,
        "cid": "bafyreie4djrrtpopvrkdfp5hz7yviejrpcoubywvl5nhukjmjfl6p2a45c",
    }
    message = json.dumps(
        {"commit": commit, "kind": "commit", "time_us": 1741958000000000, "did": KALLIO},
        separators=(",", ":"),
    )
    result = JetstreamFilter({KALLIO}).process(message)
    assert isinstance(result, RemotePost) and result.remote_id == uri(KALLIO, "3lkft2aaa")
    assert result.mentions == [UNFOLLOWED]


JUNK: list[str | bytes] = [
    "",
    "not json at all",
    "[1, 2, 3]",
    '{"did":',
    b"\xff\xfe\x00",
    "[" * 100_000,
    f'{{"did":"{KALLIO}","time_us":"soon","kind":"commit"}}',
    f'{{"did":"{KALLIO}","time_us":1741957203000000,"kind":"commit","commit":"create"}}',
    f'{{"did":"{KALLIO}","time_us":1741957203000000,"kind":"commit","commit":{{"rev":"3lkfr3","operation":"create","collection":"{POST}","rkey":"3lkfr3zz"}}}}',
    f'{{"did":"{KALLIO}","time_us":1741957203000000,"kind":"commit","commit":{{"rev":"3lkfr3","operation":"create","collection":"{POST}","rkey":"3lkfr3zz","record":{{"$type":"{POST}","langs":["fi"],"createdAt":"2025-03-14T13:00:03Z"}}}}}}',
    f'{{"did":"{KALLIO}","time_us":1741957203000000,"kind":"commit","commit":{{"operation":"delete","collection":"{POST}","rkey":""}}}}',
]


def test_malformed_messages_are_counted_and_never_raise() -> None:
    filt = JetstreamFilter(FOLLOWED)
    for junk in JUNK:
        assert filt.process(junk) is None
    assert filt.malformed == len(JUNK)
    posts, deleted = run_filter(filt, LINES)  # and the filter goes on as before
    assert [p.remote_id for p in posts] == KEPT and deleted == DELETED


def test_subscribe_url() -> None:
    url = subscribe_url("wss://jetstream2.us-east.bsky.network/", {KUMPULA, KALLIO}, 1741957200)
    parts = urlsplit(url)
    assert parts.path == "/subscribe"
    assert parse_qs(parts.query) == {
        "wantedCollections": [POST],
        "wantedDids": sorted({KUMPULA, KALLIO}),
        "cursor": ["1741957200"],
    }
    assert subscribe_url("ws://127.0.0.1:1/subscribe", {KALLIO}, None).count("/subscribe") == 1
    many = {f"did:plc:{i:024d}" for i in range(jetstream.MAX_WANTED_DIDS + 1)}
    assert "wantedDids" not in subscribe_url("wss://x", many, None)


# -- the client against a real WebSocket server ---------------------------------------------------


class Jetstream:
    """Replays the capture as Jetstream would; ``drop_after`` ends the first connection early."""

    def __init__(
        self, *, drop_after: int | None = None, junk: dict[int, list[str | bytes]] | None = None
    ) -> None:
        self.drop_after = drop_after
        self.junk = junk or {}
        self.queries: list[dict[str, list[str]]] = []
        self.done_at: int | None = None  # time_us of the last event the server will send

    def _wanted(self, query: dict[str, list[str]]) -> list[tuple[int, str]]:
        cursor = int(query["cursor"][0]) if "cursor" in query else None
        collections = set(query.get("wantedCollections", []))
        dids = set(query.get("wantedDids", []))
        wanted = []
        for index, (line, event) in enumerate(zip(LINES, EVENTS, strict=True)):
            if cursor is not None and event["time_us"] < cursor:
                continue
            if dids and event["did"] not in dids:
                continue
            commit = event.get("commit", {})
            if collections and commit and commit["collection"] not in collections:
                continue
            wanted.append((index, line))
        return wanted

    async def handler(self, websocket: ServerConnection) -> None:
        assert websocket.request is not None
        query = parse_qs(urlsplit(websocket.request.path).query)
        self.queries.append(query)
        wanted = self._wanted(query)
        if wanted:
            self.done_at = EVENTS[wanted[-1][0]]["time_us"]
        for sent, (index, line) in enumerate(wanted, start=1):
            for frame in self.junk.get(index, []):
                await websocket.send(frame)
            await websocket.send(line)
            if self.drop_after is not None and len(self.queries) == 1 and sent >= self.drop_after:
                await websocket.close(1011, "restarting")
                return
        await websocket.wait_closed()


Batches = list[tuple[list[RemotePost], list[str], int]]


async def _serve(
    server: Jetstream,
    body: Callable[[str], Awaitable[None]],
    port: int = 0,
) -> None:
    async with serve(server.handler, "127.0.0.1", port) as websocket_server:
        bound = next(iter(websocket_server.sockets)).getsockname()[1]
        await body(f"ws://127.0.0.1:{bound}")


async def _follow(
    url: str,
    server: Jetstream,
    filt: JetstreamFilter,
    cursor: int | None,
    batches: Batches,
    *,
    fail_on_call: int | None = None,
    batch_size: int = 2,
    flush_seconds: float = 0.05,
) -> None:
    stop = asyncio.Event()

    def commit(posts: list[RemotePost], deleted: list[str], cursor_us: int) -> None:
        if fail_on_call is not None and len(batches) + 1 == fail_on_call:
            raise Killed  # the process dies before this batch is committed
        batches.append((list(posts), list(deleted), cursor_us))
        if server.done_at is not None and cursor_us >= server.done_at:
            stop.set()

    await asyncio.wait_for(
        stream(
            url,
            filt,
            cursor,
            commit,
            stop_event=stop,
            batch_size=batch_size,
            flush_seconds=flush_seconds,
            backoff_initial=0.01,
            backoff_max=0.05,
        ),
        timeout=15,
    )


class Killed(Exception):
    pass


def kept(batches: Batches) -> tuple[set[str], set[str]]:
    posts = {p.remote_id for batch in batches for p in batch[0]}
    deleted = {d for batch in batches for d in batch[1]}
    return posts, deleted


def uninterrupted() -> Batches:
    batches: Batches = []
    server = Jetstream()

    async def body(url: str) -> None:
        await _follow(url, server, JetstreamFilter(FOLLOWED), None, batches)

    asyncio.run(_serve(server, body))
    return batches


def test_the_client_subscribes_with_wanted_collections_and_dids_and_commits_in_order() -> None:
    batches: Batches = []
    server = Jetstream()

    async def body(url: str) -> None:
        await _follow(url, server, JetstreamFilter(FOLLOWED), None, batches)

    asyncio.run(_serve(server, body))
    assert server.queries == [{"wantedCollections": [POST], "wantedDids": sorted(FOLLOWED)}]
    assert kept(batches) == (set(KEPT), set(DELETED))
    assert [p.remote_id for batch in batches for p in batch[0]] == KEPT
    cursors = [batch[2] for batch in batches]
    assert cursors == sorted(cursors)
    assert cursors[-1] == server.done_at
    for posts, _deleted, cursor_us in batches:  # each batch's cursor is its last event's time
        times = [p.created_at.timestamp() for p in posts]
        assert all(t * 1_000_000 <= cursor_us for t in times)


def test_a_restart_resumes_from_the_committed_cursor() -> None:
    first: Batches = []
    second: Batches = []
    server = Jetstream()

    async def body(url: str) -> None:
        with pytest.raises(Killed):
            await _follow(url, server, JetstreamFilter(FOLLOWED), None, first, fail_on_call=3)
        assert len(first) == 2
        committed = first[-1][2]
        await _follow(url, server, JetstreamFilter(FOLLOWED), committed, second)

    asyncio.run(_serve(server, body))
    committed = first[-1][2]
    assert server.queries[1]["cursor"] == [str(committed - 3_000_000)]  # a small rewind
    assert server.queries[1]["wantedDids"] == sorted(FOLLOWED)
    assert KEPT[0] not in kept(second)[0]  # resumed, not replayed from the start
    posts, deleted = kept(first + second)
    assert (posts, deleted) == kept(uninterrupted())
    assert posts == set(KEPT) and deleted == set(DELETED)


def test_a_dropped_connection_reconnects_from_the_last_commit() -> None:
    batches: Batches = []
    server = Jetstream(drop_after=5)

    async def body(url: str) -> None:
        await _follow(url, server, JetstreamFilter(FOLLOWED), 1741957100000000, batches)

    asyncio.run(_serve(server, body))
    assert len(server.queries) == 2
    assert server.queries[0]["cursor"] == [str(1741957100000000 - 3_000_000)]
    # the five events sent before the drop (lines 0, 2, 6, 8, 9: the server filters) were
    # committed when the connection ended, so the second connection starts just before line 9
    assert server.queries[1]["cursor"] == [str(EVENTS[9]["time_us"] - 3_000_000)]
    assert kept(batches) == (set(KEPT), set(DELETED))


def test_malformed_frames_are_skipped_and_counted_in_the_stream() -> None:
    batches: Batches = []
    server = Jetstream(junk={2: JUNK[:6], 6: JUNK[6:]})  # before lines it sends
    filt = JetstreamFilter(FOLLOWED)

    async def body(url: str) -> None:
        await _follow(url, server, filt, None, batches)

    asyncio.run(_serve(server, body))
    assert filt.malformed == len(JUNK)
    assert len(server.queries) == 1  # never reconnected because of them
    assert kept(batches) == (set(KEPT), set(DELETED))


def test_more_than_ten_thousand_dids_are_filtered_on_the_client_only() -> None:
    batches: Batches = []
    server = Jetstream()
    many = FOLLOWED | {f"did:plc:{i:024d}" for i in range(jetstream.MAX_WANTED_DIDS)}

    async def body(url: str) -> None:
        await _follow(url, server, JetstreamFilter(many), None, batches)

    asyncio.run(_serve(server, body))
    assert server.queries == [{"wantedCollections": [POST]}]
    assert kept(batches) == (set(KEPT), set(DELETED))


def test_the_client_waits_for_a_server_that_is_down() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    batches: Batches = []
    server = Jetstream()

    async def body() -> None:
        client = asyncio.create_task(
            _follow(f"ws://127.0.0.1:{port}", server, JetstreamFilter(FOLLOWED), None, batches)
        )
        await asyncio.sleep(0.3)  # refused, retried with backoff
        assert not client.done() and batches == []

        async def wait_for_client(url: str) -> None:
            await client

        await _serve(server, wait_for_client, port)

    asyncio.run(body())
    assert kept(batches) == (set(KEPT), set(DELETED))


def test_stop_event_ends_the_stream_promptly_and_commits_what_was_read() -> None:
    batches: Batches = []
    server = Jetstream()

    async def body(url: str) -> None:
        stop = asyncio.Event()

        def commit(posts: list[RemotePost], deleted: list[str], cursor_us: int) -> None:
            batches.append((list(posts), list(deleted), cursor_us))
            stop.set()

        started = time.monotonic()
        await asyncio.wait_for(
            stream(
                url,
                JetstreamFilter(FOLLOWED),
                None,
                commit,
                stop_event=stop,
                batch_size=1,
                flush_seconds=30,
            ),
            timeout=10,
        )
        assert time.monotonic() - started < 5

    asyncio.run(_serve(server, body))
    assert batches and batches[0][0][0].remote_id == KEPT[0]


def test_stream_refuses_what_cannot_work() -> None:
    async def attempt(url: str, dids: set[str]) -> None:
        await stream(url, JetstreamFilter(dids), None, lambda *a: None, stop_event=asyncio.Event())

    with pytest.raises(ValueError):
        asyncio.run(attempt("https://jetstream2.us-east.bsky.network", FOLLOWED))
    with pytest.raises(ValueError):
        asyncio.run(attempt("wss://jetstream2.us-east.bsky.network", set()))
