"""Discourse connector against recorded Discourse API responses replayed over a real socket."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portaat.listening.connectors import connector_for
from portaat.listening.connectors.base import ConnectorError, Page, SourceSpec
from portaat.listening.connectors.discourse import DiscourseConnector
from portaat.listening.connectors.http import Http
from tests.listening.replay import ReplayServer, replay

FIXTURES = Path(__file__).resolve().parents[3] / "portaat/listening/connectors/discourse/fixtures"

CATEGORIES = {
    "path": "/categories.json",
    "query": {"include_subcategories": "true"},
    "file": "categories.json",
}
FORUM_HISTORY = [
    CATEGORIES,
    {"path": "/posts.json", "absent": ["before"], "file": "posts_latest.json"},
    {"path": "/posts.json", "query": {"before": 1205}, "file": "posts_before_1205.json"},
    {"path": "/posts.json", "query": {"before": 1201}, "body": {"latest_posts": []}},
]
FORUM_NEWER = [
    CATEGORIES,
    {"path": "/posts.json", "absent": ["before"], "file": "posts_newer.json"},
    {"path": "/posts.json", "query": {"before": 1210}, "file": "posts_before_1210.json"},
]
LISTING = "/c/liikenne/7.json"
CATEGORY_HISTORY = [
    CATEGORIES,
    {"path": LISTING, "absent": ["page"], "file": "category_page0.json"},
    {"path": LISTING, "query": {"page": 1}, "file": "category_page1.json"},
    {"path": "/t/100.json", "file": "topic_100.json"},
    {"path": "/t/335.json", "file": "topic_335.json"},
    {"path": "/t/338.json", "file": "topic_338.json"},
    {"path": "/t/342.json", "file": "topic_342.json"},
    {"path": "/t/342/posts.json", "file": "topic_342_posts.json"},
]
CATEGORY_NEWER = [
    CATEGORIES,
    {"path": LISTING, "absent": ["page"], "file": "category_page0_newer.json"},
    {"path": "/t/338.json", "file": "topic_338_newer.json"},
]
T342_BUMPED = "2024-11-21T15:02:11.345Z"


def http() -> Http:
    return Http(allow_private=True, sleep=lambda s: None)


def forum_spec(server: ReplayServer, **options: Any) -> SourceSpec:
    return SourceSpec("discourse", "forum", "", server.url, options=options)


def category_spec(server: ReplayServer, target: str = "liikenne/7", **options: Any) -> SourceSpec:
    return SourceSpec("discourse", "category", target, server.url, options=options)


def run(spec: SourceSpec, cursor: dict[str, Any] | None = None) -> list[Page]:
    return list(DiscourseConnector().pages(spec, cursor or {}, http()))


def ids(pages: list[Page]) -> list[str]:
    return [post.remote_id for page in pages for post in page.posts]


def prefix(server: ReplayServer) -> str:
    return server.url.removeprefix("http://")


def test_registry_loads_the_connector() -> None:
    connector = connector_for("discourse")
    assert isinstance(connector, DiscourseConnector)
    assert connector.kinds == ("forum", "category")


def test_forum_first_run_maps_every_field_and_limits_the_backfill() -> None:
    with replay(FORUM_HISTORY, FIXTURES) as server:
        pages = run(forum_spec(server))
        p = prefix(server)
        base = server.url
        requests = [(r.path, r.query) for r in server.requests]
    assert requests == [
        ("/posts.json", {}),
        ("/categories.json", {"include_subcategories": "true"}),  # once per run, lazily
        ("/posts.json", {"before": "1205"}),
    ]
    assert ids(pages) == [
        f"{p}/t/341/4",
        f"{p}/t/344/1",
        f"{p}/t/341/3",
        f"{p}/t/339/2",
        f"{p}/t/341/1",
    ]
    # withdrawn by its author / hidden after flags: Discourse tells us, the runner deletes
    assert pages[0].deleted == [f"{p}/t/339/3"]
    assert pages[1].deleted == [f"{p}/t/341/2"]
    assert [page.more for page in pages] == [True, False]
    assert pages[0].cursor == {"walk": {"top": 1208, "before": 1205, "left": 1}}
    assert pages[1].cursor == {"high": 1208}

    mentions, first_in_344, quoting = pages[0].posts
    assert mentions.author_handle == "hannele"
    assert mentions.text == "Samaa mieltä @kaisa_v ja @mattiL, penkkejä tarvitaan myös iäkkäille."
    assert mentions.mentions == ["kaisa_v", "mattiL"]
    assert mentions.media_urls == []  # an emoji is not media
    assert mentions.reply_to == f"{p}/t/341/1"
    assert mentions.thread == f"{p}/t/341/1"
    assert mentions.counts == {"replies": 0, "likes": 3, "reads": 22}
    assert mentions.url == f"{base}/t/kalasataman-uusi-puisto-mita-toiveita/341/4"
    assert mentions.title == "Kalasataman uusi puisto: mitä toiveita?"
    assert mentions.groups == ["kalasatama"]  # a subcategory, found through subcategory_list
    assert mentions.created_at == datetime(2024, 11, 21, 18, 44, 9, 120000, tzinfo=UTC)

    assert first_in_344.reply_to == ""
    assert first_in_344.thread == first_in_344.remote_id == f"{p}/t/344/1"
    assert first_in_344.groups == ["liikenne"]
    assert first_in_344.counts == {"replies": 2, "likes": 0, "reads": 14}

    assert quoting.text.endswith("Ja koirapuisto erilleen leikkipaikasta, kiitos.")
    assert "Toivoisin leikkipaikan lähelle rantaa." in quoting.text
    assert "<" not in quoting.text
    assert quoting.media_urls == []  # the quoted author's avatar is not media

    reko, opening = pages[1].posts
    assert reko.groups == ["yhteismaat"]
    assert reko.title == "REKO-rengas Vallilassa – noutopaikka muuttuu"
    assert opening.text == (
        "Kalasataman rantaan tulee uusi puisto 2026. Kaupunki kerää toiveita joulukuun loppuun "
        "asti.\n\nToivoisin leikkipaikan lähelle rantaa."
    )
    assert opening.media_urls == [
        f"{base}/uploads/default/original/2X/a/a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0.jpeg"
    ]
    assert opening.counts == {"replies": 2, "likes": 12, "reads": 88}
    assert opening.language == ""  # Discourse states no language unless content localization is on
    assert opening.tags == []  # /posts.json carries no topic tags
    assert opening.created_at.tzinfo is not None


def test_forum_backfill_pages_option_and_end_of_forum() -> None:
    with replay(FORUM_HISTORY, FIXTURES) as server:
        one = run(forum_spec(server, backfill_pages=1))
        three = run(forum_spec(server, backfill_pages=3))
    assert one[-1].cursor == {"high": 1208} and len(one) == 1
    # the forum ends before the third page: an empty page completes the walk
    assert len(ids(three)) == 5
    assert three[-1].cursor == {"high": 1208}
    assert three[-1].more is False


def test_forum_killed_first_run_resumes_to_the_same_posts() -> None:
    with replay(FORUM_HISTORY, FIXTURES) as server:
        spec = forum_spec(server)
        whole = run(spec)
        generator = DiscourseConnector().pages(spec, {}, http())
        first = next(generator)
        generator.close()
        rest = run(spec, first.cursor)
    assert set(ids([first]) + ids(rest)) == set(ids(whole))
    assert rest[-1].cursor == whole[-1].cursor == {"high": 1208}


def test_forum_incremental_runs_walk_down_to_what_was_covered() -> None:
    with replay(FORUM_NEWER, FIXTURES) as server:
        spec = forum_spec(server)
        p = prefix(server)
        pages = run(spec, {"high": 1208})
        assert ids(pages) == [f"{p}/t/344/3", f"{p}/t/341/5", f"{p}/t/339/4", f"{p}/t/344/2"]
        assert pages[0].cursor == {
            "high": 1208,
            "walk": {"top": 1212, "before": 1210, "left": None},
        }
        assert pages[-1].cursor == {"high": 1212}
        assert pages[0].posts[0].reply_to == f"{p}/t/344/1"

        # killed after the first page: the resumed walk still stops at the old high mark
        generator = DiscourseConnector().pages(spec, {"high": 1208}, http())
        first = next(generator)
        generator.close()
        assert set(ids([first]) + ids(run(spec, first.cursor))) == set(ids(pages))

        server.requests.clear()
        again = run(spec, pages[-1].cursor)
        assert again == [Page([], {"high": 1212}, more=False)]
        assert [r.path for r in server.requests] == ["/posts.json"]


def test_forum_run_is_capped_and_the_next_run_finishes_the_walk() -> None:
    with replay(FORUM_NEWER, FIXTURES) as server:
        spec = forum_spec(server, max_pages=1)
        first = run(spec, {"high": 1208})
        assert [page.more for page in first] == [False]
        assert "walk" in first[-1].cursor
        second = run(spec, first[-1].cursor)
    assert second[-1].cursor == {"high": 1212}
    assert len(ids(first) + ids(second)) == 4


def test_category_first_run_takes_topics_oldest_bumped_first() -> None:
    with replay(CATEGORY_HISTORY, FIXTURES) as server:
        pages = run(category_spec(server))
        p = prefix(server)
        base = server.url
        listing = [r.query for r in server.requests if r.path == LISTING]
        chunk = [r.query for r in server.requests if r.path == "/t/342/posts.json"]
    assert listing == [{}]  # backfill_pages defaults to 1 listing page
    assert chunk == [{"post_ids[]": "1163"}]  # posts 21-22, beyond the first chunk of 20
    assert [len(page.posts) for page in pages] == [1, 2, 2, 22]
    assert [page.more for page in pages] == [True, True, True, False]
    assert pages[0].cursor == {"done": {"100": "2024-01-10T10:00:00.000Z"}}
    assert pages[-1].cursor == {"since": T342_BUMPED}

    (about,) = pages[0].posts
    assert about.remote_id == f"{p}/t/100/1"
    assert about.author_handle == "moderaattori"
    assert about.groups == ["liikenne"]

    # the "closed the topic" small action is not a post
    assert ids([pages[1]]) == [f"{p}/t/335/1", f"{p}/t/335/2"]
    assert pages[1].posts[1].reply_to == f"{p}/t/335/1"
    assert pages[1].posts[1].title == "Kävelykatu Aleksanterinkadulle?"

    baana = pages[2]
    assert baana.deleted == [f"{p}/t/338/3"]  # hidden after flags
    assert [post.tags for post in baana.posts] == [["pyoraily"], ["pyoraily"]]
    assert baana.posts[0].groups == ["pyoraily"]
    assert baana.posts[1].url == f"{base}/t/baanan-talvikunnossapito/338/2"

    tram = pages[3].posts
    assert [post.remote_id for post in tram] == [f"{p}/t/342/{n}" for n in range(1, 23)]
    assert tram[-1].created_at == datetime(2024, 11, 21, 15, 2, 11, 345000, tzinfo=UTC)
    assert tram[0].tags == ["raitiotie", "hermanni"]
    assert all(post.thread == f"{p}/t/342/1" for post in tram)


def test_category_killed_run_resumes_to_the_same_posts() -> None:
    with replay(CATEGORY_HISTORY, FIXTURES) as server:
        spec = category_spec(server)
        whole = run(spec)
        generator = DiscourseConnector().pages(spec, {}, http())
        first = next(generator)
        generator.close()
        server.requests.clear()
        rest = run(spec, first.cursor)
        fetched = [r.path for r in server.requests if r.path.startswith("/t/")]
    assert set(ids([first]) + ids(rest)) == set(ids(whole))
    assert "/t/100.json" not in fetched  # done before the kill
    assert rest[-1].cursor == whole[-1].cursor


def test_category_incremental_run_takes_only_new_posts() -> None:
    with replay(CATEGORY_NEWER, FIXTURES) as server:
        spec = category_spec(server)
        p = prefix(server)
        pages = run(spec, {"since": T342_BUMPED})
        # the listing stops at the first unpinned topic not bumped since: no second page
        assert [r.query for r in server.requests if r.path == LISTING] == [{}]
        assert ids(pages) == [f"{p}/t/338/4"]
        assert pages[0].deleted == [f"{p}/t/338/3"]
        assert pages[-1].cursor == {"since": "2024-11-22T08:15:00.000Z"}
        assert pages[-1].more is False

        server.requests.clear()
        again = run(spec, pages[-1].cursor)
        assert again == [Page([], pages[-1].cursor, more=False)]
        assert [r.path for r in server.requests] == [LISTING]


def test_category_topics_per_run_are_capped() -> None:
    with replay(CATEGORY_HISTORY, FIXTURES) as server:
        spec = category_spec(server, max_topics=2)
        first = run(spec)
        second = run(spec, first[-1].cursor)
        whole = run(category_spec(server))
    assert [len(page.posts) for page in first] == [1, 2]
    assert first[-1].more is False
    assert set(first[-1].cursor["done"]) == {"100", "335"}
    assert [len(page.posts) for page in second] == [2, 22]
    assert second[-1].cursor == {"since": T342_BUMPED}
    assert set(ids(first) + ids(second)) == set(ids(whole))


def test_category_listing_pages_are_rechecked_and_gone_topics_reported() -> None:
    with replay(CATEGORY_HISTORY, FIXTURES) as server:
        pages = run(category_spec(server, backfill_pages=2))
        p = prefix(server)
        listing = [r.query for r in server.requests if r.path == LISTING]
    # page 0 is read again after the listing, for topics bumped while it was read
    assert listing == [{}, {"page": "1"}, {}]
    # topic 330 is listed but gone (404) when fetched: its first post is reported deleted
    gone = [page for page in pages if page.deleted == [f"{p}/t/330/1"]]
    assert len(gone) == 1 and gone[0].posts == []
    assert len(pages) == 5


def test_category_by_slug_and_with_api_credentials() -> None:
    routes = [
        {**CATEGORIES, "when": {"api-key": "k3y", "api-username": "system"}},
        {
            "path": "/c/liikenne.json",
            "file": "category_page0_newer.json",
            "when": {"api-key": "k3y", "api-username": "system"},
        },
        {"path": "/t/338.json", "file": "topic_338_newer.json"},
    ]
    with replay(routes, FIXTURES) as server:
        spec = SourceSpec(
            "discourse",
            "category",
            "/c/liikenne/",
            server.url + "/",
            credentials={"api_key": "k3y", "api_username": "system"},
        )
        pages = run(spec, {"since": T342_BUMPED})
        assert server.requests[-1].headers["api-key"] == "k3y"
    assert ids(pages) == [f"{prefix(server)}/t/338/4"]


def test_forum_in_a_subfolder_keeps_its_path() -> None:
    routes = [
        {**CATEGORIES, "path": "/foorumi/categories.json"},
        {"path": "/foorumi/posts.json", "file": "posts_newer.json"},
        {"path": "/foorumi/posts.json", "query": {"before": 1210}, "body": {"latest_posts": []}},
    ]
    with replay(routes, FIXTURES) as server:
        pages = run(SourceSpec("discourse", "forum", "", server.url + "/foorumi/"), {"high": 1200})
        p = prefix(server)
    assert ids(pages)[0] == f"{p}/foorumi/t/344/3"
    assert pages[0].posts[0].url.startswith(f"{server.url}/foorumi/t/hermannin-")


def _post(**changes: Any) -> dict[str, Any]:
    post = {
        "id": 1300,
        "username": "kaisa_v",
        "created_at": "2024-11-23T10:00:00.000Z",
        "cooked": "<p>Hei</p>",
        "post_number": 2,
        "post_type": 1,
        "topic_id": 341,
        "topic_slug": "kalasataman-uusi-puisto-mita-toiveita",
        "topic_title": "Kalasataman uusi puisto: mitä toiveita?",
        "category_id": 12,
        "hidden": False,
        "deleted_at": None,
        "user_deleted": False,
    }
    post.update(changes)
    return {k: v for k, v in post.items() if v is not ...}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<!DOCTYPE html><html><body>Sivustoa huolletaan</body></html>", "text/html"),
        ({"errors": ["The requested URL or resource could not be found."]}, None),
        ({"latest_posts": {"id": 1300}}, None),
        ({"latest_posts": [_post(topic_id=...)]}, None),
        ({"latest_posts": [_post(id="1300")]}, None),
        ({"latest_posts": [_post(cooked=...)]}, None),
        ({"latest_posts": [_post(created_at="eilen")]}, None),
        ({"latest_posts": [_post(username=None)]}, None),
        ({"latest_posts": ["1300"]}, None),
    ],
)
def test_malformed_latest_posts(body: Any, content_type: str | None) -> None:
    route: dict[str, Any] = {"path": "/posts.json", "body": body}
    if content_type:
        route["headers"] = {"Content-Type": content_type}
    with replay([CATEGORIES, route], FIXTURES) as server, pytest.raises(ConnectorError) as caught:
        run(forum_spec(server))
    assert caught.value.code == "malformed"


@pytest.mark.parametrize(
    "routes",
    [
        [{"path": LISTING, "body": {"users": [], "topics": []}}],
        [{"path": LISTING, "body": {"topic_list": {"topics": [{"id": 338}]}}}],
        [
            {"path": LISTING, "file": "category_page0_newer.json"},
            {"path": "/t/338.json", "body": {"post_stream": {"posts": []}, "id": 338}},
        ],
        [
            {"path": LISTING, "file": "category_page0_newer.json"},
            {"path": "/t/338.json", "body": {"post_stream": {"posts": [_post()], "stream": ["x"]}}},
        ],
        [
            {"path": LISTING, "file": "category_page0_newer.json"},
            {
                "path": "/t/338.json",
                "body": {"post_stream": {"posts": [_post(post_number=...)], "stream": [1300]}},
            },
        ],
        [
            {"path": "/categories.json", "body": {"categories": []}},
            {"path": LISTING, "file": "category_page0_newer.json"},
            {"path": "/t/338.json", "file": "topic_338_newer.json"},
        ],
    ],
)
def test_malformed_category_responses(routes: list[dict[str, Any]]) -> None:
    with replay(routes, FIXTURES) as server, pytest.raises(ConnectorError) as caught:
        run(category_spec(server), {"since": T342_BUMPED})
    assert caught.value.code == "malformed"


def test_rate_limited_with_retry_after() -> None:
    route = {
        "path": "/posts.json",
        "status": 429,
        "headers": {"Retry-After": "30"},
        "body": {
            "errors": ["You’ve performed this action too many times."],
            "error_type": "rate_limit",
        },
    }
    with replay([route]) as server, pytest.raises(ConnectorError) as caught:
        run(forum_spec(server))
    assert caught.value.code == "rate_limited"
    assert caught.value.retry_after == 30


@pytest.mark.parametrize(
    "spec",
    [
        SourceSpec("discourse", "user", "kaisa_v", "https://keskustelu.kaupunki.example"),
        SourceSpec("discourse", "forum", "", ""),
        SourceSpec("discourse", "forum", "", "keskustelu.kaupunki.example"),
        SourceSpec("discourse", "forum", "", "https://keskustelu.kaupunki.example/#latest"),
        SourceSpec("discourse", "category", "", "https://keskustelu.kaupunki.example"),
        SourceSpec("discourse", "category", "../admin", "https://keskustelu.kaupunki.example"),
        SourceSpec("discourse", "category", "7", "https://keskustelu.kaupunki.example"),
        SourceSpec(
            "discourse", "category", "liikenne?page=2", "https://keskustelu.kaupunki.example"
        ),
        SourceSpec(
            "discourse",
            "category",
            "liikenne",
            "https://keskustelu.kaupunki.example",
            options={"max_topics": 0},
        ),
        SourceSpec(
            "discourse",
            "forum",
            "",
            "https://keskustelu.kaupunki.example",
            options={"max_pages": "10"},
        ),
        SourceSpec(
            "discourse",
            "forum",
            "",
            "https://keskustelu.kaupunki.example",
            credentials={"api_key": "k3y"},
        ),
    ],
)
def test_check_rejects_bad_specs(spec: SourceSpec) -> None:
    with pytest.raises(ConnectorError) as caught:
        DiscourseConnector().check(spec)
    assert caught.value.code == "invalid_source"


def test_check_accepts_good_specs() -> None:
    connector = DiscourseConnector()
    base = "https://keskustelu.kaupunki.example"
    connector.check(SourceSpec("discourse", "forum", "", base))
    connector.check(SourceSpec("discourse", "category", "liikenne/7", base))
    connector.check(SourceSpec("discourse", "category", "kaupunkisuunnittelu/kalasatama/12", base))
    connector.check(
        SourceSpec("discourse", "category", "pyöräily", base, options={"topic_posts": 200})
    )
