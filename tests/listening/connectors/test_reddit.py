"""The Reddit connector against recorded Listing JSON replayed by a real local HTTP server."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portaat.listening.connectors import connector_for
from portaat.listening.connectors.base import ConnectorError, Page, RemotePost, SourceSpec
from portaat.listening.connectors.http import Http
from portaat.listening.connectors.reddit import RedditConnector
from tests.listening.replay import replay

FIXTURES = Path(__file__).resolve().parents[3] / "portaat/listening/connectors/reddit/fixtures"
NEW = "/r/Helsinki/new.json"
PAGE1 = {"path": NEW, "absent": ["after"], "file": "new_page1.json"}
PAGE2 = {"path": NEW, "query": {"after": "t3_1l4h7bd"}, "file": "new_page2.json"}
TOKEN = json.loads((FIXTURES / "access_token.json").read_text())["access_token"]


@pytest.fixture
def http() -> Iterator[Http]:
    with Http(allow_private=True, sleep=lambda s: None) as client:
        yield client


def spec(base: str, target: str = "r/Helsinki", kind: str = "subreddit", **kw: Any) -> SourceSpec:
    return SourceSpec(platform="reddit", kind=kind, target=target, base_url=base, **kw)


def run(source: SourceSpec, http: Http, cursor: dict[str, Any] | None = None) -> list[Page]:
    return list(RedditConnector().pages(source, cursor or {}, http))


def posts_of(pages: list[Page]) -> list[RemotePost]:
    return [post for page in pages for post in page.posts]


def listing_with(change: Any) -> bytes:
    """Page 1 as recorded, with ``change(payload)`` applied: for the malformed cases."""
    payload = json.loads((FIXTURES / "new_page1.json").read_text())
    change(payload)
    return json.dumps(payload).encode()


# -- mapping -------------------------------------------------------------------------------------


def test_subreddit_new_maps_every_field(http: Http) -> None:
    with replay([PAGE1, PAGE2], FIXTURES) as server:
        pages = run(spec(server.url), http)

    first = server.requests[0]
    assert first.path == NEW
    assert first.query == {"limit": "100", "raw_json": "1"}
    self_post, image_post, link_post = pages[0].posts

    assert self_post.remote_id == "t3_1l4k9zq"
    assert self_post.url == (
        "https://www.reddit.com/r/Helsinki/comments/1l4k9zq/raitiolinja_13_ja_kalasatama_kokemuksia/"
    )
    assert self_post.author_handle == "kumpulan_kaisa"
    assert self_post.title == "Raitiolinja 13 ja Kalasatama – kokemuksia?"
    assert self_post.text.startswith("Muutin juuri Vallilaan ja mietin")
    assert "täsmällinen & kuinka täynnä" in self_post.text  # raw_json=1: no &amp;
    assert self_post.created_at == datetime(2025, 6, 3, 7, 41, 12, tzinfo=UTC)
    assert self_post.language == ""
    assert (self_post.reply_to, self_post.thread) == ("", "")
    assert self_post.counts == {"score": 37, "replies": 24, "crossposts": 0, "upvote_ratio": 95}
    assert self_post.media_urls == []
    assert self_post.tags == ["kysymys / question", "ratikka"]
    assert self_post.mentions == ["hsl_seuraaja"]
    assert self_post.groups == ["Helsinki"]

    assert image_post.text == "https://i.redd.it/8x2kq4v1nq4f1.jpeg"
    assert image_post.media_urls == ["https://i.redd.it/8x2kq4v1nq4f1.jpeg"]
    assert image_post.counts["crossposts"] == 1
    assert image_post.counts["upvote_ratio"] == 99
    assert image_post.tags == ["kuva / picture"]

    assert (
        link_post.text == "https://www.hel.fi/fi/uutiset/hameentien-peruskorjaus-alkaa-heinakuussa"
    )
    assert link_post.media_urls == [  # the preview Reddit made of the article, unescaped
        "https://external-preview.redd.it/Hx4lT0cP2mVn3Q8bJYfK1sWzRr9aE5uD6gI7oC0vM2k.jpg"
        "?auto=webp&s=0e2d7c4b1a9f8e3d6c5b4a392817f6e5d4c3b2a1"
    ]
    assert link_post.author_handle == "kaupunkiuutiset"


def test_pages_follow_after_and_report_removed_posts_as_deleted(http: Http) -> None:
    with replay([PAGE1, PAGE2], FIXTURES) as server:
        pages = run(spec(server.url), http)

    assert [p.more for p in pages] == [True, False]
    assert server.requests[1].query["after"] == "t3_1l4h7bd"
    assert pages[0].cursor == {
        "seen": None,
        "run_top": "t3_1l4k9zq",
        "after": "t3_1l4h7bd",
        "pages": 1,
    }
    assert pages[0].deleted == []
    # "[removed]" by a moderator and "[deleted]" by its author: placeholders, not posts
    assert pages[1].deleted == ["t3_1l4f0ua", "t3_1l4c88w"]
    [gallery] = pages[1].posts
    assert gallery.remote_id == "t3_1l4d3rk"
    assert gallery.text == "https://www.reddit.com/gallery/1l4d3rk"
    assert gallery.media_urls == [
        "https://preview.redd.it/q2w8e4r1t6y3.jpg?width=4032&format=pjpg&auto=webp&s=9d2b4e61",
        "https://preview.redd.it/z9x7c5v3b1n0.jpg?width=4032&format=pjpg&auto=webp&s=9d2b4e61",
    ]
    assert pages[1].cursor == {"seen": "t3_1l4k9zq"}
    assert len(posts_of(pages)) == 4


def test_cursor_rule_resume_after_page_one_equals_uninterrupted_run(http: Http) -> None:
    with replay([PAGE1, PAGE2], FIXTURES) as server:
        source = spec(server.url)
        uninterrupted = run(source, http)

        first = next(iter(RedditConnector().pages(source, {}, http)))  # killed after page 1
        server.requests.clear()
        rest = run(source, http, first.cursor)

    resumed = [first, *rest]
    assert [p.remote_id for p in posts_of(resumed)] == [
        p.remote_id for p in posts_of(uninterrupted)
    ]
    assert [d for p in resumed for d in p.deleted] == [d for p in uninterrupted for d in p.deleted]
    assert [r.query.get("after") for r in server.requests] == ["t3_1l4h7bd"]
    assert rest[-1].cursor == uninterrupted[-1].cursor == {"seen": "t3_1l4k9zq"}


def test_incremental_run_stops_at_the_high_water_mark(http: Http) -> None:
    routes = [{"path": NEW, "absent": ["after"], "file": "new_incremental.json"}]
    with replay(routes, FIXTURES) as server:
        source = spec(server.url)
        pages = run(source, http, {"seen": "t3_1l4k9zq"})
        assert [p.remote_id for p in posts_of(pages)] == ["t3_1l4n5te"]
        assert len(server.requests) == 1  # met t3_1l4k9zq on page 1: no further page
        assert pages[-1].more is False
        assert pages[-1].cursor == {"seen": "t3_1l4n5te"}
        new = posts_of(pages)[0]
        assert new.tags == ["kysymys / question", "reko"]
        assert new.title == "Var finns bra REKO-ringar i Helsingfors?"

        again = run(source, http, pages[-1].cursor)  # nothing newer
    assert posts_of(again) == []
    assert again[-1].cursor == {"seen": "t3_1l4n5te"}


def test_first_run_backfill_is_bounded(http: Http) -> None:
    with replay([PAGE1, PAGE2], FIXTURES) as server:
        pages = run(spec(server.url, options={"backfill_pages": 1}), http)
    assert len(pages) == 1
    assert pages[0].more is False
    assert pages[0].cursor == {"seen": "t3_1l4k9zq"}
    assert len(server.requests) == 1


def test_an_exhausted_rate_limit_ends_the_run_and_the_next_resumes(http: Http) -> None:
    limited = {**PAGE1, "headers": {"x-ratelimit-remaining": "0.0", "x-ratelimit-used": "100",
                                    "x-ratelimit-reset": "412"}}  # fmt: skip
    with replay([limited, PAGE2], FIXTURES) as server:
        source = spec(server.url)
        first = run(source, http)
        assert len(first) == 1
        assert first[0].more is False  # stopped cleanly, page 1 is committed
        assert first[0].cursor["after"] == "t3_1l4h7bd"
        assert len(server.requests) == 1

        later = run(source, http, first[0].cursor)
    assert [p.remote_id for p in posts_of(later)] == ["t3_1l4d3rk"]
    assert later[-1].cursor == {"seen": "t3_1l4k9zq"}


def test_a_vanished_after_restarts_from_the_newest_post(http: Http) -> None:
    empty = {"kind": "Listing", "data": {"after": None, "dist": 0, "modhash": "",
                                         "geo_filter": "", "children": [], "before": None}}  # fmt: skip
    gone = {"path": NEW, "query": {"after": "t3_1l4g111"}, "body": empty}
    with replay([PAGE1, PAGE2, gone], FIXTURES) as server:
        cursor = {"seen": None, "run_top": "t3_1l4k9zq", "after": "t3_1l4g111", "pages": 1}
        pages = run(spec(server.url, options={"backfill_pages": 5}), http, cursor)
    assert [r.query.get("after") for r in server.requests] == ["t3_1l4g111", None, "t3_1l4h7bd"]
    assert len(posts_of(pages)) == 4


# -- search and OAuth ----------------------------------------------------------------------------


def test_search_in_one_subreddit(http: Http) -> None:
    routes = [{"path": "/r/Helsinki/search.json", "file": "search.json"}]
    with replay(routes, FIXTURES) as server:
        source = spec(server.url, "raitiovaunu", kind="search", options={"subreddit": "r/Helsinki"})
        pages = run(source, http)

    assert server.requests[0].query == {
        "limit": "100", "raw_json": "1", "q": "raitiovaunu", "sort": "new", "type": "link",
        "restrict_sr": "1",
    }  # fmt: skip
    posts = posts_of(pages)
    assert [p.remote_id for p in posts] == ["t3_1l3z8k2", "t3_1l3t0wq"]
    assert posts[0].author_handle == "pasilan_pendelöijä"
    assert posts[0].tags == ["liikenne / transport"]
    assert posts[1].text == (
        "https://www.hel.fi/fi/paatoksenteko-ja-hallinto/osallistu/raitiotie-meilahteen"
    )
    assert posts[1].media_urls == []
    assert pages[-1].cursor == {"seen": "t3_1l3z8k2"}


def test_site_wide_search(http: Http) -> None:
    with replay([{"path": "/search.json", "file": "search.json"}], FIXTURES) as server:
        pages = run(spec(server.url, "raitiovaunu Helsinki", kind="search"), http)
    assert server.requests[0].query["q"] == "raitiovaunu Helsinki"
    assert "restrict_sr" not in server.requests[0].query
    assert len(posts_of(pages)) == 2


def test_app_only_oauth_token_then_oauth_api(http: Http) -> None:
    routes = [
        {"method": "POST", "path": "/api/v1/access_token", "file": "access_token.json"},
        {"path": "/r/Helsinki/new", "absent": ["after"], "file": "new_page1.json",
         "when": {"Authorization": f"bearer {TOKEN}"}},
        {"path": "/r/Helsinki/new", "query": {"after": "t3_1l4h7bd"}, "file": "new_page2.json",
         "when": {"Authorization": f"bearer {TOKEN}"}},
    ]  # fmt: skip
    credentials = {"client_id": "p0rTaAt-app-id", "client_secret": "s3cr3t-from-reddit-prefs"}
    with replay(routes, FIXTURES) as server:
        pages = run(spec(server.url, credentials=credentials), http)

    token_request = server.requests[0]
    assert token_request.method == "POST"
    expected = base64.b64encode(b"p0rTaAt-app-id:s3cr3t-from-reddit-prefs").decode()
    assert token_request.headers["authorization"] == f"Basic {expected}"
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert [r.path for r in server.requests[1:]] == ["/r/Helsinki/new", "/r/Helsinki/new"]
    assert len(posts_of(pages)) == 4
    assert all(TOKEN not in json.dumps(p.cursor) for p in pages)


def test_refused_credentials_are_unauthorised(http: Http) -> None:
    routes = [{"method": "POST", "path": "/api/v1/access_token", "status": 401,
               "body": {"message": "Unauthorized", "error": 401}}]  # fmt: skip
    credentials = {"client_id": "p0rTaAt-app-id", "client_secret": "wrong"}
    with replay(routes) as server, pytest.raises(ConnectorError) as caught:
        run(spec(server.url, credentials=credentials), http)
    assert caught.value.code == "unauthorised"


# -- errors --------------------------------------------------------------------------------------


def _malformed_cases() -> list[Any]:
    def drop(field: str) -> Any:
        return lambda payload: payload["data"]["children"][1]["data"].pop(field)

    def set_kind(payload: dict[str, Any]) -> None:
        payload["data"]["children"][0]["kind"] = "t1"

    def bad_after(payload: dict[str, Any]) -> None:
        payload["data"]["after"] = 42

    return [
        pytest.param(
            {"file": "not_json.html", "headers": {"Content-Type": "text/html"}}, id="html"
        ),
        pytest.param({"body": {"message": "Forbidden", "error": 403}}, id="error-object"),
        pytest.param({"body": [{"kind": "Listing", "data": {}}]}, id="array"),
        pytest.param({"body": {"kind": "t5", "data": {"display_name": "Helsinki"}}}, id="about"),
        pytest.param({"body": {"kind": "Listing", "data": {"after": None}}}, id="no-children"),
        pytest.param({"body": listing_with(drop("created_utc"))}, id="no-created_utc"),
        pytest.param({"body": listing_with(drop("name"))}, id="no-name"),
        pytest.param({"body": listing_with(drop("permalink"))}, id="no-permalink"),
        pytest.param({"body": listing_with(set_kind)}, id="comment-in-listing"),
        pytest.param({"body": listing_with(bad_after)}, id="bad-after"),
    ]


@pytest.mark.parametrize("response", _malformed_cases())
def test_malformed_responses(response: dict[str, Any], http: Http) -> None:
    with (
        replay([{"path": NEW, **response}], FIXTURES) as server,
        pytest.raises(ConnectorError) as caught,
    ):
        run(spec(server.url), http)
    assert caught.value.code == "malformed"


def test_429_with_retry_after_is_rate_limited(http: Http) -> None:
    routes = [{"path": NEW, "status": 429, "body": {"message": "Too Many Requests", "error": 429},
               "headers": {"Retry-After": "37", "x-ratelimit-remaining": "0"}}]  # fmt: skip
    with replay(routes) as server, pytest.raises(ConnectorError) as caught:
        run(spec(server.url), http)
    assert caught.value.code == "rate_limited"
    assert caught.value.retry_after == 37.0


@pytest.mark.parametrize(
    "target", ["r/Helsinki", "/r/Helsinki/", "Helsinki", "https://www.reddit.com/r/Helsinki/"]
)
def test_subreddit_target_forms(target: str, http: Http) -> None:
    with replay([PAGE1, PAGE2], FIXTURES) as server:
        run(spec(server.url, target), http)
    assert server.requests[0].path == NEW


@pytest.mark.parametrize(
    "bad",
    [
        spec("", kind="user", target="u/kumpulan_kaisa"),
        spec("", target=""),
        spec("", target="r/"),
        spec("", target="r/Hel sinki"),
        spec("", target="r/" + "h" * 30),
        spec("", target="../../api/v1/me"),
        spec("", kind="search", target="   "),
        spec("", kind="search", target="x" * 600),
        spec("", kind="search", target="ratikka", options={"subreddit": "r/ei kelpaa"}),
        spec("ftp://reddit.com"),
        spec("", credentials={"client_id": "only-the-id"}),
        spec("", options={"backfill_pages": 0}),
        spec("", options={"max_pages": 11}),
        spec("", options={"max_pages": "3"}),
    ],
)
def test_check_rejects_bad_specs(bad: SourceSpec, http: Http) -> None:
    with pytest.raises(ConnectorError) as caught:
        RedditConnector().check(bad)
    assert caught.value.code == "invalid_source"
    with pytest.raises(ConnectorError) as caught:
        list(RedditConnector().pages(bad, {}, http))
    assert caught.value.code == "invalid_source"


def test_registry_loads_the_connector() -> None:
    connector = connector_for("reddit")
    assert isinstance(connector, RedditConnector)
    assert connector.kinds == ("subreddit", "search")
    connector.check(spec(""))
