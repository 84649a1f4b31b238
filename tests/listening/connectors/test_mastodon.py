"""Mastodon connector against recorded Mastodon API responses replayed over a real socket."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portaat.listening.connectors import connector_for
from portaat.listening.connectors.base import ConnectorError, Page, SourceSpec
from portaat.listening.connectors.http import Http
from portaat.listening.connectors.mastodon import MastodonConnector
from tests.listening.replay import ReplayServer, replay

FIXTURES = Path(__file__).resolve().parents[3] / "portaat/listening/connectors/mastodon/fixtures"

ACCOUNT_ID = "109384756102938475"
STATUSES = f"/api/v1/accounts/{ACCOUNT_ID}/statuses"
TAG = "/api/v1/timelines/tag/raitiovaunu"
S1_NEWEST, S5, S4, S3, S2 = (
    "113514100000000600",
    "113514000000000500",
    "113513100000000400",
    "113513000000000300",
    "113512100000000200",
)
S8, S9 = "113520100000000800", "113521000000000900"
HOST = "https://toot.helsinki.example"
ORIGINAL = "https://ratikka.tampere.example/users/raitiotie/statuses/113513850001112222"


def uri(status_id: str) -> str:
    return f"{HOST}/users/kallioseura/statuses/{status_id}"


def link(path: str, older: str | None, newer: str) -> dict[str, str]:
    parts = [f'<{{base}}{path}?limit=2&min_id={newer}>; rel="prev"']
    if older:
        parts.insert(0, f'<{{base}}{path}?limit=2&max_id={older}>; rel="next"')
    return {"Link": ", ".join(parts)}


LOOKUP = {"path": "/api/v1/accounts/lookup", "query": {"acct": "kallioseura"}}
LOOKUP_ROUTE = {**LOOKUP, "file": "account_lookup.json"}
PARENT_ROUTE = {"path": f"/api/v1/statuses/{S4}", "file": "status_parent.json"}
HISTORY = [
    LOOKUP_ROUTE,
    PARENT_ROUTE,
    {
        "path": STATUSES,
        "query": {"limit": 2, "exclude_replies": "false"},
        "absent": ["max_id", "min_id"],
        "file": "account_statuses_1.json",
        "headers": link(STATUSES, S5, S1_NEWEST),
    },
    {
        "path": STATUSES,
        "query": {"max_id": S5},
        "file": "account_statuses_2.json",
        "headers": link(STATUSES, S3, S4),
    },
    {
        # the last page of the history: Mastodon sends no rel="next" when records stop
        "path": STATUSES,
        "query": {"max_id": S3},
        "file": "account_statuses_3.json",
        "headers": link(STATUSES, None, S2),
    },
    {"path": STATUSES, "query": {"max_id": S2}, "body": []},
    # nothing newer than the newest status yet
    {"path": STATUSES, "query": {"min_id": S1_NEWEST}, "body": []},
]
NEWER = [
    {
        "path": STATUSES,
        "query": {"min_id": S1_NEWEST},
        "file": "account_statuses_newer_1.json",
        "headers": link(STATUSES, "113520000000000700", S8),
    },
    {
        "path": STATUSES,
        "query": {"min_id": S8},
        "file": "account_statuses_newer_2.json",
        "headers": link(STATUSES, S9, S9),
    },
    {"path": STATUSES, "query": {"min_id": S9}, "body": []},
]


def account_spec(server: ReplayServer, **options: Any) -> SourceSpec:
    return SourceSpec(
        "mastodon", "account", "@kallioseura", server.url, options={"limit": 2, **options}
    )


def http() -> Http:
    return Http(allow_private=True, sleep=lambda s: None)


def run(spec: SourceSpec, cursor: dict[str, Any] | None = None) -> list[Page]:
    return list(MastodonConnector().pages(spec, cursor or {}, http()))


def ids(pages: list[Page]) -> list[str]:
    return [post.remote_id for page in pages for post in page.posts]


def test_registry_loads_the_connector() -> None:
    connector = connector_for("mastodon")
    assert isinstance(connector, MastodonConnector)
    assert connector.kinds == ("account", "hashtag")


def test_first_run_maps_every_field_and_walks_the_limited_history() -> None:
    with replay(HISTORY, FIXTURES) as server:
        pages = run(account_spec(server))
    assert [len(page.posts) for page in pages] == [2, 2, 1]
    assert [page.more for page in pages] == [True, True, False]
    assert ids(pages) == [ORIGINAL, uri(S5), uri(S4), uri(S3), uri(S2)]
    assert all(page.deleted == [] for page in pages)

    boosted, own = pages[0].posts
    # a boost is the boosted original, with the original's author, text and counts
    assert boosted.url == "https://ratikka.tampere.example/@raitiotie/113513850001112222"
    assert boosted.author_handle == "raitiotie@ratikka.tampere.example"
    assert boosted.text.startswith("Tampereen ratikan linja 3 Hervantaan aukeaa")
    assert boosted.created_at == datetime(2024, 11, 21, 6, 55, 2, tzinfo=UTC)
    assert boosted.counts == {"replies": 3, "reposts": 17, "likes": 41}
    # an attachment this instance has not fetched yet only has its remote_url
    assert boosted.media_urls == [
        "https://ratikka.tampere.example/system/media_attachments/files/113/513/850/original/hervanta.jpg"
    ]

    assert own.remote_id == uri(S5)
    assert own.url == f"{HOST}/@kallioseura/{S5}"
    assert own.author_handle == "kallioseura@toot.helsinki.example"
    assert own.title == "Liikennetiedote: Helsinginkatu"
    assert own.text == (
        "Helsinginkadun ratikkapysäkin remontti alkaa maanantaina. Linjat 3 ja 9 kiertävät "
        "Sturenkadun kautta kolme viikkoa. @viherpeukalo tiedätkö vaikuttaako tämä "
        "Torkkelinmäen yhteismaan talkoisiin?\n\n#Kallio #raitiovaunu"
    )
    assert "<" not in own.text
    assert own.language == "fi"
    assert own.created_at == datetime(2024, 11, 21, 7, 42, 13, 512000, tzinfo=UTC)
    assert own.created_at.utcoffset() is not None
    assert own.counts == {"replies": 2, "reposts": 5, "likes": 12}
    assert own.media_urls == [
        "https://files.toot.helsinki.example/media_attachments/files/113/514/000/original/"
        "4c1e2b9a8d7f6e5c.jpeg"
    ]
    assert own.tags == ["kallio", "raitiovaunu"]
    assert own.mentions == ["viherpeukalo@mastodon.espoo.example"]
    assert own.thread == ""
    assert own.groups == []
    # the parent is on a later page: looked up once and given as its uri, a comparable id
    assert own.reply_to == uri(S4)

    reply_in_page, parent = pages[1].posts
    assert reply_in_page.reply_to == parent.remote_id == uri(S3)
    assert pages[2].posts[0].reply_to == ""  # the parent is gone (404): no id that could match
    assert pages[2].posts[0].language == "fi"

    # the first page's cursor already knows the newest status and where the walk down stands
    assert pages[0].cursor["min_id"] == S1_NEWEST
    assert pages[0].cursor["backfill"] == {"max_id": S5, "left": 4}
    assert pages[0].cursor["account_id"] == ACCOUNT_ID
    assert pages[-1].cursor == {
        "min_id": S1_NEWEST,
        "account_id": ACCOUNT_ID,
        "acct": "kallioseura",
    }


def test_requests_follow_the_documented_api() -> None:
    with replay(HISTORY, FIXTURES) as server:
        run(account_spec(server))
        requests = server.requests
    assert requests[0].path == "/api/v1/accounts/lookup"
    pages = [r for r in requests if r.path == STATUSES]
    assert [r.query.get("max_id") for r in pages] == [None, S5, S3]
    assert all(r.query["limit"] == "2" and r.query["exclude_replies"] == "false" for r in pages)
    # one look-up for the parent on a later page, one for the deleted one; none for same-page parents
    lookups = [r.path for r in requests if r.path.startswith("/api/v1/statuses/")]
    assert lookups == [f"/api/v1/statuses/{S4}", "/api/v1/statuses/113490000000000999"]


def test_backfill_is_limited_on_a_first_run() -> None:
    with replay(HISTORY, FIXTURES) as server:
        pages = run(account_spec(server, backfill_pages=2))
        walked = [r.query.get("max_id") for r in server.requests if r.path == STATUSES]
    assert walked == [None, S5]
    assert ids(pages) == [ORIGINAL, uri(S5), uri(S4), uri(S3)]
    assert pages[-1].more is False
    assert "backfill" not in pages[-1].cursor


def test_killed_first_run_resumes_to_the_same_posts() -> None:
    with replay(HISTORY, FIXTURES) as server:
        spec = account_spec(server)
        whole = ids(run(spec))
        generator = MastodonConnector().pages(spec, {}, http())
        first = next(generator)
        generator.close()  # killed after page 1 was committed
        rest = run(spec, first.cursor)
    assert set(ids([first]) + ids(rest)) == set(whole)
    # resuming looks the account up no more: the id is in the cursor
    assert sum(1 for r in server.requests if r.path == "/api/v1/accounts/lookup") == 2


def test_incremental_runs_page_forward_and_stop_when_nothing_is_new() -> None:
    cursor = {"min_id": S1_NEWEST, "account_id": ACCOUNT_ID, "acct": "kallioseura"}
    with replay([LOOKUP_ROUTE, *NEWER], FIXTURES) as server:
        spec = account_spec(server)
        pages = run(spec, cursor)
        assert ids(pages) == [uri(S8), uri("113520000000000700"), uri(S9)]
        assert [page.more for page in pages] == [True, False]  # the short page is the present
        assert pages[0].cursor["min_id"] == S8
        assert pages[-1].cursor["min_id"] == S9
        # S8 answers S7 from the same page: no look-up needed
        assert pages[0].posts[0].reply_to == uri("113520000000000700")

        again = run(spec, pages[-1].cursor)
        assert again == [Page([], pages[-1].cursor, more=False)]
        assert not any(r.path == "/api/v1/accounts/lookup" for r in server.requests)


def test_killed_incremental_run_resumes_to_the_same_posts() -> None:
    cursor = {"min_id": S1_NEWEST, "account_id": ACCOUNT_ID, "acct": "kallioseura"}
    with replay([LOOKUP_ROUTE, *NEWER], FIXTURES) as server:
        spec = account_spec(server)
        whole = ids(run(spec, cursor))
        generator = MastodonConnector().pages(spec, cursor, http())
        first = next(generator)
        generator.close()
        rest = run(spec, first.cursor)
    assert set(ids([first]) + ids(rest)) == set(whole)
    assert len(whole) == 3


def test_forward_paging_is_capped_per_run_and_continues_next_run() -> None:
    cursor = {"min_id": S1_NEWEST, "account_id": ACCOUNT_ID, "acct": "kallioseura"}
    with replay([LOOKUP_ROUTE, *NEWER], FIXTURES) as server:
        spec = account_spec(server, max_pages=1)
        first = run(spec, cursor)
        second = run(spec, first[-1].cursor)
    assert [page.more for page in first] == [False]
    assert ids(first) + ids(second) == [uri(S8), uri("113520000000000700"), uri(S9)]


def test_hashtag_timeline_same_post_through_another_instance_is_one_post() -> None:
    routes = [
        {
            "path": TAG,
            "absent": ["max_id", "min_id"],
            "file": "tag_1.json",
            "headers": link(TAG, "113515400000007002", "113515500000007003"),
            "when": {"authorization": "Bearer s3cret"},
        },
        {
            "path": TAG,
            "query": {"max_id": "113515400000007002"},
            "file": "tag_2.json",
            "headers": link(TAG, "113515000000007001", "113515000000007001"),
        },
    ]
    with replay(routes, FIXTURES) as server:
        spec = SourceSpec(
            "mastodon",
            "hashtag",
            "#Raitiovaunu",
            server.url + "/",
            credentials={"access_token": "s3cret"},
            options={"limit": 2},
        )
        pages = run(spec)
    # the private status (visible only with the token) is skipped; the Tampere original has the
    # same remote id as when it was seen boosted through toot.helsinki.example
    assert ids(pages) == [
        ORIGINAL,
        "https://mastodon.espoo.example/users/viherpeukalo/statuses/113515000000555000",
    ]
    espoo = pages[1].posts[0]
    assert espoo.author_handle == "viherpeukalo@mastodon.espoo.example"
    assert espoo.tags == ["raitiovaunu", "raidejokeri"]
    assert espoo.text.startswith("Espoon #raitiovaunu Raide-Jokeri")
    assert pages[-1].more is False
    assert pages[-1].cursor == {"min_id": "113515500000007003"}


@pytest.mark.parametrize(
    ("target", "acct"),
    [
        ("kallioseura", "kallioseura"),
        ("@kallioseura@{host}", "kallioseura"),
        ("@raitiotie@ratikka.tampere.example", "raitiotie@ratikka.tampere.example"),
    ],
)
def test_account_targets_are_looked_up_by_acct(target: str, acct: str) -> None:
    routes = [
        {"path": "/api/v1/accounts/lookup", "file": "account_lookup.json"},
        {"path": STATUSES, "body": []},
    ]
    with replay(routes, FIXTURES) as server:
        host = server.url.split("//")[1].split(":")[0]
        spec = SourceSpec("mastodon", "account", target.format(host=host), server.url)
        assert run(spec) == [Page([], {"account_id": ACCOUNT_ID, "acct": acct}, more=False)]
        assert server.requests[0].query == {"acct": acct}


def test_reply_lookups_are_bounded() -> None:
    with replay(HISTORY, FIXTURES) as server:
        pages = run(account_spec(server, reply_lookups=0))
        assert not any(r.path.startswith("/api/v1/statuses/") for r in server.requests)
    assert pages[0].posts[1].reply_to == ""  # unresolved rather than an incomparable local id
    assert pages[1].posts[0].reply_to == uri(S3)  # same-page parents need no look-up


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html"),
        ({"error": "This API requires an authenticated user"}, "application/json"),
        ([{"id": S5, "created_at": "2024-11-21T07:42:13.512Z", "content": "<p>x</p>"}], None),
        ([{"id": S5, "uri": uri(S5), "created_at": "yesterday", "account": {"acct": "a"}}], None),
        ([{"id": S5, "uri": uri(S5), "created_at": "2024-11-21T07:42:13Z"}], None),
        ([{"id": S5, "uri": uri(S5), "reblog": "113513900000000050"}], None),
        (["113514000000000500"], None),
    ],
)
def test_malformed_timelines(body: Any, content_type: str | None) -> None:
    route: dict[str, Any] = {"path": STATUSES, "body": body}
    if content_type:
        route["headers"] = {"Content-Type": content_type}
    with replay([LOOKUP_ROUTE, route], FIXTURES) as server, pytest.raises(ConnectorError) as caught:
        run(account_spec(server))
    assert caught.value.code == "malformed"


def test_malformed_account_lookup() -> None:
    routes = [{**LOOKUP, "body": [{"id": ACCOUNT_ID}]}]
    with replay(routes, FIXTURES) as server, pytest.raises(ConnectorError) as caught:
        run(account_spec(server))
    assert caught.value.code == "malformed"


def test_unknown_account_is_not_found() -> None:
    with replay([], FIXTURES) as server, pytest.raises(ConnectorError) as caught:
        run(account_spec(server))  # the replay server answers {"error": "Record not found"}
    assert caught.value.code == "not_found"


def test_rate_limited_with_retry_after() -> None:
    route = {
        "path": TAG,
        "status": 429,
        "headers": {"Retry-After": "120", "X-RateLimit-Remaining": "0"},
        "body": {"error": "Too many requests"},
    }
    with replay([route]) as server, pytest.raises(ConnectorError) as caught:
        run(SourceSpec("mastodon", "hashtag", "raitiovaunu", server.url))
    assert caught.value.code == "rate_limited"
    assert caught.value.retry_after == 120


@pytest.mark.parametrize(
    "spec",
    [
        SourceSpec("mastodon", "list", "kallioseura", "https://toot.helsinki.example"),
        SourceSpec("mastodon", "account", "kallioseura", ""),
        SourceSpec("mastodon", "account", "kallioseura", "ftp://toot.helsinki.example"),
        SourceSpec("mastodon", "account", "kallioseura", "https://toot.helsinki.example/?x=1"),
        SourceSpec("mastodon", "account", "kallio seura", "https://toot.helsinki.example"),
        SourceSpec("mastodon", "account", "", "https://toot.helsinki.example"),
        SourceSpec("mastodon", "hashtag", "#", "https://toot.helsinki.example"),
        SourceSpec("mastodon", "hashtag", "#ratikka 9", "https://toot.helsinki.example"),
        SourceSpec(
            "mastodon", "hashtag", "kallio", "https://toot.helsinki.example", options={"limit": 80}
        ),
        SourceSpec(
            "mastodon",
            "account",
            "kallioseura",
            "https://toot.helsinki.example",
            options={"backfill_pages": 0},
        ),
        SourceSpec(
            "mastodon",
            "account",
            "kallioseura",
            "https://toot.helsinki.example",
            options={"backfill_pages": "5"},
        ),
    ],
)
def test_check_rejects_bad_specs(spec: SourceSpec) -> None:
    with pytest.raises(ConnectorError) as caught:
        MastodonConnector().check(spec)
    assert caught.value.code == "invalid_source"


def test_check_accepts_good_specs() -> None:
    connector = MastodonConnector()
    connector.check(SourceSpec("mastodon", "account", "@kallioseura@toot.helsinki.example", HOST))
    connector.check(SourceSpec("mastodon", "hashtag", "#Yhteismaa", HOST, options={"limit": 40}))
    connector.check(SourceSpec("mastodon", "hashtag", "kävelykatu", HOST))
