"""The Bluesky AppView connector against recorded XRPC responses served by a real local server.

Fixtures follow the lexicons: ``app.bsky.feed.getAuthorFeed`` (``feed`` of
``app.bsky.feed.defs#feedViewPost``, ``reason`` ``#reasonRepost``), ``app.bsky.feed.searchPosts``
(``posts`` of ``#postView``, ``hitsTotal``) and ``com.atproto.server.createSession``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portaat.listening.connectors import connector_for
from portaat.listening.connectors.base import ConnectorError, Page, RemotePost, SourceSpec
from portaat.listening.connectors.bluesky import BlueskyConnector, connector, resolve_did
from portaat.listening.connectors.http import Http
from tests.listening.replay import ReplayServer, replay

FIXTURES = Path(connector.__file__).parent / "fixtures"
FEED = "/xrpc/app.bsky.feed.getAuthorFeed"
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
SESSION = "/xrpc/com.atproto.server.createSession"
KALLIO = "did:plc:f7qcaj6xubr7m2gmqf3vfx2q"
KUMPULA = "did:plc:227r667jy7t5uxkyruz7ksa4"
HSL = "did:plc:4gmsgcmx7mbxp3twhfmhrtmy"
RESIDENT = "did:plc:6oinamkbvtxyysi7dl3zg4pf"
POST_A = f"at://{KALLIO}/app.bsky.feed.post/3lkfqz4hbcs2x"
POST_C = f"at://{KALLIO}/app.bsky.feed.post/3lkdz7rlyhs2u"
POST_D = f"at://{KALLIO}/app.bsky.feed.post/3lk7wz3cqxc2t"
POST_E = f"at://{KALLIO}/app.bsky.feed.post/3lk3nq5uhvs2f"
POST_F = f"at://{KALLIO}/app.bsky.feed.post/3lkhd4x2mhc2b"
HSL_POST = f"at://{HSL}/app.bsky.feed.post/3lkeyb6wfq22k"
PAGE2 = "2025-03-13T19:20:44.001Z"
PAGE3 = "2025-03-09T12:00:00.000Z"

FEED_ROUTES: list[dict[str, Any]] = [
    {"path": FEED, "query": {"actor": "kallioseura.bsky.social"}, "absent": ["cursor"]}
    | {"file": "author_feed_page1.json"},
    {"path": FEED, "query": {"cursor": PAGE2}, "file": "author_feed_page2.json"},
    {"path": FEED, "query": {"cursor": PAGE3}, "file": "author_feed_page3.json"},
]
SEARCH_ROUTES: list[dict[str, Any]] = [
    {
        "path": SEARCH,
        "query": {"q": "Hakaniemi"},
        "absent": ["cursor"],
        "file": "search_page1.json",
    },
    {"path": SEARCH, "query": {"q": "Hakaniemi", "cursor": "3"}, "file": "search_page2.json"},
]


@pytest.fixture(autouse=True)
def _no_cached_sessions() -> Iterator[None]:
    connector._SESSIONS.clear()
    yield
    connector._SESSIONS.clear()


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def http() -> Http:
    return Http(allow_private=True, sleep=lambda s: None)


def account(server: ReplayServer, **options: Any) -> SourceSpec:
    return SourceSpec(
        "bluesky", "account", "@kallioseura.bsky.social", base_url=server.url, options=options
    )


def search(server: ReplayServer, **options: Any) -> SourceSpec:
    return SourceSpec(
        "bluesky", "search", "Hakaniemi", base_url=server.url, options={"limit": 3, **options}
    )


def run(spec: SourceSpec, cursor: dict[str, Any] | None = None) -> list[Page]:
    with http() as client:
        return list(BlueskyConnector().pages(spec, cursor or {}, client))


def ids(pages: list[Page]) -> list[str]:
    return [post.remote_id for page in pages for post in page.posts]


def by_id(pages: list[Page]) -> dict[str, RemotePost]:
    return {post.remote_id: post for page in pages for post in page.posts}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# -- mapping and pagination ----------------------------------------------------------------------


def test_registry_loads_the_connector() -> None:
    instance = connector_for("bluesky")
    assert isinstance(instance, BlueskyConnector)
    assert instance.platform == "bluesky"
    assert instance.kinds == ("account", "search")


def test_author_feed_maps_every_field_and_pages_to_the_end() -> None:
    with replay(FEED_ROUTES, FIXTURES) as server:
        pages = run(account(server))
        queries = [r.query for r in server.requests]
    assert [page.more for page in pages] == [True, True, False]
    assert queries[0] == {"actor": "kallioseura.bsky.social", "limit": "100"}
    assert [q.get("cursor") for q in queries] == [None, PAGE2, PAGE3]
    # the repost of HSL's post is not the account's own words: left out by default
    assert ids(pages) == [POST_A, POST_C, POST_D, POST_E]
    posts = by_id(pages)

    a = posts[POST_A]
    assert a.url == f"https://bsky.app/profile/{KALLIO}/post/3lkfqz4hbcs2x"
    assert a.author_handle == KALLIO
    assert a.text.startswith("Brahenkentän yhteisöpuutarhan kasvulaatikot jaetaan")
    assert a.text.endswith("#Kallio #yhteisöpuutarha")
    assert a.title == ""
    assert a.language == "fi"
    assert a.created_at == datetime(2025, 3, 14, 16, 42, 10, 512000, tzinfo=UTC)
    assert a.created_at.utcoffset() is not None and a.created_at.utcoffset().total_seconds() == 0
    assert (a.reply_to, a.thread) == ("", "")
    assert a.counts == {"replies": 3, "reposts": 5, "likes": 27, "quotes": 1}
    assert a.media_urls == [
        f"https://cdn.bsky.app/img/feed_fullsize/plain/{KALLIO}/"
        "bafkreiyezis4kboalhit32fwerpr3xnurxhyskq2blv2sa3snsmo6ab3l4@jpeg",
        f"https://cdn.bsky.app/img/feed_fullsize/plain/{KALLIO}/"
        "bafkreip3x7xmnbhj5ni7xro6jpfmcsztnltg7rn7ocofd33rqong54p64c@jpeg",
    ]
    assert a.tags == ["kallio", "yhteisöpuutarha"]
    assert a.mentions == [KUMPULA]
    assert a.groups == []

    c = posts[POST_C]
    question = f"at://{RESIDENT}/app.bsky.feed.post/3lkdwpe2nbk2o"
    assert (c.reply_to, c.thread) == (question, question)
    assert c.language == "fi"  # the first of ["fi", "sv"]
    assert c.media_urls == ["https://www.hel.fi/fi/uutiset/kallion-asukasilta"]
    assert c.tags == [] and c.mentions == []
    assert c.counts == {"replies": 0, "reposts": 1, "likes": 6, "quotes": 0}

    d = posts[POST_D]
    assert d.language == "sv"
    assert d.tags == ["talkoot", "berghäll", "stadsodling"]  # facets first, then record.tags
    assert d.media_urls == [  # the images of a quote-with-media, not the quoted post
        f"https://cdn.bsky.app/img/feed_fullsize/plain/{KALLIO}/"
        "bafkreiml5iqka67jbooh2khcmzjl7gdrfmtoqjxht7omhtvaz7ly3p3b3b@jpeg"
    ]

    e = posts[POST_E]
    assert e.language == ""  # no langs in the record
    assert e.media_urls == []  # a bare quote is another post, not media
    assert (
        e.text
        == "Kevätkokous to 27.3. klo 18 Kalliolan setlementillä 🌱 Esityslista tulee viikkoa ennen."
    )
    assert e.created_at == datetime(2025, 3, 9, 12, 0, tzinfo=UTC)


def test_reposts_are_collected_when_asked() -> None:
    with replay(FEED_ROUTES, FIXTURES) as server:
        pages = run(account(server, include_reposts=True))
    assert ids(pages) == [POST_A, HSL_POST, POST_C, POST_D, POST_E]
    repost = by_id(pages)[HSL_POST]
    assert repost.author_handle == HSL  # the original author, not the account that reposted
    assert repost.media_urls == ["https://www.hsl.fi/matkustaminen/liikennetiedotteet"]


def test_a_did_target_is_sent_as_is() -> None:
    routes = [{"path": FEED, "query": {"actor": KALLIO}, "file": "author_feed_page3.json"}]
    with replay(routes, FIXTURES) as server:
        spec = SourceSpec("bluesky", "account", KALLIO, base_url=server.url)
        pages = run(spec)
    assert len(pages) == 1 and pages[0].posts == [] and pages[0].more is False
    assert pages[0].cursor == {}  # nothing seen yet: the next run is a first run again


def test_search_maps_and_pages() -> None:
    with replay(SEARCH_ROUTES, FIXTURES) as server:
        pages = run(search(server))
        queries = [r.query for r in server.requests]
    assert queries[0] == {"q": "Hakaniemi", "sort": "latest", "limit": "3"}
    assert queries[1]["cursor"] == "3"
    assert [page.more for page in pages] == [True, False]
    assert len(ids(pages)) == 5
    posts = list(by_id(pages).values())
    first, swedish, reply, video, late_clock = posts
    assert first.author_handle == RESIDENT
    assert first.tags == ["hakaniemi", "helsinki"]
    assert first.counts == {"replies": 2, "reposts": 1, "likes": 8, "quotes": 0}
    assert first.media_urls[0].startswith("https://cdn.bsky.app/img/feed_fullsize/plain/")
    assert swedish.language == "sv"
    assert swedish.tags == ["hagnäs", "hakaniemi"]
    assert reply.mentions == [RESIDENT]
    assert reply.reply_to == f"at://{RESIDENT}/app.bsky.feed.post/3lkea3jz2gk2w"
    assert reply.thread == f"at://{RESIDENT}/app.bsky.feed.post/3lke7vqm6ts2k"
    assert video.media_urls == [
        "https://video.bsky.app/watch/did:plc:6dhgxcdo2osf6edk4hhldb3s/"
        "bafkreiyezis4kboalhit32fwerpr3xnurxhyskq2blv2sa3snsmo6ab3l4/playlist.m3u8"
    ]
    assert late_clock.created_at == at("2025-03-10T15:04:30.000Z")  # as the author's client said


def test_search_passes_the_language_option() -> None:
    routes = [{"path": SEARCH, "query": {"lang": "fi"}, "file": "search_page2.json"}]
    with replay(routes, FIXTURES) as server:
        run(search(server, lang="fi"))
        assert server.requests[0].query["lang"] == "fi"


# -- the run cursor ----------------------------------------------------------------------------


def test_first_run_backfill_is_bounded() -> None:
    with replay(FEED_ROUTES, FIXTURES) as server:
        pages = run(account(server, backfill_pages=1))
        assert len(server.requests) == 1
    assert [page.more for page in pages] == [False]
    assert ids(pages) == [POST_A, POST_C]
    assert pages[-1].cursor["hwm"] == at("2025-03-14T16:42:10.512Z").isoformat()


def test_incremental_runs_fetch_only_newer_posts_then_nothing() -> None:
    with replay(FEED_ROUTES, FIXTURES) as server:
        first = run(account(server))
    committed = first[-1].cursor
    assert set(committed) == {"hwm", "edge"}
    assert POST_A in committed["edge"]

    newer = [{"path": FEED, "absent": ["cursor"], "file": "author_feed_new.json"}, *FEED_ROUTES[1:]]
    with replay(newer, FIXTURES) as server:
        second = run(account(server), committed)
        assert len(server.requests) == 1  # stopped at what the first run saw
    assert ids(second) == [POST_F]
    assert second[-1].more is False
    assert second[-1].cursor["hwm"] == at("2025-03-15T08:30:00.000Z").isoformat()

    with replay(newer, FIXTURES) as server:
        third = run(account(server), second[-1].cursor)
        assert len(server.requests) == 1
    assert ids(third) == []
    assert third[-1].cursor["hwm"] == second[-1].cursor["hwm"]


def _post_like(view: dict[str, Any], rkey: str, created: str, indexed: str) -> dict[str, Any]:
    clone = copy.deepcopy(view)
    clone["uri"] = f"at://{KALLIO}/app.bsky.feed.post/{rkey}"
    clone["record"]["createdAt"] = created
    clone["record"]["text"] = f"Uusi julkaisu {rkey}"
    clone["indexedAt"] = indexed
    return clone


def test_a_post_indexed_late_below_the_high_water_mark_is_still_collected() -> None:
    with replay(FEED_ROUTES, FIXTURES) as server:
        committed = run(account(server))[-1].cursor
    body = fixture("author_feed_new.json")
    late = _post_like(
        body["feed"][0]["post"], "3lkfpw2ak7s2z", "2025-03-14T16:38:00.000Z", "2025-03-14T16:55:00Z"
    )
    body["feed"].insert(2, {"post": late})  # sorted by its createdAt, below post A
    with replay([{"path": FEED, "absent": ["cursor"], "body": body}]) as server:
        pages = run(account(server), committed)
    assert ids(pages) == [POST_F, late["uri"]]


def test_an_old_post_dated_in_the_future_does_not_end_the_walk() -> None:
    with replay(SEARCH_ROUTES, FIXTURES) as server:
        committed = run(search(server))[-1].cursor
    assert committed["hwm"] == at("2025-03-14T18:05:31.227Z").isoformat()
    body = fixture("search_page1.json")
    first, *rest = body["posts"]
    future = copy.deepcopy(first)  # indexed two weeks ago, its client's clock says 2030
    future["uri"] = f"at://{RESIDENT}/app.bsky.feed.post/3ljnq5dsw2k2e"
    future["record"]["createdAt"] = "2030-01-01T00:00:00.000Z"
    future["indexedAt"] = "2025-03-01T10:00:00.000Z"
    new = copy.deepcopy(first)
    new["uri"] = f"at://{RESIDENT}/app.bsky.feed.post/3lkhg6qv2zc2f"
    new["record"]["createdAt"] = new["indexedAt"] = "2025-03-15T09:00:00.000Z"
    page = {"cursor": "3", "hitsTotal": 7, "posts": [future, new, first, *rest]}
    with replay([{"path": SEARCH, "absent": ["cursor"], "body": page}]) as server:
        pages = run(search(server), committed)
        assert len(server.requests) == 1
    assert ids(pages) == [new["uri"]]
    assert pages[-1].cursor["hwm"] == at("2025-03-15T09:00:00.000Z").isoformat()


@pytest.mark.parametrize("kind", ["account", "search"])
def test_cursor_rule_on_a_first_run(kind: str) -> None:
    routes = FEED_ROUTES if kind == "account" else SEARCH_ROUTES
    with replay(routes, FIXTURES) as server:
        spec = account(server) if kind == "account" else search(server)
        uninterrupted = run(spec)
        with http() as client:
            walk = BlueskyConnector().pages(spec, {}, client)
            page1 = next(walk)
            walk.close()  # killed after committing page 1
            assert page1.more is True
            resumed = list(BlueskyConnector().pages(spec, page1.cursor, client))
    assert set(ids([page1, *resumed])) == set(ids(uninterrupted))
    assert resumed[-1].cursor == uninterrupted[-1].cursor


def test_cursor_rule_on_an_incremental_run() -> None:
    with replay(FEED_ROUTES, FIXTURES) as server:
        committed = run(account(server))[-1].cursor
    template = fixture("author_feed_new.json")
    new = [
        _post_like(template["feed"][0]["post"], rkey, created, created)
        for rkey, created in [
            ("3lkhq2c4fos2a", "2025-03-15T14:00:00.000Z"),
            ("3lkhlxvr3ts2d", "2025-03-15T12:00:00.000Z"),
            ("3lkhd4x2mhc2b", "2025-03-15T08:30:00.000Z"),
        ]
    ]
    top = {"feed": [{"post": new[0]}, {"post": new[1]}], "cursor": "2025-03-15T12:00:00.000Z"}
    rest = {"feed": [{"post": new[2]}, *template["feed"][1:]], "cursor": PAGE2}
    routes = [
        {"path": FEED, "absent": ["cursor"], "body": top},
        {"path": FEED, "query": {"cursor": "2025-03-15T12:00:00.000Z"}, "body": rest},
        *FEED_ROUTES[1:],
    ]
    with replay(routes) as server:
        uninterrupted = run(account(server), committed)
        with http() as client:
            walk = BlueskyConnector().pages(account(server), committed, client)
            page1 = next(walk)
            walk.close()
            resumed = list(BlueskyConnector().pages(account(server), page1.cursor, client))
        assert all(r.query.get("cursor") != PAGE2 for r in server.requests)  # never walked past
    assert ids(uninterrupted) == [n["uri"] for n in new]
    assert set(ids([page1, *resumed])) == set(ids(uninterrupted))
    assert resumed[-1].cursor["hwm"] == at("2025-03-15T14:00:00.000Z").isoformat()
    assert resumed[-1].cursor == uninterrupted[-1].cursor


# -- failures ----------------------------------------------------------------------------------


def _broken(**changes: Any) -> dict[str, Any]:
    body = fixture("author_feed_page1.json")
    post = body["feed"][0]["post"]
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        target = post
        for key in parents:
            target = target[key]
        if value is None:
            del target[leaf]
        else:
            target[leaf] = value
    return body


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("<!doctype html><html><body>Bad gateway</body></html>", {"Content-Type": "text/html"}),
        ({"posts": []}, {}),  # a search answer where a feed was asked for
        ({"feed": {"post": {}}}, {}),
        ([], {}),
        ({"feed": ["not a feed item"]}, {}),
        ({"feed": [{}]}, {}),
        ({"feed": [], "cursor": 25}, {}),
        (_broken(record__text=None), {}),
        (_broken(uri=None), {}),
        (_broken(uri="https://bsky.app/profile/x/post/y"), {}),
        (_broken(author__did=None), {}),
        (_broken(indexedAt="yesterday"), {}),
        (_broken(record="just text"), {}),
    ],
)
def test_malformed_responses(body: Any, headers: dict[str, str]) -> None:
    routes = [{"path": FEED, "body": body, "headers": headers}]
    with replay(routes) as server, pytest.raises(ConnectorError) as caught:
        run(account(server))
    assert caught.value.code == "malformed"


def test_unreadable_created_at_falls_back_to_indexed_at() -> None:
    body = _broken(record__createdAt="eilen illalla")
    with replay([{"path": FEED, "body": body}]) as server:
        pages = run(account(server, backfill_pages=1))
    assert by_id(pages)[POST_A].created_at == at("2025-03-14T16:42:11.204Z")


def test_rate_limited_with_retry_after() -> None:
    routes = [{"path": SEARCH, "status": 429, "headers": {"Retry-After": "30"}, "body": {}}]
    with replay(routes) as server, pytest.raises(ConnectorError) as caught:
        run(search(server))
    assert caught.value.code == "rate_limited"
    assert caught.value.retry_after == 30.0


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [
        (400, {"error": "InvalidRequest", "message": "Profile not found"}, "not_found"),
        (400, {"error": "AccountTakedown", "message": "Account has been taken down"}, "not_found"),
        (400, {"error": "BlockedActor", "message": "Requester has blocked actor"}, "unauthorised"),
        (
            400,
            {"error": "InvalidRequest", "message": "Error: limit must be <= 100"},
            "invalid_source",
        ),
        (400, "<html>Bad request</html>", "malformed"),
        (400, {"message": "no error name"}, "malformed"),
        (401, {"error": "AuthMissing", "message": "Authentication Required"}, "unauthorised"),
        (403, {"error": "Forbidden"}, "unauthorised"),
        (404, {"error": "XRPCNotSupported"}, "not_found"),
        (502, "upstream", "unavailable"),
    ],
)
def test_xrpc_errors(status: int, body: Any, code: str) -> None:
    routes = [{"path": FEED, "status": status, "body": body}]
    with replay(routes) as server, pytest.raises(ConnectorError) as caught:
        run(account(server))
    assert caught.value.code == code


def test_search_bad_query_string_is_an_invalid_source() -> None:
    body = {"error": "BadQueryString", "message": "Malformed query"}
    routes = [{"path": SEARCH, "status": 400, "body": body}]
    with replay(routes) as server, pytest.raises(ConnectorError) as caught:
        run(search(server))
    assert caught.value.code == "invalid_source"


GOOD = SourceSpec("bluesky", "account", "kallioseura.bsky.social")


@pytest.mark.parametrize(
    "spec",
    [
        SourceSpec("mastodon", "account", "kallioseura.bsky.social"),
        SourceSpec("bluesky", "hashtag", "kallio"),
        SourceSpec("bluesky", "account", ""),
        SourceSpec("bluesky", "account", "@"),
        SourceSpec("bluesky", "account", "kallioseura"),  # a handle is a domain name
        SourceSpec("bluesky", "account", "kallio seura.bsky.social"),
        SourceSpec("bluesky", "account", "did:plc"),
        SourceSpec("bluesky", "search", "   "),
        SourceSpec("bluesky", "search", "x" * 501),
        SourceSpec("bluesky", "account", "kallioseura.bsky.social", base_url="bsky.app"),
        SourceSpec("bluesky", "search", "Kallio", credentials={"identifier": "me.bsky.social"}),
        SourceSpec("bluesky", "search", "Kallio", credentials={"app_password": "abcd-efgh"}),
        SourceSpec("bluesky", "account", "kallioseura.bsky.social", options={"backfill_pages": 0}),
        SourceSpec(
            "bluesky", "account", "kallioseura.bsky.social", options={"backfill_pages": "5"}
        ),
        SourceSpec("bluesky", "account", "kallioseura.bsky.social", options={"max_pages": True}),
        SourceSpec("bluesky", "search", "Kallio", options={"limit": 101}),
        SourceSpec("bluesky", "search", "Kallio", options={"lang": "suomeksi!"}),
        SourceSpec("bluesky", "search", "Kallio", options={"pds": "ftp://bsky.social"}),
        SourceSpec("bluesky", "account", "kallioseura.bsky.social", options={"include_reposts": 1}),
    ],
)
def test_check_rejects_bad_specs(spec: SourceSpec) -> None:
    with pytest.raises(ConnectorError) as caught:
        BlueskyConnector().check(spec)
    assert caught.value.code == "invalid_source"


@pytest.mark.parametrize(
    "spec",
    [
        GOOD,
        SourceSpec("bluesky", "account", "@KallioSeura.bsky.social"),
        SourceSpec("bluesky", "account", "hel.fi"),
        SourceSpec("bluesky", "account", KALLIO),
        SourceSpec("bluesky", "account", "did:web:kallioseura.fi"),
        SourceSpec("bluesky", "search", "Hakaniemi tori", options={"lang": "sv-FI", "limit": 50}),
        SourceSpec(
            "bluesky",
            "search",
            "Kallio",
            credentials={"identifier": "me.bsky.social", "app_password": "abcd-efgh-ijkl-mnop"},
        ),
    ],
)
def test_check_accepts_good_specs(spec: SourceSpec) -> None:
    BlueskyConnector().check(spec)


def test_no_request_for_a_bad_spec() -> None:
    with replay(FEED_ROUTES, FIXTURES) as server:
        spec = SourceSpec("bluesky", "account", "kallioseura", base_url=server.url)
        with pytest.raises(ConnectorError):
            run(spec)
        assert server.requests == []


# -- app passwords -----------------------------------------------------------------------------

CREDENTIALS = {"identifier": "kuuntelu-helsinki.bsky.social", "app_password": "vx3k-9qpt-w2mz-h7rd"}


def _bearer() -> str:
    return "Bearer " + fixture("create_session.json")["accessJwt"]


def authed_search(server: ReplayServer) -> SourceSpec:
    # base_url points nowhere: signed-in requests go to the PDS, which proxies to its AppView
    return SourceSpec(
        "bluesky",
        "search",
        "Hakaniemi",
        base_url="http://127.0.0.1:9",
        credentials=CREDENTIALS,
        options={"limit": 3, "pds": server.url},
    )


def test_search_with_an_app_password() -> None:
    routes: list[dict[str, Any]] = [
        {"method": "POST", "path": SESSION, "file": "create_session.json"},
        {"path": SEARCH, "status": 403, "body": {"error": "Forbidden"}},
        *[route | {"when": {"authorization": _bearer()}} for route in SEARCH_ROUTES],
    ]
    with replay(routes, FIXTURES) as server:
        pages = run(authed_search(server))
        again = run(authed_search(server))
        methods = [(r.method, r.path) for r in server.requests]
    assert len(ids(pages)) == 5 and ids(again) == ids(pages)
    # one session for both runs (createSession is rate limited per account)
    assert methods == [("POST", SESSION)] + [("GET", SEARCH)] * 4


def test_a_wrong_app_password_is_unauthorised() -> None:
    body = {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
    routes = [{"method": "POST", "path": SESSION, "status": 401, "body": body}]
    with replay(routes) as server, pytest.raises(ConnectorError) as caught:
        run(authed_search(server))
    assert caught.value.code == "unauthorised"


def test_an_expired_cached_session_is_renewed_once() -> None:
    routes: list[dict[str, Any]] = [
        {"method": "POST", "path": SESSION, "file": "create_session.json"},
        {"path": SEARCH, "status": 400, "body": {"error": "ExpiredToken", "message": "expired"}},
        *[route | {"when": {"authorization": _bearer()}} for route in SEARCH_ROUTES],
    ]
    with replay(routes, FIXTURES) as server:
        key = (server.url, CREDENTIALS["identifier"])
        connector._SESSIONS[key] = ("stale.token.value", 4102444800.0)
        pages = run(authed_search(server))
        auth = [(r.method, r.headers.get("authorization", "")) for r in server.requests]
    assert len(ids(pages)) == 5
    assert auth[:3] == [("GET", "Bearer stale.token.value"), ("POST", ""), ("GET", _bearer())]


def test_a_fresh_session_refused_is_not_retried() -> None:
    routes: list[dict[str, Any]] = [
        {"method": "POST", "path": SESSION, "file": "create_session.json"},
        {"path": SEARCH, "status": 401, "body": {"error": "AuthMissing"}},
    ]
    with replay(routes, FIXTURES) as server:
        with pytest.raises(ConnectorError) as caught:
            run(authed_search(server))
        assert [r.method for r in server.requests] == ["POST", "GET"]
    assert caught.value.code == "unauthorised"


def test_resolve_did() -> None:
    path = "/xrpc/com.atproto.identity.resolveHandle"
    routes = [
        {"path": path, "query": {"handle": "kallioseura.bsky.social"}, "body": {"did": KALLIO}}
    ]
    with replay(routes) as server, http() as client:
        assert resolve_did("@KallioSeura.bsky.social", client, server.url) == KALLIO
        assert resolve_did(KALLIO, client, server.url) == KALLIO
        assert len(server.requests) == 1
